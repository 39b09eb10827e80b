"""Two-factor authentication: time-based codes from an authenticator app (TOTP, RFC 6238) and
single-use recovery codes.

The TOTP secret is stored encrypted (Fernet, with a key derived from SECRET_KEY), so a copy of the
database alone cannot produce codes. Set-up is two steps: `begin_setup` stores a new secret and
returns it (as text and as a QR code) to show once; `confirm_setup` turns two-factor on only when
a code from the app matches, and returns ten recovery codes, shown once and stored argon2-hashed.
A code is accepted within one 30-second step either side of ours and only once: every accepted
step is recorded in `used_tokens`, so a code seen over someone's shoulder cannot be replayed.
Wrong codes at sign-in count toward the same lockout as wrong passwords (`auth.reject`).
"""

from __future__ import annotations

import base64
import functools
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import segno
import sqlalchemy as sa
from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken as FernetInvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlmodel import Session, col, select

from mediashare.errors import Conflict, InvalidToken, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, RecoveryCode, Role, UsedToken, User, utc_now
from mediashare.services import audit, auth, passwords, platform, throttle, tokens
from mediashare.settings import get_settings

ISSUER = "MediaShare"
RECOVERY_CODE_COUNT = 10
VALID_WINDOW = 1  # steps accepted either side of the current one (clock drift, slow typing)
_STEP_PURPOSE = "totp-step"  # `used_tokens.purpose` of an accepted TOTP step
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
_SIX_DIGITS = re.compile(r"\d{6}")

WRONG_CODE = "That code is not right. Check the time on your phone and try again, or use a recovery code."


@dataclass(frozen=True)
class Setup:
    """What to show once while setting up: the secret as text, its otpauth URI and a QR code."""

    secret: str
    uri: str
    qr_data_uri: str  # data:image/svg+xml,… rendered on the server


@functools.lru_cache(maxsize=4)
def _fernet_for(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"mediashare.totp-secret").derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _fernet() -> Fernet:
    return _fernet_for(get_settings().secret())


def _secret(user: User) -> str | None:
    """The user's decrypted TOTP secret (None when there is none or it cannot be decrypted, e.g.
    after SECRET_KEY changed)."""
    if not user.totp_secret_encrypted:
        return None
    try:
        return _fernet().decrypt(user.totp_secret_encrypted.encode("ascii")).decode("ascii")
    except (FernetInvalidToken, ValueError):
        return None


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code[:64]).lower()


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code is `code`, within VALID_WINDOW of now, or None."""
    code = _clean(code)
    if not _SIX_DIGITS.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    found = None
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def _step_id(user: User, step: int) -> str:
    return f"totp:{user.id}:{step}"


def _forget_steps(session: Session, *, user: User, older_than: timedelta | None = None) -> None:
    """Delete the user's used-step records (all of them when the secret changes)."""
    query = sa.delete(UsedToken).where(col(UsedToken.purpose) == _STEP_PURPOSE, col(UsedToken.user_id) == user.id)
    if older_than is not None:
        query = query.where(col(UsedToken.used_at) < utc_now() - older_than)
    session.exec(query)  # type: ignore[call-overload]


def _accept_code(session: Session, *, user: User, code: str) -> bool:
    """Check a current TOTP code and, when right and unused, mark its step used in the caller's
    transaction. False for a wrong or replayed code (nothing written)."""
    secret = _secret(user)
    step = _matching_step(secret, code) if secret else None
    if step is None or session.get(UsedToken, _step_id(user, step)) is not None:
        return False
    _forget_steps(session, user=user, older_than=timedelta(minutes=10))
    session.add(UsedToken(token_id=_step_id(user, step), purpose=_STEP_PURPOSE, user_id=user.id))
    try:
        session.flush()
    except sa.exc.IntegrityError:  # the same code, accepted a moment ago by another request
        session.rollback()
        return False
    return True


