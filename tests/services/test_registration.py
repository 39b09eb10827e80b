"""Signing up: open or closed by the operator, the password rules, the verification email."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import Conflict, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, Role, User
from mediashare.services import auth, platform, registration
from tests.conftest import Mailbox
from tests.factories import make_user

CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")


@pytest.fixture
def root(session: Session) -> User:
    return make_user(session, role=Role.SUPERUSER, username="root")


def _register(session: Session, **fields: str) -> registration.Registered:
    values = {"username": "newbie", "email": "newbie@example.com", "password": "a long new password"} | fields
    return registration.register(session, client=CLIENT, **values)


def test_a_visitor_registers_as_an_unverified_user_under_the_first_superuser_and_gets_a_link(
    session: Session, root: User, smtp_server: Mailbox
) -> None:
    result = _register(session, referral_code="FRIEND-42")
    user = result.user
    assert result.email_sent
    assert user.role is Role.USER and user.parent_id == root.id
    assert not user.is_verified and user.referral_code_used == "FRIEND-42"
    message = smtp_server.wait_for(to="newbie@example.com", subject="Confirm your email address")
    assert any("/verify-email?token=" in link for link in Mailbox.links(message))
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.target_id == user.id)).all()
    assert AuditAction.REGISTERED.value in actions and AuditAction.VERIFICATION_SENT.value in actions
    # The new account can sign in before verifying.
    assert auth.login(session, identifier="newbie", password="a long new password", client=CLIENT).user.id == user.id


def test_a_common_password_is_refused_and_no_account_is_created(session: Session, root: User) -> None:
    with pytest.raises(ValidationFailed, match="most common passwords"):
        _register(session, password="Password1")
    assert session.exec(select(User).where(User.username_key == "newbie")).first() is None


def test_closed_registration_refuses_with_a_clear_sentence(session: Session, root: User) -> None:
    platform.set_value(session, actor=root, key="registration_open", value=False)
    with pytest.raises(PermissionDenied, match="Registration is closed"):
        _register(session)
    assert session.exec(select(User).where(User.username_key == "newbie")).first() is None


def test_usernames_and_emails_stay_unique_ignoring_case(session: Session, root: User, smtp_server: Mailbox) -> None:
    _register(session)
    with pytest.raises(Conflict, match="username NEWBIE is already taken"):
        _register(session, username="NEWBIE", email="other@example.com")
    with pytest.raises(Conflict, match="already exists"):
        _register(session, username="other", email="NewBie@Example.com")


def test_a_malformed_referral_code_is_refused(session: Session, root: User) -> None:
    with pytest.raises(ValidationFailed, match="referral code") as caught:
        _register(session, referral_code="<script>")
    assert caught.value.field == "referral_code"


def test_when_the_mail_server_fails_the_account_still_exists_and_can_ask_again(
    session: Session, root: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mediashare.settings import get_settings

    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", "1")
    monkeypatch.setenv("SMTP_SECURITY", "none")
    get_settings.cache_clear()
    result = _register(session)
    assert not result.email_sent
    session.refresh(result.user)
    assert result.user.verification_sent_at is None  # no cooldown: "resend" works at once


def test_signing_up_through_a_resellers_page_places_the_account_under_that_reseller(
    session: Session, root: User, smtp_server: Mailbox
) -> None:
    from mediashare.services import branding

    reseller = make_user(session, role=Role.RESELLER, parent=root)
    branding.save(session, actor=reseller, client=CLIENT, slug="acme-photos", display_name="Acme Photos",
                  primary_color="#1d4ed8", accent_color="#b91c1c", welcome_text="", support_email="")
    result = _register(session, reseller="acme-photos")
    assert result.user.parent_id == reseller.id
    received = smtp_server.wait_for(to="newbie@example.com", subject="Confirm")
    assert received["From"].startswith("Acme Photos")  # the welcome email already carries the brand
    unknown = _register(session, username="other", email="other@example.com", reseller="nobody-here")
    assert unknown.user.parent_id == root.id
