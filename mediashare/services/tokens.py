"""Signed, expiring, single-use tokens for emailed links and the two-factor sign-in step.

A token is signed with SECRET_KEY and a salt per purpose (a reset token is useless as a
verification token), expires after its purpose's lifetime, and is bound to a fingerprint of the
account (password hash, email, pending email): changing any of them invalidates older tokens.
Consuming a token inserts its id into `used_tokens` in the caller's transaction, so a second use
fails even if the first one is still being processed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from enum import StrEnum
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from mediashare.errors import InvalidToken
from mediashare.models import UsedToken, User
from mediashare.settings import get_settings


class Purpose(StrEnum):
    VERIFY_EMAIL = "verify-email"
    RESET_PASSWORD = "reset-password"
    TWO_FACTOR = "two-factor"


LIFETIME: dict[Purpose, timedelta] = {
    Purpose.VERIFY_EMAIL: timedelta(hours=24),
    Purpose.RESET_PASSWORD: timedelta(hours=1),
    Purpose.TWO_FACTOR: timedelta(minutes=5),
}

_EXPIRED = {
    Purpose.VERIFY_EMAIL: "This verification link has expired. Sign in and ask for a new one.",
    Purpose.RESET_PASSWORD: "This password reset link has expired. Ask for a new one.",
    Purpose.TWO_FACTOR: "The sign-in took too long. Please sign in again.",
}
_INVALID = {
    Purpose.VERIFY_EMAIL: "This verification link is not valid, or has already been used.",
    Purpose.RESET_PASSWORD: "This password reset link is not valid, or has already been used.",
    Purpose.TWO_FACTOR: "This sign-in step is no longer valid. Please sign in again.",
}


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret(), salt=f"mediashare.{purpose.value}")


def _fingerprint(user: User) -> str:
    material = f"{user.id}|{user.password_hash}|{user.email_key}|{user.pending_email or ''}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:24]


def issue(*, purpose: Purpose, user: User, **extra: Any) -> str:
    """A new token for `user`; `extra` (small JSON values) comes back from `consume`."""
    payload = {"u": user.id, "j": secrets.token_urlsafe(18), "f": _fingerprint(user), "x": extra}
    return _serializer(purpose).dumps(payload)


def _load(session: Session, *, purpose: Purpose, token: str) -> tuple[User, dict[str, Any]]:
    if not token or len(token) > 2048:
        raise InvalidToken(_INVALID[purpose])
    try:
        payload = _serializer(purpose).loads(token, max_age=int(LIFETIME[purpose].total_seconds()))
    except SignatureExpired:
        raise InvalidToken(_EXPIRED[purpose]) from None
    except BadSignature:
        raise InvalidToken(_INVALID[purpose]) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int) or not isinstance(payload.get("j"), str):
        raise InvalidToken(_INVALID[purpose])
    user = session.get(User, payload["u"])
    if user is None or payload.get("f") != _fingerprint(user) or session.get(UsedToken, payload["j"]) is not None:
        raise InvalidToken(_INVALID[purpose])
    return user, dict(payload.get("x") or {})


def peek(session: Session, *, purpose: Purpose, token: str) -> tuple[User, dict[str, Any]]:
    """Check a token without using it up (to show a form before the real action)."""
    return _load(session, purpose=purpose, token=token)


def consume(session: Session, *, purpose: Purpose, token: str) -> tuple[User, dict[str, Any]]:
    """Check a token and mark it used in the caller's transaction (the caller commits).
    Raises InvalidToken with a sentence for the user."""
    user, extra = _load(session, purpose=purpose, token=token)
    payload_id = _serializer(purpose).loads(token)["j"]  # signature already verified above
    session.add(UsedToken(token_id=payload_id, purpose=purpose.value, user_id=user.id))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise InvalidToken(_INVALID[purpose]) from None
    return user, extra
