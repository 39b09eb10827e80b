"""Alembic environment: our models' metadata, the URL from settings, batch mode on SQLite."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import mediashare.models  # noqa: F401  (registers every table)
from mediashare.db import make_engine
from mediashare.models.base import UTCDateTime
from mediashare.settings import get_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _url() -> str:
    """`-x url=...` or an attribute set by the caller wins; otherwise DATABASE_URL."""
    return (
        context.get_x_argument(as_dictionary=True).get("url")
        or config.attributes.get("url")
        or get_settings().resolved_database_url
    )


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Write our column types as plain SQLAlchemy types, so revisions never import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Leave out of the model comparison the indexes migrations create by hand per dialect (named
    dx_…, e.g. PostgreSQL trigram GIN indexes): the models cannot describe them."""
    return not (type_ == "index" and name is not None and name.startswith("dx_"))


def _configure(**kwargs: object) -> None:
    url = _url()
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        compare_server_default=True,
        render_as_batch=url.startswith("sqlite"),
        render_item=_render_item,
        include_object=_include_object,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def _migrate(connection: Connection) -> None:
    """Run the migrations on `connection`.

    On SQLite, batch mode rebuilds a table to alter it (copy, drop, rename). With foreign keys on,
    dropping the old `users` table deletes every row that cascades from it (sessions, devices...),
    so enforcement is off while migrating, as the SQLite and alembic docs advise, and the result is
    checked with `PRAGMA foreign_key_check` before it is committed. (The pragma has no effect inside
    a transaction, hence before `begin_transaction`.)"""
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left rows pointing at missing rows: {broken[:5]}")
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _migrate(connectable)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
