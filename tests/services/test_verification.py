"""Email verification and email change: single-use links, expiry, the resend cooldown."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, select

from mediashare.errors import Conflict, InvalidToken, PermissionDenied, TooManyRequests, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, Role, User, utc_now
from mediashare.services import access, auth, registration, verification
from tests.conftest import Mailbox
from tests.factories import PASSWORD, make_user

CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")


def _token(message) -> str:
    link = next(link for link in Mailbox.links(message) if "/verify-email" in link)
    return parse_qs(urlsplit(link).query)["token"][0]


@pytest.fixture
def newbie(session: Session, smtp_server: Mailbox) -> User:
    make_user(session, role=Role.SUPERUSER, username="root")
    return registration.register(session, username="newbie", email="newbie@example.com",
                                 password="a long new password", client=CLIENT).user


def test_the_emailed_link_verifies_the_address_once(session: Session, newbie: User, smtp_server: Mailbox) -> None:
    token = _token(smtp_server.wait_for(to="newbie@example.com", subject="Confirm"))
    with pytest.raises(PermissionDenied, match="Verify your email address first"):
        access.require_verified(newbie)
    result = verification.verify_email(session, token=token, client=CLIENT)
    assert result == verification.Verified(kind="verified", email="newbie@example.com")
    session.refresh(newbie)
    assert newbie.is_verified
    access.require_verified(newbie)
    with pytest.raises(InvalidToken, match="already been used"):
        verification.verify_email(session, token=token, client=CLIENT)


def test_the_link_expires_after_24_hours(
    session: Session, newbie: User, smtp_server: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _token(smtp_server.wait_for(to="newbie@example.com", subject="Confirm"))
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 24 * 3600 + 60)
    with pytest.raises(InvalidToken, match="expired"):
        verification.verify_email(session, token=token, client=CLIENT)
    session.refresh(newbie)
    assert not newbie.is_verified


def test_a_forged_link_is_refused(session: Session, newbie: User) -> None:
    with pytest.raises(InvalidToken, match="not valid"):
        verification.verify_email(session, token="made-up.token.value", client=CLIENT)


def test_resending_waits_for_the_cooldown_and_then_sends_a_new_link(
    session: Session, newbie: User, smtp_server: Mailbox
) -> None:
    with pytest.raises(TooManyRequests, match=r"Please wait \d+ seconds"):
        verification.resend_verification(session, actor=newbie, client=CLIENT)
    assert len(smtp_server.messages) == 1
    newbie.verification_sent_at = utc_now() - verification.RESEND_COOLDOWN - timedelta(seconds=1)
    session.commit()
    assert verification.resend_verification(session, actor=newbie, client=CLIENT) == "newbie@example.com"
    assert len(smtp_server.messages) == 2
    token = _token(smtp_server.messages[-1])
    assert verification.verify_email(session, token=token, client=CLIENT).kind == "verified"
    with pytest.raises(ValidationFailed, match="already verified"):
        verification.resend_verification(session, actor=newbie, client=CLIENT)


def test_an_email_change_happens_only_when_the_new_address_confirms_it(
    session: Session, smtp_server: Mailbox
) -> None:
    user = make_user(session, verified=True)
    old = user.email
    address = verification.request_email_change(session, actor=user, new_email="New.Home@Example.org",
                                                password=PASSWORD, client=CLIENT)
    session.refresh(user)
    assert address == "New.Home@example.org"
    assert user.email == old and user.pending_email == address  # nothing switched yet
    message = smtp_server.wait_for(to="new.home@example.org", subject="Confirm your new email address")
    assert auth.login(session, identifier=old, password=PASSWORD, client=CLIENT).user.id == user.id

    result = verification.verify_email(session, token=_token(message), client=CLIENT)
    session.refresh(user)
    assert result == verification.Verified(kind="changed", email=address)
    assert user.email == address and user.pending_email is None and user.is_verified
    notice = smtp_server.wait_for(to=old, subject="email address was changed")
    assert address in notice.get_body(preferencelist=("plain",)).get_content()
    events = session.exec(select(AuditEvent.action).where(AuditEvent.target_id == user.id)).all()
    assert AuditAction.EMAIL_CHANGE_REQUESTED.value in events and AuditAction.EMAIL_CHANGED.value in events


def test_an_email_change_needs_the_current_password_and_a_free_address(
    session: Session, smtp_server: Mailbox
) -> None:
    user = make_user(session)
    other = make_user(session)
    with pytest.raises(ValidationFailed, match="not your current password"):
        verification.request_email_change(session, actor=user, new_email="x@example.org", password="wrong one",
                                          client=CLIENT)
    with pytest.raises(Conflict, match="already exists"):
        verification.request_email_change(session, actor=user, new_email=other.email.upper(), password=PASSWORD,
                                          client=CLIENT)
    with pytest.raises(ValidationFailed, match="already your email"):
        verification.request_email_change(session, actor=user, new_email=user.email, password=PASSWORD,
                                          client=CLIENT)
    assert smtp_server.messages == []


def test_a_cancelled_or_replaced_email_change_link_stops_working(session: Session, smtp_server: Mailbox) -> None:
    user = make_user(session)
    verification.request_email_change(session, actor=user, new_email="first@example.org", password=PASSWORD,
                                      client=CLIENT)
    first = _token(smtp_server.wait_for(to="first@example.org", subject="Confirm"))
    verification.cancel_email_change(session, actor=user, client=CLIENT)
    with pytest.raises(InvalidToken):
        verification.verify_email(session, token=first, client=CLIENT)
    session.refresh(user)
    assert user.email != "first@example.org" and user.pending_email is None


def test_an_address_taken_meanwhile_is_not_switched_to(session: Session, smtp_server: Mailbox) -> None:
    user = make_user(session)
    verification.request_email_change(session, actor=user, new_email="wanted@example.org", password=PASSWORD,
                                      client=CLIENT)
    token = _token(smtp_server.wait_for(to="wanted@example.org", subject="Confirm"))
    make_user(session, username="quick", email="WANTED@example.org")
    with pytest.raises(Conflict, match="Another account now uses"):
        verification.verify_email(session, token=token, client=CLIENT)
    session.refresh(user)
    assert user.email != "wanted@example.org"