def _accept_recovery_code(session: Session, *, user: User, code: str) -> bool:
    """Use up one of the user's recovery codes in the caller's transaction; False when none matches."""
    cleaned = _clean(code)
    if not 8 <= len(cleaned) <= 16:
        return False
    unused = session.exec(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, col(RecoveryCode.used_at).is_(None))
    ).all()
    for row in unused:
        if passwords.verify_password(cleaned, row.code_hash):
            claimed = session.exec(  # type: ignore[call-overload]
                sa.update(RecoveryCode)
                .where(col(RecoveryCode.id) == row.id, col(RecoveryCode.used_at).is_(None))
                .values(used_at=utc_now())
            )
            return claimed.rowcount == 1  # a concurrent use of the same code loses
    return False


def _new_recovery_codes(session: Session, *, user: User) -> list[str]:
    """Replace the user's recovery codes with fresh ones (caller's transaction); returns them."""
    session.exec(sa.delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))  # type: ignore[call-overload]
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=passwords.hash_password(raw)))  # type: ignore[arg-type]
    return codes


def _confirm_identity(session: Session, *, actor: User, proof: str, client: auth.Client) -> None:
    """The signed-in actor proves it is them with their password or a current code; a wrong one
    counts toward the lockout like a failed sign-in (a stolen session cannot guess the password)."""
    throttle.check(session, ip=client.ip)
    wrong = ValidationFailed("That password or code is not right.", field="proof")
    if auth.is_locked(actor):
        auth.reject(session, user=actor, client=client, reason="bad_proof", identifier=actor.username, error=wrong)
    if _SIX_DIGITS.fullmatch(_clean(proof)):
        ok = _accept_code(session, user=actor, code=proof)
    else:
        ok = passwords.verify_password(proof[: passwords.MAX_LENGTH * 4], actor.password_hash)
    if not ok:
        auth.reject(session, user=actor, client=client, reason="bad_proof", identifier=actor.username, error=wrong)


# Public API ---------------------------------------------------------------------------------------


# The platform setting that makes two-factor compulsory for each staff role.
REQUIRED_SETTING = {
    Role.SUPERUSER: "require_2fa_for_superusers",
    Role.ADMIN: "require_2fa_for_admins",
    Role.RESELLER: "require_2fa_for_resellers",
}


def required_for(session: Session, role: Role) -> bool:
    """Whether the platform requires two-factor authentication for accounts with `role`."""
    setting = REQUIRED_SETTING.get(role)
    return setting is not None and bool(platform.get(session, setting))


def setup_required(session: Session, *, user: User) -> bool:
    """True when `user` must set up two-factor before doing anything else (a superuser, admin or
    reseller without it, while the platform setting for that role, `require_2fa_for_…`, is on)."""
    return not user.has_totp and required_for(session, user.role)


def recovery_codes_left(session: Session, *, actor: User) -> int:
    return session.exec(
        select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == actor.id, col(RecoveryCode.used_at).is_(None))
    ).one()


def begin_setup(session: Session, *, actor: User) -> Setup:
    """Store a new secret (encrypted, not yet active) and return it to show once. Starting again
    replaces an unconfirmed secret. Raises Conflict when two-factor is already on."""
    if actor.has_totp:
        raise Conflict("Two-factor authentication is already on.")
    secret = pyotp.random_base32()
    actor.totp_secret_encrypted = _fernet().encrypt(secret.encode("ascii")).decode("ascii")
    actor.updated_at = utc_now()
    _forget_steps(session, user=actor)  # steps used with an earlier secret say nothing about this one
    session.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(name=actor.username, issuer_name=ISSUER)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#111111", light="#ffffff")
    return Setup(secret=secret, uri=uri, qr_data_uri=qr)


