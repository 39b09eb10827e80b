"""Emails carry the recipient's branding: the nearest reseller's name, logo, colors and support address."""

from __future__ import annotations

import io

from PIL import Image
from sqlmodel import Session

from mediashare.models import Role
from mediashare.services import auth, branding, credentials, verification
from tests.conftest import Mailbox
from tests.factories import make_user

CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")


def _logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 60), (10, 20, 200)).save(out, format="PNG")
    return out.getvalue()


def _branded_customer(session: Session):
    top = make_user(session, role=Role.RESELLER)
    middle = make_user(session, role=Role.RESELLER, parent=top)  # no branding of its own
    customer = make_user(session, parent=middle, email="carol@example.com", verified=False)
    branding.save(session, actor=top, client=CLIENT, slug="acme-photos", display_name="Acme Photos",
                  primary_color="#1d4ed8", accent_color="#b91c1c", welcome_text="", support_email="help@acme.example")
    row = branding.set_logo(session, actor=top, client=CLIENT, upload=_logo(), filename="logo.png")
    return customer, row


def test_a_verification_email_comes_from_the_grandparent_resellers_brand(
    session: Session, smtp_server: Mailbox
) -> None:
    customer, row = _branded_customer(session)
    message = verification.start(session, user=customer, client=CLIENT)
    session.commit()
    verification.deliver(session, user=customer, message=message)
    received = smtp_server.wait_for(to="carol@example.com", subject="Confirm")
    assert received["From"] == "Acme Photos <no-reply@mediashare.test>"
    assert received["Reply-To"] == "help@acme.example"
    assert "Acme Photos" in received["Subject"] and "MediaShare" not in received["Subject"]
    text = received.get_body(preferencelist=("plain",)).get_content()
    assert "sign in to Acme Photos" in text and "help@acme.example" in text
    html = received.get_body(preferencelist=("html",)).get_content()
    assert f'src="http://localhost:8000/api/branding/{row.id}/logo?v={row.logo_hash}"' in html
    assert "background:#1d4ed8;color:#ffffff;" in html  # the button in the primary color
    assert "mailto:help@acme.example" in html and "MediaShare" not in html


def test_a_reset_email_is_branded_too(session: Session, smtp_server: Mailbox) -> None:
    customer, _ = _branded_customer(session)
    credentials.send_password_reset(session, user=customer, requested_by=None, client=CLIENT)
    received = smtp_server.wait_for(to="carol@example.com", subject="password")
    assert received["From"] == "Acme Photos <no-reply@mediashare.test>"
    assert received["Reply-To"] == "help@acme.example"
    assert "background:#1d4ed8" in received.get_body(preferencelist=("html",)).get_content()


def test_without_a_branded_reseller_emails_are_the_platforms(session: Session, smtp_server: Mailbox) -> None:
    customer = make_user(session, parent=make_user(session, role=Role.RESELLER), email="dan@example.com")
    credentials.send_password_reset(session, user=customer, requested_by=None, client=CLIENT)
    received = smtp_server.wait_for(to="dan@example.com", subject="password")
    assert received["From"] == "MediaShare <no-reply@mediashare.test>"
    assert received["Reply-To"] is None
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "MediaShare" in html and "<img" not in html
