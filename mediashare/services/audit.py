"""Recording audit events. There is deliberately no function to change or remove one."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from mediashare.models import AuditAction, AuditEvent, User


def _label(user: User | None) -> str:
    return f"{user.username} <{user.email}>" if user is not None else ""


def record(
    session: Session,
    *,
    action: AuditAction,
    actor: User | None,
    target: User | None = None,
    ip: str = "",
    user_agent: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the caller's transaction (the caller commits)."""
    event = AuditEvent(
        action=action.value,
        actor_id=actor.id if actor is not None else None,
        actor_label=_label(actor),
        target_id=target.id if target is not None else None,
        target_label=_label(target),
        ip=ip[:45],
        user_agent=user_agent[:512],
        details=details or {},
    )
    session.add(event)
    return event
