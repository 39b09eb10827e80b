"""Two-factor authentication: set-up, sign-in with a code or a recovery code, turning it off."""

from __future__ import annotations

import time

import pyotp
import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare.errors import AccountLocked, Conflict, InvalidToken, PermissionDenied, ValidationFailed
from mediashare.models import AuditEvent, AuthSession, RecoveryCode, Role, User
from mediashare.services import auth, platform, two_factor
from tests.factories import PASSWORD, make_user

CLIENT = auth.Client(ip="198.51.100.7", user_agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36")


def _enable(session: Session, user: User) -> tuple[pyotp.TOTP, list[str]]:
    """Turn two-factor on for `user`; returns their authenticator and recovery codes."""
    setup = two_factor.begin_setup(session, actor=user)
    totp = pyotp.TOTP(setup.secret)
    codes = two_factor.confirm_setup(session, actor=user, code=totp.now(), client=CLIENT)
    return totp, codes


def _a_later_code(totp: pyotp.TOTP, steps: int) -> str:
    """The app's code `steps` steps from now (a different, not yet used code)."""
    return totp.at(time.time() + steps * totp.interval)


def _pending(session: Session, user: User) -> str:
    result = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT)
    assert isinstance(result, auth.SecondFactorNeeded)
    return result.pending


def _sessions(session: Session) -> int:
    return len(session.exec(select(AuthSession)).all())


def test_the_secret_is_stored_encrypted_and_only_a_confirmed_code_turns_it_on(session: Session) -> None:
    user = make_user(session)
    setup = two_factor.begin_setup(session, actor=user)
    assert setup.uri.startswith("otpauth://totp/MediaShare:") and f"secret={setup.secret}" in setup.uri
    assert setup.qr_data_uri.startswith("data:image/svg+xml")
    raw = sa.text("SELECT totp_secret_encrypted FROM users WHERE id = :id")
    stored = session.execute(raw, {"id": user.id}).scalar()
    assert stored and setup.secret not in stored and setup.secret.lower() not in stored.lower()

    totp = pyotp.TOTP(setup.secret)
    with pytest.raises(ValidationFailed, match="not right"):
        two_factor.confirm_setup(session, actor=user, code=_a_later_code(totp, 5), client=CLIENT)
    assert not session.get(User, user.id).has_totp

    codes = two_factor.confirm_setup(session, actor=user, code=totp.now(), client=CLIENT)
    assert session.get(User, user.id).has_totp
    assert len(codes) == 10 and len(set(codes)) == 10
    hashes = session.exec(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(code.replace("-", "") in h for code in codes for h in hashes)
    assert "account.totp_enabled" in session.exec(select(AuditEvent.action)).all()
    with pytest.raises(Conflict):
        two_factor.begin_setup(session, actor=user)


def test_the_password_alone_opens_no_session_until_the_code_is_given(session: Session) -> None:
    user = make_user(session)
    totp, _ = _enable(session, user)
    pending = _pending(session, user)
    assert _sessions(session) == 0

    signed_in = two_factor.complete_sign_in(session, pending=pending, code=_a_later_code(totp, 1), client=CLIENT)
    assert auth.resolve(session, signed_in.token).id == user.id
    assert _sessions(session) == 1
    with pytest.raises(InvalidToken):  # the pending step is single use
        two_factor.complete_sign_in(session, pending=pending, code=_a_later_code(totp, -1), client=CLIENT)


def test_a_code_is_accepted_once_within_its_window(session: Session) -> None:
    user = make_user(session)
    totp, _ = _enable(session, user)
    code = _a_later_code(totp, 1)
    two_factor.complete_sign_in(session, pending=_pending(session, user), code=code, client=CLIENT)
    with pytest.raises(ValidationFailed, match="not right"):  # replayed by someone who saw it
        two_factor.complete_sign_in(session, pending=_pending(session, user), code=code, client=CLIENT)
    with pytest.raises(ValidationFailed):  # too far in the future
        two_factor.complete_sign_in(session, pending=_pending(session, user), code=_a_later_code(totp, 3),
                                    client=CLIENT)
    assert _sessions(session) == 1


def test_wrong_codes_count_toward_the_lockout(session: Session) -> None:
    user = make_user(session)
    totp, _ = _enable(session, user)
    pending = _pending(session, user)
    for _ in range(4):
        with pytest.raises(ValidationFailed):
            two_factor.complete_sign_in(session, pending=pending, code=_a_later_code(totp, 5), client=CLIENT)
    # The right password again does not reset the count: the fifth wrong code locks the account.
    pending = _pending(session, user)
    with pytest.raises(AccountLocked):
        two_factor.complete_sign_in(session, pending=pending, code="not-a-code", client=CLIENT)
    with pytest.raises(AccountLocked):  # even the right code is refused now
        two_factor.complete_sign_in(session, pending=pending, code=_a_later_code(totp, 1), client=CLIENT)
    assert _sessions(session) == 0


def test_a_recovery_code_signs_in_once(session: Session) -> None:
    user = make_user(session)
    _, codes = _enable(session, user)
    signed_in = two_factor.complete_sign_in(session, pending=_pending(session, user), code=codes[3].upper(),
                                            client=CLIENT)
    assert auth.resolve(session, signed_in.token).id == user.id
    assert two_factor.recovery_codes_left(session, actor=user) == 9
    with pytest.raises(ValidationFailed):
        two_factor.complete_sign_in(session, pending=_pending(session, user), code=codes[3], client=CLIENT)
    used = session.exec(select(AuditEvent).where(AuditEvent.action == "account.recovery_code_used")).one()
    assert used.details == {"left": 9}


def test_new_recovery_codes_replace_the_old_ones(session: Session) -> None:
    user = make_user(session)
    _, old = _enable(session, user)
    with pytest.raises(ValidationFailed, match="password or code"):
        two_factor.regenerate_recovery_codes(session, actor=user, proof="not my password", client=CLIENT)
    new = two_factor.regenerate_recovery_codes(session, actor=user, proof=PASSWORD, client=CLIENT)
    assert not set(new) & set(old)
    with pytest.raises(ValidationFailed):
        two_factor.complete_sign_in(session, pending=_pending(session, user), code=old[0], client=CLIENT)
    two_factor.complete_sign_in(session, pending=_pending(session, user), code=new[0], client=CLIENT)


def test_turning_it_off_needs_the_password_or_a_current_code(session: Session) -> None:
    user = make_user(session)
    totp, _ = _enable(session, user)
    with pytest.raises(ValidationFailed):
        two_factor.disable(session, actor=user, proof="a wrong password", client=CLIENT)
    with pytest.raises(ValidationFailed):
        two_factor.disable(session, actor=user, proof=_a_later_code(totp, 4), client=CLIENT)
    assert session.get(User, user.id).has_totp

    two_factor.disable(session, actor=user, proof=_a_later_code(totp, 1), client=CLIENT)
    user = session.get(User, user.id)
    assert not user.has_totp and user.totp_secret_encrypted is None
    assert two_factor.recovery_codes_left(session, actor=user) == 0
    assert "account.totp_disabled" in session.exec(select(AuditEvent.action)).all()
    assert isinstance(auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT), auth.SignIn)

    _enable(session, user)
    two_factor.disable(session, actor=user, proof=PASSWORD, client=CLIENT)
    assert not session.get(User, user.id).has_totp


