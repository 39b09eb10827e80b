"""Passwords over an account's life: changing one, and resetting a forgotten one by email.

A reset link lives one hour, works once, and dies with any password change (tokens are bound to the
password hash). Every new password passes `users.check_password`. Setting a password, by change or
by reset, ends every session of the account: nobody stays signed in with the old one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from mediashare import routes
from mediashare.errors import PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, AuthSession, User, utc_now
from mediashare.services import access, audit, branding, email, passwords, throttle, tokens, users
from mediashare.services.auth import Client
from mediashare.services.tokens import Purpose

RESET_COOLDOWN = timedelta(seconds=60)  # one reset email per account per minute from the public form
RESET_REQUESTED = (
    "If an account uses that email address, we have sent it a link to choose a new password. "
    "The link works for one hour; check your spam folder if nothing arrives."
)


def _in_words(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60:
        return f"{minutes} minutes"
    return "one hour" if minutes == 60 else f"{minutes // 60} hours"


_LIFETIME = _in_words(tokens.LIFETIME[Purpose.RESET_PASSWORD])


def _set_password(session: Session, *, user: User, password: str) -> None:
    """New hash, lockout lifted, every session ended (revoked, and older than password_changed_at)."""
    now = utc_now()
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at, user.updated_at = now, now
    user.failed_login_count, user.locked_until = 0, None
    session.exec(
        update(AuthSession)
        .where(col(AuthSession.user_id) == user.id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=now)
    )


def _reset_email(session: Session, user: User, *, by_admin: bool) -> email.Email:
    token = tokens.issue(purpose=Purpose.RESET_PASSWORD, user=user)
    return email.render("password_reset", to=user.email, name=user.name, username=user.username,
                        lifetime=_LIFETIME, by_admin=by_admin, brand=branding.effective(session, user),
                        link=email.link(routes.RESET_PASSWORD, token=token))


def send_password_reset(session: Session, *, user: User, requested_by: User | None, client: Client) -> None:
    """Email `user` a reset link. `requested_by` is the administrator pressing "send reset email"
    (they must be allowed to manage `user`), or None for the user themselves or the operator.
    Raises PermissionDenied, EmailFailed."""
    by_admin = requested_by is not None and requested_by.id != user.id
    if requested_by is not None:
        access.require_can_manage(session, actor=requested_by, target=user)
    if not user.is_active:
        raise PermissionDenied("This account is deactivated: reactivate it before sending a reset email.")
    message = _reset_email(session, user, by_admin=by_admin)
    audit.record(session, action=AuditAction.PASSWORD_RESET_REQUESTED, actor=requested_by, target=user,
                 ip=client.ip, user_agent=client.user_agent,
                 details={"by": "admin" if by_admin else "self", "sent": True})
    session.commit()
    email.send(message)


def _sent_recently(session: Session, user: User) -> bool:
    since = utc_now() - RESET_COOLDOWN
    recent = session.exec(
        select(AuditEvent.details).where(
            AuditEvent.action == AuditAction.PASSWORD_RESET_REQUESTED.value,
            AuditEvent.target_id == user.id,
            AuditEvent.created_at > since,
        )
    ).all()
    return any(isinstance(details, dict) and details.get("sent") for details in recent)


def request_password_reset(
    session: Session, *, email_address: str, client: Client, deliver: Callable[[email.Email], object] = email.send
) -> str:
    """The public "forgot password" form. Does the same work and returns the same sentence
    (RESET_REQUESTED) whether or not an account uses the address; only a malformed address is
    refused (ValidationFailed), and an address that asked too often (TooManyRequests, whichever
    account it asked for). `deliver` sends the email (the route defers it past the response)."""
    address = users.normalize_email(email_address[:320])
    throttle.check_action(session, action=AuditAction.PASSWORD_RESET_REQUESTED, ip=client.ip)
    user = session.exec(select(User).where(User.email_key == users.key(address))).first()
    send = user is not None and user.is_active and not _sent_recently(session, user)
    message = _reset_email(session, user, by_admin=False) if send and user is not None else None
    audit.record(session, action=AuditAction.PASSWORD_RESET_REQUESTED, actor=None, target=user,
                 ip=client.ip, user_agent=client.user_agent, details={"email": address, "sent": send})
    session.commit()
    if message is not None:
        deliver(message)
    return RESET_REQUESTED


def check_reset_token(session: Session, *, token: str) -> User:
    """The account a reset link is for, without using the link up. Raises InvalidToken."""
    user, _ = tokens.peek(session, purpose=Purpose.RESET_PASSWORD, token=token)
    return user


def reset_password(session: Session, *, token: str, new_password: str, client: Client) -> User:
    """Set a new password from a reset link and end every session (no sign-in here). Raises
    InvalidToken, or ValidationFailed (the link stays usable then)."""
    tokens.peek(session, purpose=Purpose.RESET_PASSWORD, token=token)
    users.check_password(new_password)
    user, _ = tokens.consume(session, purpose=Purpose.RESET_PASSWORD, token=token)
    _set_password(session, user=user, password=new_password)
    audit.record(session, action=AuditAction.PASSWORD_RESET_COMPLETED, actor=user, target=user,
                 ip=client.ip, user_agent=client.user_agent)
    session.commit()
    return user


def change_password(
    session: Session, *, actor: User, current_password: str, new_password: str, client: Client
) -> None:
    """Change `actor`'s password after checking the current one; every session ends, this one too.
    Raises ValidationFailed."""
    if not passwords.verify_password(current_password[: passwords.MAX_LENGTH * 4], actor.password_hash):
        raise ValidationFailed("That is not your current password.", field="current_password")
    users.check_password(new_password)
    _set_password(session, user=actor, password=new_password)
    audit.record(session, action=AuditAction.PASSWORD_CHANGED, actor=actor, target=actor,
                 ip=client.ip, user_agent=client.user_agent)
    session.commit()