def confirm_setup(session: Session, *, actor: User, code: str, client: auth.Client) -> list[str]:
    """Turn two-factor on when `code` comes from the app set up with `begin_setup`; returns the
    recovery codes to show once. Raises ValidationFailed for a wrong code, Conflict when already on."""
    if actor.has_totp:
        raise Conflict("Two-factor authentication is already on.")
    if _secret(actor) is None:
        raise ValidationFailed("Start the set-up again: there is no code waiting to be confirmed.", field="code")
    if not _accept_code(session, user=actor, code=code):
        raise ValidationFailed("That code is not right. Enter the 6-digit code your app shows now.", field="code")
    actor.totp_enabled_at = utc_now()
    actor.updated_at = actor.totp_enabled_at
    codes = _new_recovery_codes(session, user=actor)
    audit.record(session, action=AuditAction.TOTP_ENABLED, actor=actor, target=actor,
                 ip=client.ip, user_agent=client.user_agent)
    session.commit()
    return codes


def disable(session: Session, *, actor: User, proof: str, client: auth.Client) -> None:
    """Turn two-factor off after the actor proves it is them (password or a current code).
    Refused for superusers while the platform requires it."""
    if not actor.has_totp:
        raise Conflict("Two-factor authentication is already off.")
    if required_for(session, actor.role):
        raise PermissionDenied(f"This platform requires two-factor authentication for {actor.role.value}s.")
    _confirm_identity(session, actor=actor, proof=proof, client=client)
    actor.totp_secret_encrypted = None
    actor.totp_enabled_at = None
    actor.updated_at = utc_now()
    session.exec(sa.delete(RecoveryCode).where(col(RecoveryCode.user_id) == actor.id))  # type: ignore[call-overload]
    _forget_steps(session, user=actor)
    audit.record(session, action=AuditAction.TOTP_DISABLED, actor=actor, target=actor,
                 ip=client.ip, user_agent=client.user_agent)
    session.commit()


def regenerate_recovery_codes(session: Session, *, actor: User, proof: str, client: auth.Client) -> list[str]:
    """Replace every recovery code (the old ones stop working) after the actor proves it is them;
    returns the new codes to show once."""
    if not actor.has_totp:
        raise Conflict("Turn on two-factor authentication first.")
    _confirm_identity(session, actor=actor, proof=proof, client=client)
    codes = _new_recovery_codes(session, user=actor)
    # The audit vocabulary has no separate action for this yet: recorded as a 2FA (re)configuration.
    audit.record(session, action=AuditAction.TOTP_ENABLED, actor=actor, target=actor,
                 ip=client.ip, user_agent=client.user_agent, details={"recovery_codes": "regenerated"})
    session.commit()
    return codes


def complete_sign_in(
    session: Session, *, pending: str, code: str, client: auth.Client, device_key: str | None = None
) -> auth.SignIn:
    """The second sign-in step: check `code` (from the app, or a recovery code) for the account
    behind the `pending` token from `auth.login`, then open the session and use the token up.

    A wrong code leaves the token usable (until it expires) and counts toward the lockout. Raises
    TooManyRequests, InvalidToken (expired, used, forged: sign in again), AccountLocked,
    ValidationFailed (wrong code) or PermissionDenied."""
    throttle.check(session, ip=client.ip)
    user, _ = tokens.peek(session, purpose=tokens.Purpose.TWO_FACTOR, token=pending)
    if not user.has_totp:
        raise InvalidToken("This sign-in step is no longer valid. Please sign in again.")
    wrong = ValidationFailed(WRONG_CODE, field="code")
    if auth.is_locked(user):
        auth.reject(session, user=user, client=client, reason="locked", identifier=user.username, error=wrong)
    via = "totp"
    if not _accept_code(session, user=user, code=code):
        via = "recovery_code"
        if not _accept_recovery_code(session, user=user, code=code):
            auth.reject(session, user=user, client=client, reason="bad_code", identifier=user.username, error=wrong)
    tokens.consume(session, purpose=tokens.Purpose.TWO_FACTOR, token=pending)
    if via == "recovery_code":
        audit.record(session, action=AuditAction.RECOVERY_CODE_USED, actor=user, target=user,
                     ip=client.ip, user_agent=client.user_agent,
                     details={"left": recovery_codes_left(session, actor=user)})
    return auth.open_session(session, user=user, client=client, device_key=device_key, via=via)
