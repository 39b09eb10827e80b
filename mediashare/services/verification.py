"""Email addresses: proving an account owns its address, and moving an account to a new one.

Both go through one kind of emailed link (`/verify-email?token=…`, 24 hours, single use) that names
the address it was sent to. A link to the account's own address verifies it; a link to the pending
address switches the account over, and the old address is told. Asking for another email waits
RESEND_COOLDOWN after the last one (`User.verification_sent_at`), so nobody can flood an inbox.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from mediashare import routes
from mediashare.errors import Conflict, InvalidToken, TooManyRequests, ValidationFailed
from mediashare.models import AuditAction, User, utc_now
from mediashare.services import audit, branding, email, passwords, referrals, tokens, users
from mediashare.services.auth import Client
from mediashare.services.tokens import Purpose

log = logging.getLogger(__name__)

RESEND_COOLDOWN = timedelta(seconds=60)
_HOURS = int(tokens.LIFETIME[Purpose.VERIFY_EMAIL].total_seconds() // 3600)


@dataclass(frozen=True)
class Verified:
    """What a verification link did: confirmed the address, or moved the account to a new one."""

    kind: Literal["verified", "changed"]
    email: str


def seconds_until_resend(user: User) -> int:
    """How long `user` must wait before we send them another address email (0: now)."""
    if user.verification_sent_at is None:
        return 0
    left = (user.verification_sent_at + RESEND_COOLDOWN - utc_now()).total_seconds()
    return max(0, math.ceil(left))


def _require_cooldown_over(user: User) -> None:
    wait = seconds_until_resend(user)
    if wait:
        unit = "second" if wait == 1 else "seconds"
        raise TooManyRequests(f"We have just sent you an email. Please wait {wait} {unit} before asking for another.")


def start(session: Session, *, user: User, client: Client) -> email.Email:
    """Stamp the resend cooldown and audit VERIFICATION_SENT in the caller's transaction; returns
    the verification email for the caller to send after committing."""
    user.verification_sent_at = utc_now()
    token = tokens.issue(purpose=Purpose.VERIFY_EMAIL, user=user, email=user.email)
    audit.record(session, action=AuditAction.VERIFICATION_SENT, actor=user, target=user,
                 ip=client.ip, user_agent=client.user_agent, details={"email": user.email})
    return email.render("verify_email", to=user.email, name=user.name, hours=_HOURS,
                        brand=branding.effective(session, user), link=email.link(routes.VERIFY_EMAIL, token=token))


def deliver(session: Session, *, user: User, message: email.Email) -> None:
    """Send an address email after the commit; if the mail server fails, lift the cooldown again
    (so the user can retry at once) and raise EmailFailed."""
    try:
        email.send(message)
    except email.EmailFailed:
        user.verification_sent_at = None
        session.commit()
        raise


def resend_verification(session: Session, *, actor: User, client: Client) -> str:
    """Send `actor` a new verification link; returns the address. Raises ValidationFailed when
    already verified, TooManyRequests within the cooldown, EmailFailed."""
    if actor.is_verified:
        raise ValidationFailed("Your email address is already verified.")
    _require_cooldown_over(actor)
    message = start(session, user=actor, client=client)
    session.commit()
    deliver(session, user=actor, message=message)
    return actor.email


def request_email_change(session: Session, *, actor: User, new_email: str, password: str, client: Client) -> str:
    """Remember `new_email` as pending and send a confirmation link to it; the account keeps its
    address until the link is opened. Needs the current password. Returns the normalized address."""
    if not passwords.verify_password(password[: passwords.MAX_LENGTH * 4], actor.password_hash):
        raise ValidationFailed("That is not your current password.", field="current_password")
    address = users.normalize_email(new_email)
    if users.key(address) == actor.email_key:
        raise ValidationFailed("That is already your email address.", field="email")
    if session.exec(select(User.id).where(User.email_key == users.key(address))).first() is not None:
        raise Conflict(f"An account with the email {address} already exists.")
    _require_cooldown_over(actor)
    actor.pending_email = address
    actor.verification_sent_at = utc_now()
    actor.updated_at = utc_now()
    token = tokens.issue(purpose=Purpose.VERIFY_EMAIL, user=actor, email=address)  # after pending_email is set
    audit.record(session, action=AuditAction.EMAIL_CHANGE_REQUESTED, actor=actor, target=actor,
                 ip=client.ip, user_agent=client.user_agent, details={"from": actor.email, "to": address})
    session.commit()
    message = email.render("email_change", to=address, name=actor.name, username=actor.username,
                           old_email=actor.email, hours=_HOURS, brand=branding.effective(session, actor),
                           link=email.link(routes.VERIFY_EMAIL, token=token))
    deliver(session, user=actor, message=message)
    return address


def cancel_email_change(session: Session, *, actor: User, client: Client) -> None:
    """Forget the pending address (its link stops working: tokens are bound to it)."""
    if actor.pending_email is None:
        return
    audit.record(session, action=AuditAction.PROFILE_UPDATED, actor=actor, target=actor,
                 ip=client.ip, user_agent=client.user_agent,
                 details={"email_change_cancelled": actor.pending_email})
    actor.pending_email = None
    actor.updated_at = utc_now()
    session.commit()


def verify_email(session: Session, *, token: str, client: Client) -> Verified:
    """Use a verification link: verify the account's address, or switch to the pending one (and
    tell the old address). Raises InvalidToken, or Conflict when another account took the address."""
    user, extra = tokens.consume(session, purpose=Purpose.VERIFY_EMAIL, token=token)
    address = extra.get("email")
    now = utc_now()
    if isinstance(address, str) and user.pending_email and users.key(address) == users.key(user.pending_email):
        old_email = user.email
        taken = session.exec(
            select(User.id).where(User.email_key == users.key(address), User.id != user.id)
        ).first()
        if taken is not None:
            session.rollback()
            raise Conflict(f"Another account now uses {address}, so yours cannot move to it.")
        user.email, user.email_key, user.pending_email = address, users.key(address), None
        user.email_verified_at, user.updated_at = now, now
        audit.record(session, action=AuditAction.EMAIL_CHANGED, actor=user, target=user,
                     ip=client.ip, user_agent=client.user_agent, details={"from": old_email, "to": address})
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            raise Conflict(f"Another account now uses {address}, so yours cannot move to it.") from None
        notice = email.render("email_changed", to=old_email, name=user.name, username=user.username,
                              new_email=address, brand=branding.effective(session, user))
        try:
            email.send(notice)
        except email.EmailFailed:  # the change stands; the audit log keeps the old address
            log.error("Could not tell %s that account %s moved to a new address", old_email, user.id)
        return Verified(kind="changed", email=address)
    if not isinstance(address, str) or users.key(address) != user.email_key:
        session.rollback()
        raise InvalidToken("This verification link is not valid, or has already been used.")
    if user.email_verified_at is None:
        user.email_verified_at, user.updated_at = now, now
        audit.record(session, action=AuditAction.EMAIL_VERIFIED, actor=user, target=user,
                     ip=client.ip, user_agent=client.user_agent, details={"email": user.email})
        referrals.reward(session, user=user)  # bonuses committed with the verification, each once
    session.commit()
    return Verified(kind="verified", email=user.email)
