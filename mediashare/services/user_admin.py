"""Managing other people's accounts: the list admins and resellers work from, and every change they
make to an account (create, edit, deactivate, reactivate, delete, unlock, password reset email,
role, parent).

Scope of the list: admins and superusers see every account (`Scope.EVERYONE`), superusers and
fellow admins included so they know who is who, but those rows are read-only
(`UserSummary.manageable` is False). Resellers see their descendants (`Scope.TEAM`, a recursive
query that runs the same on SQLite and PostgreSQL). Who may change what is decided by
`services.access`; every change is one transaction: authorize, change, audit, commit.

Admins never choose or see anyone's password: a new account gets a random one that nobody knows,
and its owner sets their own through a password reset email (`send_reset`).
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from mediashare.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuthSession, Device, Role, User, utc_now
from mediashare.services import access, audit, credentials, tickets, users
from mediashare.services.auth import Client

PAGE_SIZES = (10, 25, 50, 100)
MAX_QUERY_LENGTH = 100
MAX_PAGE = 100_000
_MAX_ID = 2**31 - 1


class Scope(StrEnum):
    """Which accounts a list covers."""

    EVERYONE = "everyone"  # admins and superusers: the whole platform
    TEAM = "team"  # the actor's descendants (a reseller's customers)


class Sort(StrEnum):
    USERNAME = "username"
    CREATED = "created"
    LAST_LOGIN = "last_login"
    ROLE = "role"


@dataclass(frozen=True)
class UserFilter:
    """What to narrow the list to; None means "either"."""

    q: str = ""  # part of the username, email or display name, ignoring case
    role: Role | None = None
    active: bool | None = None
    locked: bool | None = None
    verified: bool | None = None
    resellers_only: bool = False


@dataclass(frozen=True)
class UserSummary:
    """One row of the list, as the actor may see it."""

    id: int
    username: str
    email: str
    display_name: str
    role: Role
    parent_username: str
    is_active: bool
    locked: bool
    verified: bool
    created_at: datetime
    last_login_at: datetime | None
    is_self: bool
    manageable: bool  # the actor may act on this account (never True for the actor's own row)


@dataclass(frozen=True)
class UserPage:
    rows: list[UserSummary]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


# Listing -----------------------------------------------------------------------------------------


def team_ids(actor: User) -> sa.Select:
    """A SELECT of the ids of every descendant of `actor` (a recursive CTE; UNION stops at cycles).

    The recursion starts from the actor's own row rather than its children: PostgreSQL then
    estimates the tree as small and walks it through the parent_id index (2 ms for a reseller
    among 100,000 accounts, against 70 ms for a merge join over the whole table).
    """
    tree = select(User.id).where(User.id == actor.id).cte("team", recursive=True)
    tree = tree.union(select(User.id).join(tree, User.parent_id == tree.c.id))
    return select(tree.c.id).where(tree.c.id != actor.id)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(actor: User, scope: Scope, filters: UserFilter, now: datetime) -> list[Any]:
    conditions: list[Any] = []
    if scope is Scope.TEAM:
        conditions.append(User.id.in_(team_ids(actor)))  # type: ignore[union-attr]
    q = filters.q.strip()
    if q:
        pattern = _like(q)
        key_pattern = _like(q.casefold())
        conditions.append(
            sa.or_(
                User.username_key.like(key_pattern, escape="\\"),  # type: ignore[attr-defined]
                User.email_key.like(key_pattern, escape="\\"),  # type: ignore[attr-defined]
                User.display_name.ilike(pattern, escape="\\"),  # type: ignore[attr-defined]
            )
        )
    if filters.role is not None:
        conditions.append(User.role == filters.role)
    if filters.resellers_only:
        conditions.append(User.role == Role.RESELLER)
    if filters.active is not None:
        conditions.append(User.is_active == filters.active)  # type: ignore[arg-type]
    if filters.locked is True:
        conditions.append(User.locked_until > now)  # type: ignore[operator]
    elif filters.locked is False:
        conditions.append(sa.or_(User.locked_until.is_(None), User.locked_until <= now))  # type: ignore[union-attr,operator]
    if filters.verified is True:
        conditions.append(User.email_verified_at.is_not(None))  # type: ignore[union-attr]
    elif filters.verified is False:
        conditions.append(User.email_verified_at.is_(None))  # type: ignore[union-attr]
    return conditions


_ROLE_RANK = sa.case({role.value: role.rank for role in Role}, value=User.role, else_=0)


def _order(sort: Sort, descending: bool) -> list[Any]:
    def direction(column: Any) -> Any:
        return column.desc() if descending else column.asc()

    if sort is Sort.CREATED:
        return [direction(User.created_at), direction(User.id)]
    if sort is Sort.LAST_LOGIN:  # "never" is the oldest sign-in (the order dx_users_last_login_at keeps)
        column = direction(User.last_login_at)
        return [column.nulls_last() if descending else column.nulls_first(), direction(User.id)]
    if sort is Sort.ROLE:  # most powerful first when ascending, like the hierarchy reads
        return [direction(-_ROLE_RANK), User.username_key]
    return [direction(User.username_key)]


def _check_list_arguments(*, filters: UserFilter, sort: Sort, page: int, page_size: int) -> None:
    if len(filters.q) > MAX_QUERY_LENGTH:
        raise ValidationFailed(f"Search for at most {MAX_QUERY_LENGTH} characters.", field="q")
    if not isinstance(sort, Sort):
        raise ValidationFailed("Sort by username, created, last sign-in or role.", field="sort")
    if filters.role is not None and not isinstance(filters.role, Role):
        raise ValidationFailed("That is not a role.", field="role")
    if page_size not in PAGE_SIZES:
        raise ValidationFailed("Show 10, 25, 50 or 100 accounts per page.", field="page_size")
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= MAX_PAGE:
        raise ValidationFailed("That page does not exist.", field="page")


def list_users(
    session: Session,
    *,
    actor: User,
    scope: Scope,
    filters: UserFilter = UserFilter(),
    sort: Sort = Sort.USERNAME,
    descending: bool = False,
    page: int = 1,
    page_size: int = 25,
) -> UserPage:
    """One page of the accounts `actor` may see in `scope`, with the total. A page past the end
    gives the last page."""
    access.require_role(actor, Role.ADMIN if scope is Scope.EVERYONE else Role.RESELLER)
    _check_list_arguments(filters=filters, sort=sort, page=page, page_size=page_size)
    conditions = _conditions(actor, scope, filters, utc_now())
    total = session.exec(select(func.count()).select_from(User).where(*conditions)).one()
    page = min(page, max(1, math.ceil(total / page_size)))
    # The page's ids first (a narrow query the indexes can answer in order), then those rows and
    # their parents' names: joining before the LIMIT would join every matching account.
    ids = list(session.exec(
        select(User.id).where(*conditions).order_by(*_order(sort, descending))
        .offset((page - 1) * page_size).limit(page_size)
    ).all())
    found = {user.id: user for user in session.exec(select(User).where(User.id.in_(ids))).all()}  # type: ignore[union-attr]
    parent_ids = {user.parent_id for user in found.values() if user.parent_id is not None}
    parents = dict(session.exec(
        select(User.id, User.username).where(User.id.in_(parent_ids))  # type: ignore[union-attr]
    ).all()) if parent_ids else {}
    rows = [(found[user_id], parents.get(found[user_id].parent_id, "")) for user_id in ids if user_id in found]
    return UserPage(rows=_summaries(session, actor, scope, rows), total=total, page=page, page_size=page_size)


def _summaries(session: Session, actor: User, scope: Scope, found: list[tuple[User, str]]) -> list[UserSummary]:
    now = utc_now()
    actor_ancestors = set(access.ancestor_ids(session, actor))
    rows = []
    for user, parent_username in found:
        if user.id == actor.id or user.role.rank > actor.role.rank:
            manageable = False
        elif scope is Scope.TEAM:
            manageable = True  # a descendant, by construction of the query
        elif user.role is actor.role:
            manageable = access.can_manage(session, actor=actor, target=user)
        else:
            manageable = user.id not in actor_ancestors
        rows.append(
            UserSummary(
                id=user.id,  # type: ignore[arg-type]
                username=user.username,
                email=user.email,
                display_name=user.display_name,
                role=user.role,
                parent_username=parent_username,
                is_active=user.is_active,
                locked=user.locked_until is not None and user.locked_until > now,
                verified=user.is_verified,
                created_at=user.created_at,
                last_login_at=user.last_login_at,
                is_self=user.id == actor.id,
                manageable=manageable and actor.is_active,
            )
        )
    return rows


# Changes -----------------------------------------------------------------------------------------


def _target(session: Session, *, actor: User, user_id: int, doing: str | None = None) -> User:
    """The account `user_id` if `actor` manages it; `doing` also refuses the actor's own account."""
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 1 <= user_id <= _MAX_ID:
        raise NotFound("That account does not exist.")
    target = session.get(User, user_id)
    if target is None:
        raise NotFound("That account does not exist (it may have just been deleted).")
    if doing is not None:
        access.require_not_self(actor=actor, target=target, doing=doing)
    access.require_can_manage(session, actor=actor, target=target)
    return target


