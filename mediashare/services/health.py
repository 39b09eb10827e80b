"""Is the platform able to serve? Each part answers "ok" or a short reason it is not."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import redis
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from mediashare import __version__, db
from mediashare.storage import LocalStorage, StorageError


@dataclass(frozen=True)
class HealthReport:
    """`parts` maps database/redis/storage to "ok", "not configured", or what is wrong."""

    parts: dict[str, str] = field(default_factory=dict)
    version: str = __version__

    @property
    def healthy(self) -> bool:
        return all(value in ("ok", "not configured") for value in self.parts.values())

    @property
    def failing(self) -> list[str]:
        return [name for name, value in self.parts.items() if value not in ("ok", "not configured")]

    def as_dict(self) -> dict[str, object]:
        status = "ok" if self.healthy else "failing: " + ", ".join(self.failing)
        return {"status": status, "version": self.version, **self.parts}


def _first_line(error: BaseException) -> str:
    message = str(getattr(error, "orig", None) or error).strip().splitlines()
    return (message[0] if message else type(error).__name__)[:200]


def check_database(url: str) -> str:
    try:
        with db.engine(url).connect() as connection:
            connection.execute(text("SELECT 1"))
        return "ok"
    except (SQLAlchemyError, OSError) as error:
        return f"unreachable: {_first_line(error)}"


def check_redis(url: str | None) -> str:
    if not url:
        return "not configured"
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
        return "ok"
    except (redis.RedisError, OSError) as error:
        return f"unreachable: {_first_line(error)}"
    finally:
        client.close()


def check_storage(root: Path) -> str:
    try:
        LocalStorage(root).probe()
        return "ok"
    except StorageError as error:
        return f"not writable: {error}"


def check(*, database_url: str, redis_url: str | None, media_root: Path) -> HealthReport:
    return HealthReport(
        parts={
            "database": check_database(database_url),
            "redis": check_redis(redis_url),
            "storage": check_storage(media_root),
        }
    )
