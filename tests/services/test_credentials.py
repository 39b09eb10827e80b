"""Changing and resetting passwords: uniform answers, single-use links, every session ended."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, select

from mediashare.errors import InvalidToken, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, AuthSession, Role, utc_now
from mediashare.services import auth, credentials
from tests.conftest import Mailbox
from tests.factories import PASSWORD, make_user

CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")
NEW_PASSWORD = "a brand new passphrase"


def _token(message) -> str:
    link = next(link for link in Mailbox.links(message) if "/reset-password" in link)
    return parse_qs(urlsplit(link).query)["token"][0]


def _request(session: Session, address: str) -> str:
    return credentials.request_password_reset(session, email_address=address, client=CLIENT)


def test_the_answer_is_the_same_whether_or_not_the_account_exists(session: Session, smtp_server: Mailbox) -> None:
    user = make_user(session)
    known = _request(session, user.email.upper())
    unknown = _request(session, "nobody@example.com")
    assert known == unknown == credentials.RESET_REQUESTED
    smtp_server.wait_for(to=user.email, subject="Choose a new password")
    assert [str(m["To"]) for m in smtp_server.messages] == [user.email]
    # Both requests are on the record, so the work done is the same too.
    events = session.exec(select(AuditEvent).where(
        AuditEvent.action == AuditAction.PASSWORD_RESET_REQUESTED.value).order_by(AuditEvent.id)).all()
    assert [(e.target_id, e.details["sent"]) for e in events] == [(user.id, True), (None, False)]


def test_a_malformed_address_gets_a_specific_sentence(session: Session) -> None:
    with pytest.raises(ValidationFailed, match="email address is not valid"):
        _request(session, "not an address")


def test_the_public_form_sends_at_most_one_email_a_minute_per_account(
    session: Session, smtp_server: Mailbox
) -> None:
    user = make_user(session)
    assert _request(session, user.email) == _request(session, user.email) == credentials.RESET_REQUESTED
    smtp_server.wait_for(to=user.email, subject="Choose a new password")
    assert len(smtp_server.messages) == 1


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(
    session: Session, smtp_server: Mailbox
) -> None:
    user = make_user(session)
    phone = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT)
    laptop = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT)
    _request(session, user.email)
    token = _token(smtp_server.wait_for(to=user.email, subject="Choose a new password"))
    assert credentials.check_reset_token(session, token=token).id == user.id

    credentials.reset_password(session, token=token, new_password=NEW_PASSWORD, client=CLIENT)
    assert auth.resolve(session, phone.token) is None and auth.resolve(session, laptop.token) is None
    rows = session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all()
    assert rows and all(row.revoked_at is not None for row in rows)
    assert auth.login(session, identifier=user.username, password=NEW_PASSWORD, client=CLIENT).user.id == user.id
    with pytest.raises(InvalidToken, match="not valid, or has already been used"):
        credentials.reset_password(session, token=token, new_password="yet another passphrase", client=CLIENT)


def test_a_new_password_from_a_link_follows_the_same_rules_and_keeps_the_link_usable(
    session: Session, smtp_server: Mailbox
) -> None:
    user = make_user(session)
    credentials.send_password_reset(session, user=user, requested_by=None, client=CLIENT)
    token = _token(smtp_server.wait_for(to=user.email, subject="Choose a new password"))
    with pytest.raises(ValidationFailed, match="most common passwords"):
        credentials.reset_password(session, token=token, new_password="baseball", client=CLIENT)
    with pytest.raises(ValidationFailed, match="at least 8"):
        credentials.reset_password(session, token=token, new_password="short", client=CLIENT)
    credentials.reset_password(session, token=token, new_password=NEW_PASSWORD, client=CLIENT)


def test_any_password_change_invalidates_an_earlier_reset_link(session: Session, smtp_server: Mailbox) -> None:
    user = make_user(session)
    credentials.send_password_reset(session, user=user, requested_by=None, client=CLIENT)
    token = _token(smtp_server.wait_for(to=user.email, subject="Choose a new password"))
    credentials.change_password(session, actor=user, current_password=PASSWORD, new_password=NEW_PASSWORD,
                                client=CLIENT)
    with pytest.raises(InvalidToken):
        credentials.check_reset_token(session, token=token)
    with pytest.raises(InvalidToken):
        credentials.reset_password(session, token=token, new_password="attacker's choice 123", client=CLIENT)


def test_a_reset_link_expires_after_an_hour(
    session: Session, smtp_server: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(session)
    credentials.send_password_reset(session, user=user, requested_by=None, client=CLIENT)
    token = _token(smtp_server.wait_for(to=user.email, subject="Choose a new password"))
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3600 + 60)
    with pytest.raises(InvalidToken, match="expired"):
        credentials.reset_password(session, token=token, new_password=NEW_PASSWORD, client=CLIENT)


def test_a_reset_also_lifts_a_lockout(session: Session, smtp_server: Mailbox) -> None:
    user = make_user(session)
    user.locked_until = utc_now() + timedelta(minutes=10)
    session.commit()
    credentials.send_password_reset(session, user=user, requested_by=None, client=CLIENT)
    token = _token(smtp_server.wait_for(to=user.email, subject="Choose a new password"))
    credentials.reset_password(session, token=token, new_password=NEW_PASSWORD, client=CLIENT)
    assert auth.login(session, identifier=user.username, password=NEW_PASSWORD, client=CLIENT).user.id == user.id


def test_an_admin_can_send_a_reset_email_only_to_accounts_they_manage(
    session: Session, smtp_server: Mailbox
) -> None:
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session)
    stranger = make_user(session, role=Role.RESELLER)
    credentials.send_password_reset(session, user=customer, requested_by=admin, client=CLIENT)
    message = smtp_server.wait_for(to=customer.email, subject="Choose a new password")
    assert "an administrator" in message.get_body(preferencelist=("plain",)).get_content()
    with pytest.raises(PermissionDenied):
        credentials.send_password_reset(session, user=customer, requested_by=stranger, client=CLIENT)
    event = session.exec(select(AuditEvent).where(AuditEvent.actor_id == admin.id)).one()
    assert event.action == AuditAction.PASSWORD_RESET_REQUESTED.value and event.target_id == customer.id


def test_changing_the_password_needs_the_current_one_and_ends_every_session(session: Session) -> None:
    user = make_user(session)
    signed_in = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT)
    with pytest.raises(ValidationFailed, match="not your current password"):
        credentials.change_password(session, actor=user, current_password="guess", new_password=NEW_PASSWORD,
                                    client=CLIENT)
    assert auth.resolve(session, signed_in.token) is not None
    with pytest.raises(ValidationFailed, match="most common"):
        credentials.change_password(session, actor=user, current_password=PASSWORD, new_password="iloveyou",
                                    client=CLIENT)
    credentials.change_password(session, actor=user, current_password=PASSWORD, new_password=NEW_PASSWORD,
                                client=CLIENT)
    assert auth.resolve(session, signed_in.token) is None
    assert auth.login(session, identifier=user.username, password=NEW_PASSWORD, client=CLIENT).user.id == user.id
