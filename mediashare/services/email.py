"""Outgoing email: templates with an HTML and a text part, sent over SMTP or written to the outbox.

With a mail server set, messages go to it (STARTTLS, SSL or plain): the one on the platform
settings page (`smtp_*`, read when each message leaves, so a change applies at once), else SMTP_*.
Without one (the embedded default), each message is written as an .eml file under DATA_DIR/outbox/ and the
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
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import Session

from mediashare import db
from mediashare.errors import MediashareError
from mediashare.services import branding, platform
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
    """The mail server refused or could not be reached; `detail` is its answer, for operators."""

    detail: str = ""


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
        # the platform's own brand under its usual name keeps the sender's display name
        sender_name="" if brand.is_default and brand.name == branding.PLATFORM_NAME else brand.name,
        reply_to=brand.support_email,
    )


@dataclass(frozen=True)
class SmtpConfig:
    """Where mail goes: a server (host "" means none: the outbox) and the sender."""

    host: str
    port: int
    security: str  # starttls | ssl | none
    username: str
    password: str = field(repr=False)
    sender: str  # "Name <address>"
    source: str  # "settings" (the platform settings page) or "environment" (SMTP_*)


def _environment_config(settings: Settings) -> SmtpConfig:
    return SmtpConfig(
        host=settings.smtp_host or "", port=settings.smtp_port, security=settings.smtp_security,
        username=settings.smtp_username or "",
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else "",
        sender=settings.smtp_from, source="environment")


def smtp_config(session: Session) -> SmtpConfig:
    """The mail server in use: the platform settings' (`smtp_host` set: host, port, security, user name
    and password all from there), else the SMTP_* variables; the sender is `smtp_from` when set."""
    settings = get_settings()
    sender = str(platform.get(session, "smtp_from")).strip() or settings.smtp_from
    host = str(platform.get(session, "smtp_host")).strip()
    if not host:
        return replace(_environment_config(settings), sender=sender)
    return SmtpConfig(
        host=host, port=int(platform.get(session, "smtp_port")) or 587,
        security=str(platform.get(session, "smtp_security")) or "starttls",
        username=str(platform.get(session, "smtp_username")), password=str(platform.get(session, "smtp_password")),
        sender=sender, source="settings")


def _current_config() -> SmtpConfig:
    """smtp_config in a session of its own (sending happens after the caller's commit); the
    environment's when the database cannot be read, so a notice still leaves."""
    try:
        with db.session_scope() as session:
            return smtp_config(session)
    except Exception:
        log.exception("Reading the SMTP settings failed; using the SMTP_* variables")
        return _environment_config(get_settings())


def _message(email: Email, smtp: SmtpConfig) -> EmailMessage:
    message = EmailMessage()
    sender_name, sender_address = parseaddr(smtp.sender)
    message["From"] = formataddr((email.sender_name or sender_name or PRODUCT, sender_address))
    message["To"] = email.to
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message["Subject"] = email.subject
    message["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2] or "localhost")
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


def send(email: Email, *, smtp: SmtpConfig | None = None) -> Path | None:
    """Deliver `email` (through `smtp`, default the configured server); returns the outbox file when
    there is no SMTP server. Raises EmailFailed."""
    return _deliver(email, smtp or _current_config())


def _deliver(email: Email, smtp: SmtpConfig) -> Path | None:
    message = _message(email, smtp)
    if not smtp.host:
        outbox = get_settings().outbox_dir
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / f"{uuid.uuid4().hex}.eml"
        path.write_bytes(message.as_bytes())
        log.warning("No SMTP server set: email to %s written to %s", email.to, path)
        return path
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=20,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=20)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.username and smtp.password:
                client.login(smtp.username, smtp.password)
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        log.error("Sending email to %s failed: %s", email.to, error)
        failed = EmailFailed("The email could not be sent right now. Please try again in a few minutes.")
        failed.detail = describe(error)
        raise failed from None
    return None


def describe(error: BaseException) -> str:
    """The mail server's answer (or the network error) as one line an operator can act on."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else str(
            error.smtp_error)
        return f"the server answered {error.smtp_code} {' '.join(text.split())}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "the server refused the recipient " + ", ".join(error.recipients)
    if isinstance(error, TimeoutError):
        return "the server did not answer in time"
    return " ".join(str(error).split()) or type(error).__name__


# One worker: background messages leave in the order they were queued, and a slow mail server
# never ties up more than one thread.
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mediashare-email")


def _deliver_logged(email: Email, smtp: SmtpConfig | None) -> Path | None:
    try:
        return _deliver(email, smtp or _current_config())
    except EmailFailed:
        return None  # already logged; nobody is waiting for an answer
    except Exception:
        log.exception("Sending email to %s failed", email.to)
        return None


def send_in_background(email: Email) -> Future[Path | None]:
    """Queue `email` and return at once (for notices a request must not wait for, like a lockout).
    Failures are logged, never raised. Call it after the commit, like `send`."""
    return _background.submit(_deliver_logged, email, None)


def drain(timeout: float = 30.0) -> None:
    """Wait until every email queued so far has been handled (tests; a clean shutdown)."""
    _background.submit(lambda: None).result(timeout=timeout)
