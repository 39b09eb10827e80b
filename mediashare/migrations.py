"""Applying alembic migrations from code (the CLI's `migrate` and `run`, and the tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from mediashare.settings import PROJECT_ROOT, get_settings


def alembic_config(url: str | None = None) -> Config:
    """Our alembic.ini, pointed at `url` (default: the configured database)."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["url"] = url or get_settings().resolved_database_url
    config.attributes["configure_logger"] = False
    return config


def upgrade(url: str | None = None) -> None:
    """Bring the database to the newest revision (creating an SQLite file's folder if needed)."""
    config = alembic_config(url)
    target = config.attributes["url"]
    if target.startswith("sqlite:///"):
        from pathlib import Path

        Path(target.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(config, "head")
