"""Signing in and out: password check with lockout, sessions and the devices they come from.

The browser holds a random session token (in an HttpOnly cookie); we store only its SHA-256, so a
copy of the database cannot be used to sign in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select
from ua_parser import parse as parse_user_agent

from mediashare.errors import AccountLocked, InvalidCredentials, PermissionDenied
from mediashare.models import AuditAction, AuthSession, Device, User, utc_now
from mediashare.services import audit, passwords, users
from mediashare.settings import get_settings

_TOUCH_EVERY = timedelta(seconds=60)  # write last_seen at most this often per session


@dataclass(frozen=True)
class Client:
    """Where a request came from, as our own server saw it."""

    ip: str = ""
    user_agent: str = ""


@dataclass(frozen=True)
class SignIn:
    """A successful login: the account, the token for the browser, and the device cookie."""

    user: User
    token: str
    device_key: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def device_name(user_agent: str) -> str:
    """A readable name like "Chrome on Android" for a user-agent string."""
    result = parse_user_agent(user_agent[:512]) if user_agent else None
    if result is None or result.user_agent is None:
        return "Unknown device"
    browser = result.user_agent.family
    system = result.os.family if result.os is not None and result.os.family != "Other" else ""
    return f"{browser} on {system}" if system else browser


def _remaining_minutes(user: User) -> int:
    assert user.locked_until is not None
    seconds = (user.locked_until - utc_now()).total_seconds()
    return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))


def _device(session: Session, *, user: User, device_key: str | None, client: Client) -> tuple[Device, str]:
    """The device this browser's cookie names for `user`, or a new one (and its new cookie)."""
    now = utc_now()
    if device_key:
        device = session.exec(
            select(Device).where(Device.user_id == user.id, Device.key_hash == token_hash(device_key))
        ).first()
        if device is not None:
            device.last_seen_at, device.last_ip = now, client.ip[:45]
            device.user_agent = client.user_agent[:512]
            return device, device_key
    device_key = secrets.token_urlsafe(32)
    device = Device(
        user_id=user.id,  # type: ignore[arg-type]
        key_hash=token_hash(device_key),
        name=device_name(client.user_agent),
        user_agent=client.user_agent[:512],
        last_ip=client.ip[:45],
    )
    session.add(device)
    session.flush()
    return device, device_key


def login(
    session: Session, *, identifier: str, password: str, client: Client, device_key: str | None = None
) -> SignIn:
    """Check the password and open a session. Raises InvalidCredentials (same sentence whether or
    not the account exists, with the same hashing cost), AccountLocked or PermissionDenied."""
    config = get_settings()
    user = users.find_by_login(session, identifier[:254])
    now = utc_now()
    locked = user is not None and user.locked_until is not None and user.locked_until > now
    matches = passwords.verify_password(password[: passwords.MAX_LENGTH * 4], user.password_hash if user else None)

    if user is None or locked or not matches:
        details = {"identifier": identifier[:254], "reason": "locked" if locked else "bad_password"}
        if user is not None and not locked:
            user.failed_login_count += 1
            if user.failed_login_count >= config.lockout_threshold:
                user.locked_until = now + timedelta(minutes=config.lockout_minutes)
                user.failed_login_count = 0
                locked = True
                audit.record(session, action=AuditAction.ACCOUNT_LOCKED, actor=None, target=user,
                             ip=client.ip, user_agent=client.user_agent,
                             details={"minutes": config.lockout_minutes})
        audit.record(session, action=AuditAction.LOGIN_FAILED, actor=None, target=user,
                     ip=client.ip, user_agent=client.user_agent, details=details)
        session.commit()
        if locked and user is not None:
            raise AccountLocked(minutes=_remaining_minutes(user))
        raise InvalidCredentials()

    if not user.is_active:
        raise PermissionDenied("This account has been deactivated. Please contact your administrator.")

    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    device, device_key = _device(session, user=user, device_key=device_key, client=client)
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            user_id=user.id,  # type: ignore[arg-type]
            device_id=device.id,
            token_hash=token_hash(token),
            ip=client.ip[:45],
            user_agent=client.user_agent[:512],
            expires_at=now + timedelta(days=config.session_absolute_days),
        )
    )
    audit.record(session, action=AuditAction.LOGIN_SUCCEEDED, actor=user, target=user,
                 ip=client.ip, user_agent=client.user_agent, details={"device": device.name})
    session.commit()
    return SignIn(user=user, token=token, device_key=device_key)


def _live_session(session: Session, token: str) -> AuthSession | None:
    """The session behind `token` if it is neither revoked nor expired (absolute or idle)."""
    if not token or len(token) > 256:
        return None
    found = session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash(token))).first()
    now = utc_now()
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    if found is None or found.revoked_at is not None or found.expires_at <= now or found.last_seen_at + idle <= now:
        return None
    return found


def resolve(session: Session, token: str | None) -> User | None:
    """The active account signed in with `token`, or None. Marks the session as seen."""
    found = _live_session(session, token or "")
    if found is None:
        return None
    user = session.get(User, found.user_id)
    if user is None or not user.is_active or found.created_at < user.password_changed_at:
        return None
    now = utc_now()
    if now - found.last_seen_at >= _TOUCH_EVERY:
        found.last_seen_at = now
        session.commit()
    return user


def logout(session: Session, *, token: str | None, client: Client) -> None:
    """End the session behind `token` on the server (a no-op for an unknown token)."""
    found = _live_session(session, token or "")
    if found is None:
        return
    found.revoked_at = utc_now()
    user = session.get(User, found.user_id)
    audit.record(session, action=AuditAction.LOGOUT, actor=user, target=user,
                 ip=client.ip, user_agent=client.user_agent)
    session.commit()