def find_in_team(session: Session, *, actor: User, username: str) -> User:
    """The account called `username` if `actor` manages it; the same sentence whether it does not
    exist or is outside the actor's team (a reseller learns nothing about other teams)."""
    name = username.strip()[:64]
    found = users.find_by_login(session, name) if name and "@" not in name else None
    if found is None or not access.can_manage(session, actor=actor, target=found):
        raise ValidationFailed(f"There is no account called {name or '(empty)'} in your team.", field="parent")
    return found


def grantable_roles(actor: User) -> list[Role]:
    """The roles `actor` may give, most powerful first."""
    granted = []
    for role in Role:
        try:
            access.require_can_grant(actor=actor, role=role)
        except PermissionDenied:
            continue
        granted.append(role)
    return granted


def create(
    session: Session,
    *,
    actor: User,
    username: str,
    email: str,
    role: Role,
    display_name: str = "",
    parent_username: str = "",
    client: Client,
) -> User:
    """Create an account below `parent_username` (default: the actor) with a password nobody
    knows; its owner sets one through a password reset email."""
    access.require_role(actor, Role.RESELLER)
    if not isinstance(role, Role):
        raise ValidationFailed("That is not a role.", field="role")
    access.require_can_grant(actor=actor, role=role)
    parent = find_in_team(session, actor=actor, username=parent_username) if parent_username.strip() else actor
    access.require_placement(parent=parent, role=role)
    return users.create_user(
        session,
        actor=actor,
        username=username,
        email=email,
        password=secrets.token_urlsafe(32),
        role=role,
        parent_id=parent.id,
        display_name=display_name,
        ip=client.ip,
        user_agent=client.user_agent,
    )


