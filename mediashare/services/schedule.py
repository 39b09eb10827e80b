"""Periodic runs claimed in the database: at most one run per period across every process.

The last run of a periodic task `name` is the `platform_settings` row `schedule:<name>`; its
`updated_at` is when the last run was claimed. A claim is one conditional statement — an UPDATE
that only matches when that time is at least a period old, or the INSERT of the very first run —
so of any number of processes on any number of machines exactly one wins each period (PostgreSQL
re-checks the condition after waiting for a concurrent writer's row lock; SQLite serializes
writers; a second INSERT fails on the primary key). The row outlives restarts, so a restarted
process does not run early. The database is used rather than Redis because every setup has one
(embedded servers have no Redis) and it is durable (a flushed or evicted Redis key would rerun).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from mediashare.models import PlatformSetting, utc_now

KEY_PREFIX = "schedule:"
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Claim:
    """A granted run: when it was claimed, and the previous run (None for the first)."""

    name: str
    at: datetime
    previous: datetime | None


def _key(name: str) -> str:
    return f"{KEY_PREFIX}{name}"


def _value(at: datetime) -> dict[str, str]:
    return {"last_run": at.isoformat(), "by": f"{socket.gethostname()}:{os.getpid()}"}


def claim(session: Session, *, name: str, period: timedelta, now: datetime | None = None) -> Claim | None:
    """Claim this period's run of `name`: a Claim for exactly one caller per period, else None."""
    now = now or utc_now()
    row = session.get(PlatformSetting, _key(name))
    previous = row.updated_at if row is not None else None
    session.rollback()  # the read above is only a hint; the statement below decides
    table = PlatformSetting.__table__  # type: ignore[attr-defined]
    result = session.execute(
        sa.update(table)
        .where(table.c.key == _key(name), table.c.updated_at <= now - period)
        .values(updated_at=now, value=_value(now))
    )
    if result.rowcount == 1:
        session.commit()
        return Claim(name=name, at=now, previous=previous)
    session.rollback()
    if previous is not None or session.get(PlatformSetting, _key(name)) is not None:
        session.rollback()
        return None  # ran less than a period ago (or another process just claimed it)
    try:
        session.execute(sa.insert(table).values(key=_key(name), updated_at=now, value=_value(now)))
        session.commit()
    except IntegrityError:  # another process inserted the first run at the same moment
        session.rollback()
        return None
    return Claim(name=name, at=now, previous=None)


def release(session: Session, granted: Claim) -> None:
    """Give a claim back (the run could not be started), so the next check tries again."""
    table = PlatformSetting.__table__  # type: ignore[attr-defined]
    session.execute(
        sa.update(table)
        .where(table.c.key == _key(granted.name), table.c.updated_at == granted.at)
        .values(updated_at=granted.previous or _NEVER)
    )
    session.commit()


def last_run(session: Session, name: str) -> datetime | None:
    """When `name` last ran (was claimed), or None if never."""
    row = session.get(PlatformSetting, _key(name))
    if row is None or row.updated_at <= _NEVER:
        return None
    return row.updated_at
