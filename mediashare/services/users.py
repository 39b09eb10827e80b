"""Creating and finding accounts."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from mediashare.errors import Conflict, ValidationFailed
from mediashare.models import AuditAction, Role, User, utc_now
from mediashare.services import access, audit, passwords

_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{2,31}")
_COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt"


def normalize_username(username: str) -> str:
    """Validated username as typed (trimmed); raises ValidationFailed with the rule it broke."""
    username = username.strip()
    if not _USERNAME.fullmatch(username):
        raise ValidationFailed(
            "A username has 3 to 32 characters: letters, digits, '.', '_' or '-', "
            "starting with a letter or digit.",
            field="username",
        )
    return username


def normalize_email(email: str) -> str:
    """Validated email address in its normalized form (no DNS look-up)."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValidationFailed(f"That email address is not valid: {error}", field="email") from None


@functools.cache
def _common_passwords() -> frozenset[str]:
    """The common-password list, casefolded; read once per process (comment lines skipped)."""
    with _COMMON_PASSWORDS.open(encoding="utf-8") as handle:
        return frozenset(line.strip().casefold() for line in handle if line.strip() and not line.startswith("#"))


def check_password(password: str) -> None:
    """Every new password passes here: 8 to 128 characters, any Unicode, never truncated, no
    composition rules, and not one of the 10,000 most common passwords (ignoring case)."""
    if len(password) < passwords.MIN_LENGTH:
        raise ValidationFailed(
            f"Use a password of at least {passwords.MIN_LENGTH} characters.", field="password"
        )
    if len(password) > passwords.MAX_LENGTH:
        raise ValidationFailed(
            f"Use a password of at most {passwords.MAX_LENGTH} characters.", field="password"
        )
    if password.casefold() in _common_passwords():
        raise ValidationFailed(
            "That password is one of the most common passwords, so it would be guessed quickly. "
            "Please choose another.",
            field="password",
        )


def key(value: str) -> str:
    """The case-insensitive form used for uniqueness and look-ups."""
    return value.strip().casefold()


def find_by_login(session: Session, identifier: str) -> User | None:
    """The account whose username or email is `identifier`, ignoring case."""
    wanted = key(identifier)
    if not wanted:
        return None
    column = User.email_key if "@" in wanted else User.username_key
    return session.exec(select(User).where(column == wanted)).first()


def first_superuser(session: Session) -> User | None:
    return session.exec(
        select(User).where(User.role == Role.SUPERUSER).order_by(User.id).limit(1)  # type: ignore[arg-type]
    ).first()


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


def _resolve_parent(session: Session, *, actor: User | None, role: Role, parent_id: int | None) -> int | None:
    if parent_id is not None:
        parent = session.get(User, parent_id)
        if parent is None:
            raise ValidationFailed("The chosen parent account does not exist.", field="parent_id")
        if actor is not None:
            access.require_can_manage(session, actor=actor, target=parent)
        return parent.id
    if actor is not None:
        return actor.id
    root = first_superuser(session)
    if root is None:
        if role is not Role.SUPERUSER:
            raise ValidationFailed("Create a superuser first: every other account needs a parent.")
        return None
    return root.id


def add_user(
    session: Session,
    *,
    actor: User | None,
    username: str,
    email: str,
    password: str,
    role: Role = Role.USER,
    parent_id: int | None = None,
    display_name: str = "",
    verified: bool = False,
) -> User:
    """Validate and add a new account to the caller's transaction (the caller audits and commits).
    Raises ValidationFailed, Conflict or PermissionDenied before adding anything."""
    access.require_can_grant(actor=actor, role=role)
    username = normalize_username(username)
    email = normalize_email(email)
    check_password(password)
    display_name = display_name.strip()
    if len(display_name) > 80:
        raise ValidationFailed("A display name has at most 80 characters.", field="display_name")
    if session.exec(select(User.id).where(User.username_key == key(username))).first() is not None:
        raise Conflict(f"The username {username} is already taken.")
    if session.exec(select(User.id).where(User.email_key == key(email))).first() is not None:
        raise Conflict(f"An account with the email {email} already exists.")
    user = User(
        username=username,
        username_key=key(username),
        email=email,
        email_key=key(email),
        display_name=display_name,
        password_hash=passwords.hash_password(password),
        role=role,
        parent_id=_resolve_parent(session, actor=actor, role=role, parent_id=parent_id),
        email_verified_at=utc_now() if verified else None,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # another request took the name or address a moment ago
        session.rollback()
        raise Conflict("That username or email address was just taken. Please choose another.") from None
    return user


def create_user(
    session: Session,
    *,
    actor: User | None,
    username: str,
    email: str,
    password: str,
    role: Role = Role.USER,
    parent_id: int | None = None,
    display_name: str = "",
    verified: bool = False,
    ip: str = "",
    user_agent: str = "",
) -> User:
    """Create an account under `parent_id` (default: the actor, or the first superuser when the
    operator runs the CLI). `actor=None` means the operator. Raises ValidationFailed, Conflict,
    PermissionDenied and changes nothing then."""
    user = add_user(
        session, actor=actor, username=username, email=email, password=password, role=role,
        parent_id=parent_id, display_name=display_name, verified=verified,
    )
    audit.record(
        session,
        action=AuditAction.USER_CREATED,
        actor=actor,
        target=user,
        ip=ip,
        user_agent=user_agent,
        details={"role": role.value, "parent_id": user.parent_id, "via": "cli" if actor is None else "app"},
    )
    session.commit()
    return user