def edit(
    session: Session,
    *,
    actor: User,
    user_id: int,
    display_name: str,
    email: str,
    client: Client,
) -> list[str]:
    """Change another account's display name and email; returns the names of the fields that
    changed. A new email address is no longer verified."""
    target = _target(session, actor=actor, user_id=user_id)
    if target.id == actor.id:
        raise PermissionDenied("Change your own name and email on your account page.")
    display_name = display_name.strip()
    if len(display_name) > 80:
        raise ValidationFailed("A display name has at most 80 characters.", field="display_name")
    email = users.normalize_email(email)
    changes: dict[str, dict[str, str]] = {}
    if display_name != target.display_name:
        changes["display_name"] = {"from": target.display_name, "to": display_name}
    if users.key(email) != target.email_key:
        taken = session.exec(select(User.id).where(User.email_key == users.key(email))).first()
        if taken is not None:
            raise Conflict(f"An account with the email {email} already exists.")
        changes["email"] = {"from": target.email, "to": email}
    elif email != target.email:
        changes["email"] = {"from": target.email, "to": email}  # only its case changed
    if not changes:
        return []
    if "email" in changes and users.key(email) != target.email_key:
        target.email_verified_at = None
        target.pending_email = None
    target.display_name, target.email, target.email_key = display_name, email, users.key(email)
    target.updated_at = utc_now()
    audit.record(session, action=AuditAction.USER_UPDATED, actor=actor, target=target,
                 ip=client.ip, user_agent=client.user_agent, details=changes)
    session.commit()
    return list(changes)


