"""Per-address sign-in throttling, on top of the per-account lockout.

Every sign-in attempt (password or two-factor code) leaves a `LoginAttempt` row with the address our
server saw. When one address has FAILURE_LIMIT failures within WINDOW, further attempts from it are
refused before any account is looked up, so one address cannot lock out many accounts quickly (nor
keep guessing passwords across them). The refusal lasts until enough of those failures are older
than WINDOW. Rows older than KEEP are pruned as new ones are written.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediashare.errors import TooManyRequests
from mediashare.models import AuditAction, LoginAttempt, utc_now
from mediashare.services import audit

FAILURE_LIMIT = 20  # failures from one address …
WINDOW = timedelta(minutes=10)  # … within this window refuse further attempts from it
KEEP = timedelta(days=1)  # attempts older than this are deleted


def _recent_failures(session: Session, ip: str) -> list[datetime]:
    """Times of the newest failures from `ip` within WINDOW (at most FAILURE_LIMIT, newest first)."""
    return list(
        session.exec(
            select(LoginAttempt.created_at)
            .where(LoginAttempt.ip == ip, LoginAttempt.succeeded == False, LoginAttempt.created_at > utc_now() - WINDOW)  # noqa: E712
            .order_by(col(LoginAttempt.created_at).desc())
            .limit(FAILURE_LIMIT)
        ).all()
    )


def _failure_count(session: Session, ip: str) -> int:
    return session.exec(
        select(sa.func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.ip == ip, LoginAttempt.succeeded == False, LoginAttempt.created_at > utc_now() - WINDOW)  # noqa: E712
    ).one()


def check(session: Session, *, ip: str) -> None:
    """Raise TooManyRequests when `ip` may not try to sign in right now (reads only)."""
    failures = _recent_failures(session, ip[:45])
    if len(failures) < FAILURE_LIMIT:
        return
    free_at = failures[-1] + WINDOW  # when the oldest of these falls out of the window
    minutes = max(1, math.ceil((free_at - utc_now()).total_seconds() / 60))
    unit = "minute" if minutes == 1 else "minutes"
    raise TooManyRequests(
        f"Too many failed sign-ins from your network. Please wait {minutes} {unit} and try again.",
        minutes=minutes,
    )


def record(session: Session, *, ip: str, succeeded: bool, user_agent: str = "") -> None:
    """Add an attempt to the caller's transaction (the caller commits), prune old ones, and audit
    the moment an address reaches the limit (once, not for every refused attempt after it)."""
    now = utc_now()
    session.exec(sa.delete(LoginAttempt).where(col(LoginAttempt.created_at) < now - KEEP))  # type: ignore[call-overload]
    session.add(LoginAttempt(ip=ip[:45], succeeded=succeeded, created_at=now))
    session.flush()
    if not succeeded and _failure_count(session, ip[:45]) == FAILURE_LIMIT:
        audit.record(session, action=AuditAction.LOGIN_THROTTLED, actor=None, ip=ip, user_agent=user_agent,
                     details={"failures": FAILURE_LIMIT, "window_minutes": int(WINDOW.total_seconds() // 60)})
