"""Notifications: short messages to one user, listed under the bell in the top bar.

`create` joins the caller's transaction (like `audit.record`), so a notification exists exactly when
the change it announces was committed. Everything else acts on the actor's own notifications only.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediashare.errors import NotFound
from mediashare.models import Notification, User, utc_now
from mediashare.routes import safe_next

RECENT_LIMIT = 50


def create(session: Session, *, user: User, kind: str, title: str, body: str = "", link: str = "") -> Notification:
    """Add a notification for `user` to the caller's transaction (the caller commits)."""
    notification = Notification(
        user_id=user.id,  # type: ignore[arg-type]
        kind=kind[:32],
        title=title[:200],
        body=body[:2000],
        link=safe_next(link) if link else "",
    )
    session.add(notification)
    return notification


def recent(session: Session, *, actor: User, limit: int = RECENT_LIMIT) -> list[Notification]:
    """The actor's newest notifications, newest first."""
    return list(
        session.exec(
            select(Notification)
            .where(Notification.user_id == actor.id)
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
            .limit(max(1, min(limit, RECENT_LIMIT)))
        ).all()
    )


def unread_count(session: Session, *, actor: User) -> int:
    return session.exec(
        select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == actor.id, col(Notification.read_at).is_(None))
    ).one()


def mark_read(session: Session, *, actor: User, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications read (or all of them, with no id); returns how many
    changed. Someone else's notification is NotFound."""
    query = select(Notification).where(Notification.user_id == actor.id, col(Notification.read_at).is_(None))
    if notification_id is not None:
        notification = session.get(Notification, notification_id)
        if notification is None or notification.user_id != actor.id:
            raise NotFound("That notification does not exist.")
        query = query.where(Notification.id == notification_id)
    now = utc_now()
    changed = 0
    for notification in session.exec(query).all():
        notification.read_at = now
        changed += 1
    session.commit()
    return changed
