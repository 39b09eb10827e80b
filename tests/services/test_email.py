"""Outgoing email: a real SMTP server in tests, the outbox without one."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest

from mediashare.services import email
from tests.conftest import Mailbox


def test_messages_reach_a_real_smtp_server_with_text_and_html_parts(smtp_server: Mailbox) -> None:
    assert email.send(email.render("test_message", to="ada@example.com")) is None
    message = smtp_server.wait_for(to="ada@example.com", subject="test message")
    assert message["From"] == "MediaShare <no-reply@mediashare.test>"
    assert "outgoing email works" in message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<p>" in html and "MediaShare" in html


def test_without_smtp_messages_are_written_to_the_outbox(isolated_settings: Path) -> None:
    path = email.send(email.render("test_message", to="bob@example.com"))
    assert path is not None and path.parent == isolated_settings / "outbox"
    parsed = message_from_bytes(path.read_bytes(), policy=default_policy)
    assert parsed["To"] == "bob@example.com"


def test_html_escapes_what_it_is_given(smtp_server: Mailbox) -> None:
    rendered = email.render("test_message", to="<script>@example.com")
    assert "&lt;script&gt;" in rendered.html and "<script>" in rendered.text


def test_links_are_built_from_public_url(monkeypatch: pytest.MonkeyPatch) -> None:
    from mediashare.settings import get_settings

    monkeypatch.setenv("PUBLIC_URL", "https://photos.example.com")
    get_settings.cache_clear()
    assert email.link("/verify-email", token="a b") == "https://photos.example.com/verify-email?token=a+b"


def test_an_unreachable_server_raises_a_readable_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from mediashare.settings import get_settings

    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", "1")
    monkeypatch.setenv("SMTP_SECURITY", "none")
    get_settings.cache_clear()
    with pytest.raises(email.EmailFailed, match="could not be sent"):
        email.send(email.render("test_message", to="c@example.com"))
