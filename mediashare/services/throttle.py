"""Per-address throttling: of sign-ins (on top of the per-account lockout), and of the public forms
that create something for a visitor (sign-ups, password-reset emails).

Every sign-in attempt (password or two-factor code) leaves a `LoginAttempt` row with the address our
server saw. When one address has FAILURE_LIMIT failures within WINDOW, further attempts from it are
refused before any account is looked up, so one address cannot lock out many accounts quickly (nor
keep guessing passwords across them). The refusal lasts until enough of those failures are older
than WINDOW. Rows older than KEEP are pruned as new ones are written.

The public forms are counted from the audit log, which already records every sign-up and every
reset request with the address it came from (`ACTION_LIMITS`): one address may create at most so
many accounts, or ask for so many reset emails, within a window. Those answers say nothing about
whether an account exists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediashare.errors import TooManyRequests
from mediashare.models import AuditAction, AuditEvent, LoginAttempt, utc_now
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


@dataclass(frozen=True)
class ActionLimit:
    limit: int  # at most this many audited `action`s from one address …
    window: timedelta  # … within this window
    refusal: str  # what the visitor is told; {wait} becomes "N minutes"


ACTION_LIMITS: dict[AuditAction, ActionLimit] = {
    # Generous for a family or an office behind one address, useless for a script making accounts.
    AuditAction.REGISTERED: ActionLimit(
        10, timedelta(hours=1),
        "Too many accounts were created from your network just now. Please try again in {wait}."),
    AuditAction.PASSWORD_RESET_REQUESTED: ActionLimit(
        10, timedelta(minutes=15),
        "Too many password reset requests came from your network. Please try again in {wait}."),
}


def check_action(session: Session, *, action: AuditAction, ip: str) -> None:
    """Raise TooManyRequests when `ip` has done `action` ACTION_LIMITS[action].limit times within its
    window (reads only; the action's own audit event is what counts it). An unknown address (empty:
    no client address seen) is not limited here; the proxy in front is expected to pass one."""
    rule = ACTION_LIMITS[action]
    ip = ip[:45]
    if not ip:
        return
    times = session.exec(
        select(AuditEvent.created_at)
        .where(AuditEvent.action == action.value, AuditEvent.ip == ip, AuditEvent.created_at > utc_now() - rule.window)
        .order_by(col(AuditEvent.created_at).desc())
        .limit(rule.limit)
    ).all()
    if len(times) < rule.limit:
        return
    free_at = times[-1] + rule.window  # when the oldest counted one falls out of the window
    minutes = max(1, math.ceil((free_at - utc_now()).total_seconds() / 60))
    wait = f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"
    raise TooManyRequests(rule.refusal.format(wait=wait), minutes=minutes)
