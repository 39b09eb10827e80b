"""Who may do what to whom: the role hierarchy rules every service asks before acting."""

from __future__ import annotations

from sqlmodel import Session, select

from mediashare.errors import PermissionDenied
from mediashare.models import Role, User


def ancestor_ids(session: Session, user: User) -> list[int]:
    """Ids of `user`'s parent, grandparent, … up to the root (cycle-safe)."""
    ids: list[int] = []
    parent_id = user.parent_id
    while parent_id is not None and parent_id not in ids:
        ids.append(parent_id)
        parent_id = session.exec(select(User.parent_id).where(User.id == parent_id)).first()
    return ids


def can_manage(session: Session, *, actor: User, target: User) -> bool:
    """Superusers manage everyone; admins everyone but superusers; resellers their descendants;
    everyone manages themselves."""
    if not actor.is_active:
        return False
    if actor.id == target.id:
        return True
    if actor.role is Role.SUPERUSER:
        return True
    if actor.role is Role.ADMIN:
        return target.role is not Role.SUPERUSER
    if actor.role is Role.RESELLER:
        return actor.id in ancestor_ids(session, target)
    return False


def require_can_manage(session: Session, *, actor: User, target: User) -> None:
    if not can_manage(session, actor=actor, target=target):
        raise PermissionDenied("You can only manage accounts in your own team.")


def require_can_grant(*, actor: User | None, role: Role) -> None:
    """Nobody grants a role equal to or above their own, except a superuser creating admins
    (and superusers). `actor=None` is the operator at the command line."""
    if actor is None:
        return
    if actor.role is Role.SUPERUSER:
        return
    if role.rank >= actor.role.rank:
        raise PermissionDenied(f"You cannot give an account the {role.label.lower()} role.")


def require_role(actor: User, minimum: Role) -> None:
    """`actor` must hold `minimum` or a higher role."""
    if actor.role.rank < minimum.rank:
        raise PermissionDenied(f"This needs the {minimum.label.lower()} role or higher.")


def require_verified(user: User) -> None:
    """`user` has confirmed their email address (sharing, credits and the like call this first)."""
    if not user.is_verified:
        raise PermissionDenied(
            "Verify your email address first: open the link we emailed you, or ask for a new one "
            "from the banner at the top of the page."
        )
