"""Login with lockout (and its email), sessions that expire and can be ended, devices (and new-device notices)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from mediashare.errors import AccountLocked, InvalidCredentials, PermissionDenied
from mediashare.models import AuditEvent, AuthSession, Device, User, utc_now
from mediashare.services import auth, email, notifications
from mediashare.settings import get_settings
from tests.conftest import Mailbox
from tests.factories import PASSWORD, make_user

CLIENT = auth.Client(ip="198.51.100.7", user_agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36")


def test_login_opens_a_session_whose_token_is_stored_only_as_a_hash(session: Session) -> None:
    user = make_user(session)
    result = auth.login(session, identifier=user.email.upper(), password=PASSWORD, client=CLIENT)
    stored = session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).one()
    assert stored.token_hash == auth.token_hash(result.token) != result.token
    assert auth.resolve(session, result.token).id == user.id
    assert auth.resolve(session, result.token + "x") is None
    assert auth.resolve(session, None) is None


def test_unknown_account_and_wrong_password_fail_with_the_same_message(session: Session) -> None:
    user = make_user(session)
    with pytest.raises(InvalidCredentials) as wrong_password:
        auth.login(session, identifier=user.username, password="not the password", client=CLIENT)
    with pytest.raises(InvalidCredentials) as unknown:
        auth.login(session, identifier="ghost", password="not the password", client=CLIENT)
    assert str(wrong_password.value) == str(unknown.value)
    actions = session.exec(select(AuditEvent.action)).all()
    assert actions.count("auth.login_failed") == 2


def test_five_failures_lock_the_account_even_against_the_right_password(session: Session) -> None:
    user = make_user(session)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            auth.login(session, identifier=user.username, password="wrong password", client=CLIENT)
    with pytest.raises(AccountLocked) as locked:
        auth.login(session, identifier=user.username, password="wrong password", client=CLIENT)
    assert locked.value.minutes == 15
    with pytest.raises(AccountLocked):
        auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT)
    assert "auth.account_locked" in session.exec(select(AuditEvent.action)).all()

    session.refresh(user)
    user.locked_until = utc_now() - timedelta(seconds=1)  # the lock runs out
    session.commit()
    assert auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT).user.id == user.id
    session.refresh(user)
    assert user.failed_login_count == 0 and user.locked_until is None


def test_a_success_resets_the_failure_count(session: Session) -> None:
    user = make_user(session)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            auth.login(session, identifier=user.username, password="wrong password", client=CLIENT)
    auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            auth.login(session, identifier=user.username, password="wrong password", client=CLIENT)


def test_deactivated_accounts_cannot_sign_in_and_lose_their_sessions(session: Session) -> None:
    user = make_user(session)
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT).token
    user.is_active = False
    session.commit()
    assert auth.resolve(session, token) is None
    with pytest.raises(PermissionDenied, match="deactivated"):
        auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT)


def test_sessions_end_at_logout_at_absolute_expiry_and_when_idle(session: Session) -> None:
    user = make_user(session)
    ended = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT).token
    auth.logout(session, token=ended, client=CLIENT)
    assert auth.resolve(session, ended) is None
    assert "auth.logout" in session.exec(select(AuditEvent.action)).all()

    expired = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT).token
    idle = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT).token
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == auth.token_hash(expired))).one()
    row.expires_at = utc_now() - timedelta(seconds=1)
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == auth.token_hash(idle))).one()
    row.last_seen_at = utc_now() - timedelta(days=8)
    session.commit()
    assert auth.resolve(session, expired) is None
    assert auth.resolve(session, idle) is None


def test_a_password_change_ends_older_sessions(session: Session) -> None:
    user = make_user(session)
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT).token
    user.password_changed_at = utc_now() + timedelta(seconds=1)
    session.commit()
    assert auth.resolve(session, token) is None


def test_the_same_browser_is_one_device_and_gets_a_readable_name(session: Session) -> None:
    user = make_user(session)
    first = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT)
    again = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT, device_key=first.device_key)
    other = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT)
    devices = session.exec(select(Device).where(Device.user_id == user.id)).all()
    assert again.device_key == first.device_key != other.device_key
    assert len(devices) == 2
    assert devices[0].name == "Chrome on Linux"


def test_device_names_for_common_browsers() -> None:
    assert auth.device_name(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Mobile/15E148 Safari/604.1"
    ) == "Mobile Safari on iOS"
    assert auth.device_name("") == "Unknown device"


def test_locked_accounts_are_the_only_ones_whose_state_changes_on_failure(session: Session) -> None:
    """An unknown identifier changes no account (and so cannot be used to lock anyone out)."""
    user = make_user(session)
    with pytest.raises(InvalidCredentials):
        auth.login(session, identifier="someone-else", password="whatever1", client=CLIENT)
    assert session.get(User, user.id).failed_login_count == 0


def test_the_owner_is_emailed_once_when_their_account_locks(session: Session, smtp_server: Mailbox) -> None:
    user = make_user(session)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            auth.login(session, identifier=user.username, password="wrong password", client=CLIENT)
    assert not smtp_server.messages  # no email for ordinary failures
    with pytest.raises(AccountLocked):
        auth.login(session, identifier=user.username, password="wrong password", client=CLIENT)
    message = smtp_server.wait_for(to=user.email, subject="locked")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "locked for 15 minutes" in text and CLIENT.ip in text and "Chrome on Linux" in text

    with pytest.raises(AccountLocked):  # more attempts while locked send nothing more
        auth.login(session, identifier=user.username, password="wrong password", client=CLIENT)
    email.drain()
    assert len(smtp_server.messages) == 1


def test_a_lockout_is_still_answered_when_the_mail_server_is_down(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", "1")
    monkeypatch.setenv("SMTP_SECURITY", "none")
    get_settings.cache_clear()
    user = make_user(session)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            auth.login(session, identifier=user.username, password="wrong password", client=CLIENT)
    with pytest.raises(AccountLocked):
        auth.login(session, identifier=user.username, password="wrong password", client=CLIENT)
    email.drain()


def test_a_new_device_is_announced_by_notification_and_email_but_the_first_one_is_not(
    session: Session, smtp_server: Mailbox
) -> None:
    user = make_user(session)
    first = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT)
    assert notifications.unread_count(session, actor=user) == 0

    phone = auth.Client(ip="192.0.2.44", user_agent=(
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0 Mobile Safari/537.36"))
    auth.login(session, identifier=user.username, password=PASSWORD, client=phone)
    message = smtp_server.wait_for(to=user.email, subject="New sign-in")
    assert "Chrome on Android" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "192.0.2.44" in text and "http://localhost:8000/account/sessions" in text
    [notice] = notifications.recent(session, actor=user)
    assert notice.kind == "new_device" and "Chrome on Android" in notice.title
    assert notice.link == "/account/sessions"

    # The known browser coming back is not news.
    auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT, device_key=first.device_key)
    email.drain()
    assert [str(m["Subject"]) for m in smtp_server.messages] == [str(message["Subject"])]
    assert notifications.unread_count(session, actor=user) == 1