def _end_sessions(session: Session, user: User) -> int:
    """Revoke every live session of `user`; returns how many there were."""
    result = session.execute(
        sa.update(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))  # type: ignore[union-attr]
        .values(revoked_at=utc_now())
    )
    return result.rowcount or 0


def deactivate(session: Session, *, actor: User, user_id: int, client: Client) -> int:
    """Stop an account from signing in and end all its sessions; returns how many ended. The support
    tickets it handled as a reseller move on at once (`tickets.reroute_from`)."""
    target = _target(session, actor=actor, user_id=user_id, doing="deactivate")
    if not target.is_active:
        raise Conflict(f"{target.username} is already deactivated.")
    target.is_active = False
    target.updated_at = utc_now()
    ended = _end_sessions(session, target)
    moved = tickets.reroute_from(session, reseller=target, because="was deactivated", actor=actor, client=client)
    audit.record(session, action=AuditAction.USER_DEACTIVATED, actor=actor, target=target,
                 ip=client.ip, user_agent=client.user_agent,
                 details={"sessions_ended": ended, **({"tickets_moved": moved} if moved else {})})
    session.commit()
    return ended


def reactivate(session: Session, *, actor: User, user_id: int, client: Client) -> None:
    """Let a deactivated account sign in again (tickets moved away from it stay where they went)."""
    target = _target(session, actor=actor, user_id=user_id, doing="reactivate")
    if target.is_active:
        raise Conflict(f"{target.username} is already active.")
    target.is_active = True
    target.updated_at = utc_now()
    audit.record(session, action=AuditAction.USER_REACTIVATED, actor=actor, target=target,
                 ip=client.ip, user_agent=client.user_agent)
    session.commit()


def _children(session: Session, user: User) -> int:
    return session.exec(select(func.count()).select_from(User).where(User.parent_id == user.id)).one()


def schedule_media_removal(session: Session, *, user_id: int) -> None:
    """Hook for deleting an account's media, called inside the delete transaction.

    MediaShare stores no media yet: the media issue must make this schedule the removal of the
    account's files (a job taking `user_id`) before the account row goes. Until then there is
    nothing to remove, and this deliberately does nothing.
    """
    return None


def delete(session: Session, *, actor: User, user_id: int, confirm: str, client: Client) -> None:
    """Delete an account for good, with its sessions and devices. `confirm` must be its username.
    Refused while other accounts hang below it."""
    target = _target(session, actor=actor, user_id=user_id, doing="delete")
    if not isinstance(confirm, str) or confirm.strip() != target.username:
        raise ValidationFailed(f"Type the username {target.username} to confirm.", field="confirm")
    children = _children(session, target)
    if children:
        accounts = "account" if children == 1 else "accounts"
        raise Conflict(
            f"{target.username} still has {children} {accounts} under it. Move them to another parent first."
        )
    schedule_media_removal(session, user_id=target.id)  # type: ignore[arg-type]
    tickets.reroute_from(session, reseller=target, because="was deleted", actor=actor, client=client)
    sessions_removed = session.execute(sa.delete(AuthSession).where(AuthSession.user_id == target.id)).rowcount
    devices_removed = session.execute(sa.delete(Device).where(Device.user_id == target.id)).rowcount
    audit.record(session, action=AuditAction.USER_DELETED, actor=actor, target=target,
                 ip=client.ip, user_agent=client.user_agent,
                 details={"role": target.role.value, "parent_id": target.parent_id,
                          "sessions_removed": sessions_removed or 0, "devices_removed": devices_removed or 0})
    session.delete(target)
    session.commit()


