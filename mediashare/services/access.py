"""Who may do what to whom: the role hierarchy rules every service asks before acting.

Roles rank superuser > admin > reseller > user, and accounts form a tree: every account except the
first superuser (the root) has a parent. The rules, complete:

- Everyone manages their own account (but see `require_not_self` for the moves nobody makes on
  themselves: deactivate, delete, change their own role or parent).
- Nobody manages an account with a higher role than theirs, or one of their own ancestors.
- A user manages only itself.
- A reseller manages its descendants, and nothing else (not its parent, not a sibling reseller,
  not another reseller's customers).
- An admin or superuser manages every account with a lower role, wherever it sits, and the
  accounts of its own role that sit below it. So admins see superusers and fellow admins but
  cannot act on them; only superusers act on admins; the root superuser is managed by nobody else.
- Nobody grants a role equal to or above their own, except a superuser (who creates admins and
  superusers).
- A parent is a reseller, admin or superuser with a role at least as high as its child's
  ("placement"): users have no children, an admin never hangs below a reseller.
- Re-parenting: the new parent must be an account the actor manages, and never the account itself
  or one of its descendants (no cycles).
"""

from __future__ import annotations

from sqlmodel import Session, select

from mediashare.errors import PermissionDenied, ValidationFailed
from mediashare.models import Role, User

_MAX_DEPTH = 64  # no real tree is this deep; a longer walk means corrupt data, and we stop


def ancestor_ids(session: Session, user: User) -> list[int]:
    """Ids of `user`'s parent, grandparent, … up to the root (cycle-safe)."""
    ids: list[int] = []
    parent_id = user.parent_id
    while parent_id is not None and parent_id not in ids and len(ids) < _MAX_DEPTH:
        ids.append(parent_id)
        parent_id = session.exec(select(User.parent_id).where(User.id == parent_id)).first()
    return ids


def is_descendant(session: Session, *, user: User, of: User) -> bool:
    """True when `of` is a (strict) ancestor of `user`."""
    return of.id is not None and of.id in ancestor_ids(session, user)


def can_manage(session: Session, *, actor: User, target: User) -> bool:
    """Whether `actor` may act on `target` at all (the module docstring states the rules)."""
    if not actor.is_active:
        return False
    if actor.id == target.id:
        return True
    if actor.role is Role.USER or target.role.rank > actor.role.rank:
        return False
    if actor.role is Role.RESELLER or target.role is actor.role:
        return is_descendant(session, user=target, of=actor)
    # An admin or superuser over a lower role: anywhere, except its own ancestors (which a sound
    # tree never has below it, but an old row might).
    return not is_descendant(session, user=actor, of=target)


def require_can_manage(session: Session, *, actor: User, target: User) -> None:
    if not can_manage(session, actor=actor, target=target):
        raise PermissionDenied("You can only manage accounts in your own team.")


def require_not_self(*, actor: User, target: User, doing: str) -> None:
    """Refuse the moves nobody makes on their own account (`doing`: "deactivate", …)."""
    if actor.id == target.id:
        raise PermissionDenied(f"You cannot {doing} your own account.")


def require_can_grant(*, actor: User | None, role: Role) -> None:
    """Nobody grants a role equal to or above their own, except a superuser creating admins
    (and superusers). `actor=None` is the operator at the command line."""
    if actor is None:
        return
    if actor.role is Role.SUPERUSER:
        return
    if role.rank >= actor.role.rank:
        raise PermissionDenied(f"You cannot give an account the {role.label.lower()} role.")


def require_placement(*, parent: User, role: Role) -> None:
    """An account with `role` may hang below `parent` (see "placement" above)."""
    if parent.role is Role.USER:
        raise ValidationFailed(
            f"{parent.username} is a user account and cannot have accounts under it.", field="parent"
        )
    if parent.role.rank < role.rank:
        raise ValidationFailed(
            f"An account with the {role.label.lower()} role cannot be under {parent.username}, "
            f"who is a {parent.role.label.lower()}.",
            field="parent",
        )


def require_can_reparent(session: Session, *, actor: User, target: User, parent: User) -> None:
    """`actor` may move `target` below `parent`: manages both, no cycle, sound placement."""
    require_not_self(actor=actor, target=target, doing="move")
    require_can_manage(session, actor=actor, target=target)
    if not can_manage(session, actor=actor, target=parent):
        raise PermissionDenied("You can only move accounts under accounts you manage.")
    if parent.id == target.id or is_descendant(session, user=parent, of=target):
        raise ValidationFailed(
            f"{target.username} cannot be moved under {parent.username}, which is part of its own team.",
            field="parent",
        )
    require_placement(parent=parent, role=target.role)


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
