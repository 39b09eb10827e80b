"""Signing in and out: password check with lockout, the two-factor step, sessions and devices.

A sign-in is two steps: `login` checks the password (after the per-address throttle and the
per-account lockout); for an account with two-factor authentication it returns a short-lived
pending token instead of a session, and `two_factor.complete_sign_in` checks the code. Both steps
end in `open_session` on success and in `reject` on failure, so wrong codes count toward the same
lockout as wrong passwords.

The browser holds a random session token (in an HttpOnly cookie); we store only its SHA-256, so a
copy of the database cannot be used to sign in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NoReturn

from sqlmodel import Session, select
from ua_parser import parse as parse_user_agent

from mediashare import routes
from mediashare.errors import AccountLocked, InvalidCredentials, MediashareError, PermissionDenied
from mediashare.models import AuditAction, AuthSession, Device, User, utc_now
from mediashare.services import (
    audit,
    branding,
    email,
    notifications,
    passwords,
    platform,
    throttle,
    tokens,
    users,
)
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


@dataclass(frozen=True)
class SecondFactorNeeded:
    """The password was right but the account uses two-factor authentication: no session yet.
    `pending` is a signed five-minute token that `two_factor.complete_sign_in` takes with the code."""

    user: User
    pending: str


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


@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int  # failed sign-ins in a row that lock the account
    minutes: int  # how long it stays locked


def lockout_policy(session: Session) -> LockoutPolicy:
    """The platform settings `lockout_threshold` / `lockout_minutes` when an operator set them (read on
    every attempt, so a change applies at once), else LOCKOUT_THRESHOLD / LOCKOUT_MINUTES."""
    config = get_settings()
    return LockoutPolicy(threshold=int(platform.get(session, "lockout_threshold")) or config.lockout_threshold,
                         minutes=int(platform.get(session, "lockout_minutes")) or config.lockout_minutes)


def _remaining_minutes(user: User) -> int:
    assert user.locked_until is not None
    seconds = (user.locked_until - utc_now()).total_seconds()
    return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utc_now()


def _device(session: Session, *, user: User, device_key: str | None, client: Client) -> tuple[Device, str, bool]:
    """The device this browser's cookie names for `user`, or a new one (and its new cookie);
    the flag says whether it is new."""
    now = utc_now()
    if device_key:
        device = session.exec(
            select(Device).where(Device.user_id == user.id, Device.key_hash == token_hash(device_key[:256]))
        ).first()
        if device is not None:
            device.last_seen_at, device.last_ip = now, client.ip[:45]
            device.user_agent = client.user_agent[:512]
            return device, device_key, False
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
    return device, device_key, True


def reject(
    session: Session, *, user: User | None, client: Client, reason: str, identifier: str = "",
    error: MediashareError | None = None,
) -> NoReturn:
    """Record a failed sign-in step (a wrong password or code) and raise.

    One transaction: the failure counts toward `user`'s lockout (unless already locked) and toward
    the client address's throttle, and is audited. When this failure locks the account, its owner
    is emailed after the commit (in the background: the answer must not be slower). Raises
    AccountLocked when the account is (now) locked, else `error` (default InvalidCredentials)."""
    config = lockout_policy(session)
    locked = user is not None and is_locked(user)
    locked_now = False
    if user is not None and not locked:
        user.failed_login_count += 1
        if user.failed_login_count >= config.threshold:
            user.locked_until = utc_now() + timedelta(minutes=config.minutes)
            user.failed_login_count = 0
            locked = locked_now = True
            audit.record(session, action=AuditAction.ACCOUNT_LOCKED, actor=None, target=user,
                         ip=client.ip, user_agent=client.user_agent,
                         details={"minutes": config.minutes})
    throttle.record(session, ip=client.ip, succeeded=False, user_agent=client.user_agent)
    details = {"identifier": identifier[:254], "reason": "locked" if locked and not locked_now else reason}
    audit.record(session, action=AuditAction.LOGIN_FAILED, actor=None, target=user,
                 ip=client.ip, user_agent=client.user_agent, details=details)
    session.commit()
    if locked_now and user is not None:
        email.send_in_background(email.render(
            "account_locked", to=user.email, name=user.name, minutes=config.minutes,
            ip=client.ip or "an unknown address", device=device_name(client.user_agent),
            when=utc_now().strftime("%d %b %Y %H:%M UTC"), reset_link=email.link(routes.FORGOT_PASSWORD),
            brand=branding.effective(session, user),
        ))
    if locked and user is not None:
        raise AccountLocked(minutes=_remaining_minutes(user))
    raise error or InvalidCredentials()


def _require_active(user: User) -> None:
    if not user.is_active:
        raise PermissionDenied("This account has been deactivated. Please contact your administrator.")


def login(
    session: Session, *, identifier: str, password: str, client: Client, device_key: str | None = None
) -> SignIn | SecondFactorNeeded:
    """Check the password; open a session, or ask for the second factor when the account uses one.

    Raises TooManyRequests (this address failed too often; no account is looked up or changed),
    InvalidCredentials (the same sentence whether or not the account exists, with the same hashing
    cost), AccountLocked or PermissionDenied."""
    throttle.check(session, ip=client.ip)
    identifier = identifier[:254]
    user = users.find_by_login(session, identifier)
    locked = user is not None and is_locked(user)
    matches = passwords.verify_password(password[: passwords.MAX_LENGTH * 4], user.password_hash if user else None)
    if user is None or locked or not matches:
        reject(session, user=user, client=client, reason="bad_password", identifier=identifier)
    _require_active(user)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        session.commit()
    if user.has_totp:
        # The failure count is not reset here: a right password followed by wrong codes must still
        # end in a lockout.
        return SecondFactorNeeded(user=user, pending=tokens.issue(purpose=tokens.Purpose.TWO_FACTOR, user=user))
    return open_session(session, user=user, client=client, device_key=device_key, via="password")


def open_session(
    session: Session, *, user: User, client: Client, device_key: str | None = None, via: str = "password",
    details: dict[str, Any] | None = None,
) -> SignIn:
    """Open a session for `user`, who has passed every sign-in step (callers check; this does not).

    One transaction with whatever the caller already added (a consumed two-factor token, say):
    resets the failure count, records the device, and, when this browser is a new device for an
    account that already had one, notifies the owner (in the app and/or by email, as they chose)."""
    _require_active(user)
    config = get_settings()
    now = utc_now()
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    had_devices = session.exec(select(Device.id).where(Device.user_id == user.id).limit(1)).first() is not None
    device, device_key, new_device = _device(session, user=user, device_key=device_key, client=client)
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
    if new_device and had_devices:  # the email (when the owner wants it) leaves after the commit
        notifications.create(
            session, user=user, kind="new_device", title=f"New sign-in from {device.name}",
            body=f"Someone signed in to your account from {device.name} ({client.ip or 'unknown address'}). "
                 "If it was not you, sign that session out and change your password.",
            link=routes.SESSIONS,
            message=email.render(
                "new_device", to=user.email, name=user.name, device=device.name,
                ip=client.ip or "an unknown address", when=now.strftime("%d %b %Y %H:%M UTC"),
                sessions_link=email.link(routes.SESSIONS), brand=branding.effective(session, user),
            ),
        )
    throttle.record(session, ip=client.ip, succeeded=True, user_agent=client.user_agent)
    audit.record(session, action=AuditAction.LOGIN_SUCCEEDED, actor=user, target=user,
                 ip=client.ip, user_agent=client.user_agent,
                 details={"device": device.name, "via": via, "new_device": new_device, **(details or {})})
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


def resolve(session: Session, token: str | None, *, touch: bool = True) -> User | None:
    """The active account signed in with `token`, or None. Marks the session as seen, unless
    `touch` is False (a poll no person asked for must not keep an idle session alive)."""
    found = _live_session(session, token or "")
    if found is None:
        return None
    user = session.get(User, found.user_id)
    if user is None or not user.is_active or found.created_at < user.password_changed_at:
        return None
    now = utc_now()
    if touch and now - found.last_seen_at >= _TOUCH_EVERY:
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