def unlock(session: Session, *, actor: User, user_id: int, client: Client) -> None:
    """Lift a lockout after failed sign-ins and reset the failure count."""
    target = _target(session, actor=actor, user_id=user_id)
    locked = target.locked_until is not None and target.locked_until > utc_now()
    if not locked and target.failed_login_count == 0:
        raise Conflict(f"{target.username} is not locked.")
    details = {
        "locked_until": target.locked_until.isoformat() if target.locked_until else None,
        "failed_login_count": target.failed_login_count,
    }
    target.locked_until, target.failed_login_count = None, 0
    audit.record(session, action=AuditAction.ACCOUNT_UNLOCKED, actor=actor, target=target,
                 ip=client.ip, user_agent=client.user_agent, details=details)
    session.commit()


def send_reset(session: Session, *, actor: User, user_id: int, client: Client) -> None:
    """Email the account's owner a link to choose a new password (credentials.send_password_reset
    sends and audits it). Admins never set passwords themselves."""
    target = _target(session, actor=actor, user_id=user_id)
    if not target.is_active:
        raise Conflict(f"{target.username} is deactivated. Reactivate it before sending a password reset email.")
    credentials.send_password_reset(session, user=target, requested_by=actor, client=client)


def change_role(session: Session, *, actor: User, user_id: int, role: Role, client: Client) -> None:
    """Give an account another role, within what the actor may grant and the tree allows."""
    if not isinstance(role, Role):
        raise ValidationFailed("That is not a role.", field="role")
    target = _target(session, actor=actor, user_id=user_id, doing="change the role of")
    access.require_can_grant(actor=actor, role=role)
    if role is target.role:
        raise Conflict(f"{target.username} already has the {role.label.lower()} role.")
    if target.parent_id is not None:
        parent = session.get(User, target.parent_id)
        if parent is not None:
            access.require_placement(parent=parent, role=role)
    child_roles = set(session.exec(select(User.role).where(User.parent_id == target.id)).all())
    if child_roles and (role is Role.USER or any(child.rank > role.rank for child in child_roles)):
        raise ValidationFailed(
            f"{target.username} has accounts under it that a {role.label.lower()} cannot have. "
            "Move them to another parent first.",
            field="role",
        )
    old = target.role
    target.role = role
    target.updated_at = utc_now()
    if old is Role.RESELLER:
        tickets.reroute_from(session, reseller=target, because="is no longer a reseller", actor=actor, client=client)
    audit.record(session, action=AuditAction.ROLE_CHANGED, actor=actor, target=target,
                 ip=client.ip, user_agent=client.user_agent, details={"from": old.value, "to": role.value})
    session.commit()


def change_parent(
    session: Session, *, actor: User, user_id: int, parent_username: str, client: Client
) -> User:
    """Move an account (with everything below it) under another account in the actor's team;
    returns the new parent."""
    target = _target(session, actor=actor, user_id=user_id, doing="move")
    parent = find_in_team(session, actor=actor, username=parent_username)
    access.require_can_reparent(session, actor=actor, target=target, parent=parent)
    if parent.id == target.parent_id:
        raise Conflict(f"{target.username} is already under {parent.username}.")
    old_parent = session.get(User, target.parent_id) if target.parent_id is not None else None
    target.parent_id = parent.id
    target.updated_at = utc_now()
    audit.record(
        session, action=AuditAction.PARENT_CHANGED, actor=actor, target=target,
        ip=client.ip, user_agent=client.user_agent,
        details={"from": old_parent.username if old_parent else None,
                 "from_id": old_parent.id if old_parent else None,
                 "to": parent.username, "to_id": parent.id},
    )
    session.commit()
    return parent