def test_guessing_the_password_from_a_signed_in_session_locks_the_account(session: Session) -> None:
    user = make_user(session)
    _enable(session, user)
    for _ in range(4):
        with pytest.raises(ValidationFailed):
            two_factor.disable(session, actor=user, proof="guess number x", client=CLIENT)
    with pytest.raises(AccountLocked):
        two_factor.disable(session, actor=user, proof="guess number y", client=CLIENT)
    with pytest.raises(AccountLocked):  # the right password no longer helps until the lock ends
        two_factor.disable(session, actor=user, proof=PASSWORD, client=CLIENT)
    assert session.get(User, user.id).has_totp


def test_superusers_must_set_it_up_when_the_platform_requires_it(session: Session) -> None:
    root = make_user(session, role=Role.SUPERUSER)
    member = make_user(session)
    assert not two_factor.setup_required(session, user=root)
    platform.set_value(session, actor=root, key="require_2fa_for_superusers", value=True)
    assert two_factor.setup_required(session, user=root)
    assert not two_factor.setup_required(session, user=member)  # only superusers

    _enable(session, root)
    assert not two_factor.setup_required(session, user=root)
    with pytest.raises(PermissionDenied, match="requires two-factor"):
        two_factor.disable(session, actor=root, proof=PASSWORD, client=CLIENT)


def test_a_forged_or_foreign_pending_token_is_refused(session: Session) -> None:
    user = make_user(session)
    totp, _ = _enable(session, user)
    with pytest.raises(InvalidToken):
        two_factor.complete_sign_in(session, pending="forged.token.value", code=totp.now(), client=CLIENT)
    pending = _pending(session, user)
    two_factor.disable(session, actor=user, proof=PASSWORD, client=CLIENT)  # turned off meanwhile
    with pytest.raises(InvalidToken):
        two_factor.complete_sign_in(session, pending=pending, code=_a_later_code(totp, 1), client=CLIENT)
