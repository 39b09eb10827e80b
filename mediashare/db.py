"""Database engine and sessions: `session_scope()` is the one way code outside tests opens a session."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

from mediashare.settings import get_settings

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def driver_url(url: str) -> str:
    """Pin PostgreSQL to psycopg2 (SQLAlchemy 2.1 would pick psycopg 3 for a bare postgresql://)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg2://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str) -> Engine:
    """A new engine for `url` with our per-dialect settings (SQLite: foreign keys, WAL, busy wait)."""
    url = driver_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"connect_timeout": 5, "application_name": "mediashare"},
    )


def engine(url: str | None = None) -> Engine:
    """The shared engine for `url` (default: the configured database), created once per URL."""
    url = url or get_settings().resolved_database_url
    with _lock:
        if url not in _engines:
            _engines[url] = make_engine(url)
        return _engines[url]


def dispose_all() -> None:
    """Close every pooled connection (tests, and the CLI before it execs the server)."""
    with _lock:
        for item in _engines.values():
            item.dispose()
        _engines.clear()


def _after_fork_in_child() -> None:
    """A forked child (RQ runs each job in one) must not share the parent's pooled connections,
    nor a lock another parent thread (the scheduler) held at the moment of the fork."""
    global _lock
    _lock = threading.Lock()
    for item in _engines.values():
        item.dispose(close=False)


os.register_at_fork(after_in_child=_after_fork_in_child)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that rolls back on error and always closes; services decide when to commit."""
    session = Session(engine(url), expire_on_commit=False)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
