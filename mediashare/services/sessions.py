"""A user's own sessions and devices: list them, and sign sessions out from anywhere.

A revoked session is refused on its very next event (the access middleware re-resolves the cookie
on every event) and on its next page load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from mediashare.errors import NotFound
from mediashare.models import AuditAction, AuthSession, Device, User, utc_now
from mediashare.services import audit, auth
from mediashare.settings import get_settings


@dataclass(frozen=True)
class ActiveSession:
    """One signed-in browser as its owner sees it."""

    id: int
    device: str
    ip: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


def _active_rows(session: Session, *, user: User) -> list[AuthSession]:
    now = utc_now()
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    rows = session.exec(
        select(AuthSession).where(
            AuthSession.user_id == user.id,
            col(AuthSession.revoked_at).is_(None),
            AuthSession.expires_at > now,
            AuthSession.last_seen_at > now - idle,
            AuthSession.created_at >= user.password_changed_at,
        )
    ).all()
    return list(rows)


def active(session: Session, *, actor: User, current_token: str | None) -> list[ActiveSession]:
    """The actor's live sessions, this one first, then the most recently used."""
    current_hash = auth.token_hash(current_token) if current_token else ""
    names = {d.id: d.name for d in session.exec(select(Device).where(Device.user_id == actor.id)).all()}
    found = [
        ActiveSession(
            id=row.id,  # type: ignore[arg-type]
            device=names.get(row.device_id) or auth.device_name(row.user_agent),
            ip=row.ip or "unknown",
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            current=row.token_hash == current_hash,
        )
        for row in _active_rows(session, user=actor)
    ]
    return sorted(found, key=lambda s: (not s.current, -s.last_seen_at.timestamp()))


def devices(session: Session, *, actor: User) -> list[Device]:
    """Every device the actor has signed in from, most recently seen first."""
    return list(
        session.exec(
            select(Device).where(Device.user_id == actor.id).order_by(col(Device.last_seen_at).desc())
        ).all()
    )


def revoke(session: Session, *, actor: User, session_id: int, client: auth.Client) -> None:
    """Sign out one of the actor's own sessions (any, this one included). Someone else's session,
    or one already ended, is NotFound."""
    row = session.get(AuthSession, session_id)
    if row is None or row.user_id != actor.id or row.revoked_at is not None:
        raise NotFound("That session has already ended.")
    row.revoked_at = utc_now()
    audit.record(session, action=AuditAction.SESSION_REVOKED, actor=actor, target=actor,
                 ip=client.ip, user_agent=client.user_agent, details={"session_id": session_id})
    session.commit()


def revoke_others(session: Session, *, actor: User, current_token: str | None, client: auth.Client) -> int:
    """Sign out every session of the actor except the one behind `current_token`; returns how many."""
    current_hash = auth.token_hash(current_token) if current_token else ""
    now = utc_now()
    ended = [row for row in _active_rows(session, user=actor) if row.token_hash != current_hash]
    for row in ended:
        row.revoked_at = now
    if ended:
        audit.record(session, action=AuditAction.SESSION_REVOKED, actor=actor, target=actor,
                     ip=client.ip, user_agent=client.user_agent,
                     details={"session_ids": [row.id for row in ended], "scope": "all_others"})
    session.commit()
    return len(ended)
