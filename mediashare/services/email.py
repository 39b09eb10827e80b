"""Outgoing email: templates with an HTML and a text part, sent over SMTP or written to the outbox.

With SMTP_HOST set, messages go to that server (STARTTLS, SSL or plain, per SMTP_SECURITY). Without
it (the embedded default), each message is written as an .eml file under DATA_DIR/outbox/ and the
log says where, so a single-machine install can still read its verification and reset links.
Links are built from PUBLIC_URL. Every message carries the recipient's branding (services/branding.py:
the nearest reseller's name in the From display name and the text, its logo, colors and support
address as Reply-To and in the footer), or the platform's own. Send after committing: an email must
never announce a change the database then rolled back.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from mediashare.errors import MediashareError
from mediashare.services import branding
from mediashare.settings import Settings, get_settings

log = logging.getLogger(__name__)

PRODUCT = branding.PLATFORM_NAME
_TEMPLATES = Path(__file__).parent / "templates" / "email"
_environment = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


class EmailFailed(MediashareError):
    """The mail server refused or could not be reached."""


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    sender_name: str = ""  # "" keeps SMTP_FROM's display name
    reply_to: str = ""


def link(path: str, **query: str) -> str:
    """An absolute link to `path` on this site (PUBLIC_URL), with an optional query."""
    base = get_settings().public_url + path
    return f"{base}?{urlencode(query)}" if query else base


def render(template: str, *, to: str, brand: branding.Brand = branding.DEFAULT, **context: object) -> Email:
    """Render `<template>.subject.txt`, `.txt` and `.html` with `context` and the recipient's `brand`
    (`branding.effective(session, user)`): its name as the product, logo, colors, support address."""
    context = {
        "product": brand.name, "public_url": get_settings().public_url, "to": to,
        "primary": brand.primary, "on_primary": brand.on_primary, "accent": brand.accent,
        "logo_url": brand.absolute_logo_url(), "support_email": brand.support_email, **context,
    }
    subject = _environment.get_template(f"{template}.subject.txt").render(context).strip()
    text = _environment.get_template(f"{template}.txt").render(context).rstrip("\n")
    text += f"\n\n-- \n{brand.name}, {context['public_url']}\n"
    if brand.support_email:
        text += f"Questions? Write to {brand.support_email}\n"
    return Email(
        to=to,
        subject=subject,
        text=text,
        html=_environment.get_template(f"{template}.html").render(context),
        sender_name="" if brand.is_default else brand.name,
        reply_to=brand.support_email,
    )


def _message(email: Email, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    sender_name, sender_address = parseaddr(settings.smtp_from)
    message["From"] = formataddr((email.sender_name or sender_name or PRODUCT, sender_address))
    message["To"] = email.to
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message["Subject"] = email.subject
    message["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2] or "localhost")
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


def send(email: Email) -> Path | None:
    """Deliver `email`; returns the outbox file when there is no SMTP server. Raises EmailFailed."""
    return _deliver(email, get_settings())


def _deliver(email: Email, settings: Settings) -> Path | None:
    message = _message(email, settings)
    if not settings.smtp_host:
        outbox = settings.outbox_dir
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / f"{uuid.uuid4().hex}.eml"
        path.write_bytes(message.as_bytes())
        log.warning("No SMTP_HOST set: email to %s written to %s", email.to, path)
        return path
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    try:
        if settings.smtp_security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=20,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20)
        with client:
            if settings.smtp_security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.smtp_username and password:
                client.login(settings.smtp_username, password)
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        log.error("Sending email to %s failed: %s", email.to, error)
        raise EmailFailed("The email could not be sent right now. Please try again in a few minutes.") from None
    return None


# One worker: background messages leave in the order they were queued, and a slow mail server
# never ties up more than one thread.
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mediashare-email")


def _deliver_logged(email: Email, settings: Settings) -> Path | None:
    try:
        return _deliver(email, settings)
    except EmailFailed:
        return None  # already logged; nobody is waiting for an answer
    except Exception:
        log.exception("Sending email to %s failed", email.to)
        return None


def send_in_background(email: Email) -> Future[Path | None]:
    """Queue `email` and return at once (for notices a request must not wait for, like a lockout).
    Failures are logged, never raised. Call it after the commit, like `send`."""
    return _background.submit(_deliver_logged, email, get_settings())


def drain(timeout: float = 30.0) -> None:
    """Wait until every email queued so far has been handled (tests; a clean shutdown)."""
    _background.submit(lambda: None).result(timeout=timeout)
