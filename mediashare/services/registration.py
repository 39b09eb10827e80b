"""Signing up: visitors create their own account while the operator keeps registration open.

A new account has the `user` role (or `reseller`: platform setting `signup_role`) and the
platform's starting credits (`signup_credits`, through the ledger). It goes under the first
superuser (or, signing up through a referral link, under the referrer's reseller:
services/referrals.py; through a reseller's own page /r/<slug>, under that reseller:
services/branding.py), starts unverified, and gets its verification email at once. It may sign in
straight away; features that need a confirmed address call `access.require_verified` (uploads too,
while the platform setting `require_verified_email` is on).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlmodel import Session

from mediashare.errors import PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, Role, TransactionKind, User
from mediashare.services import audit, branding, ledger, platform, referrals, throttle, users, verification
from mediashare.services.auth import Client
from mediashare.services.email import EmailFailed

log = logging.getLogger(__name__)

_REFERRAL_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")
CLOSED = "Registration is closed on this site. Ask the people who run it to create an account for you."


@dataclass(frozen=True)
class Registered:
    user: User
    email_sent: bool  # False: the account exists, but the mail server failed (resend later)


def is_open(session: Session) -> bool:
    return bool(platform.get(session, "registration_open"))


def signup_role(session: Session, *, parent_id: int | None) -> Role:
    """The role of a new sign-up: the platform setting `signup_role` (user or reseller), except that
    someone signing up under a reseller (its link or a referral) is always that reseller's user."""
    parent = session.get(User, parent_id) if parent_id is not None else None
    if platform.get(session, "signup_role") == Role.RESELLER.value and (parent is None or parent.role.rank
                                                                        > Role.RESELLER.rank):
        return Role.RESELLER
    return Role.USER


def _grant_starting_credits(session: Session, *, user: User) -> None:
    """The platform setting `signup_credits`, minted to the new account in the sign-up's transaction;
    the key makes it once per account whatever happens."""
    amount = int(platform.get(session, "signup_credits"))
    if amount > 0:
        session.flush()
        ledger.grant(session, actor=None, to=user, amount=amount, key=f"signup:{user.id}",
                     reference="starting credits", kind=TransactionKind.BONUS, commit=False)


def _referral_code(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if not _REFERRAL_CODE.fullmatch(value):
        raise ValidationFailed("A referral code has at most 32 letters, digits, '-' or '_'.", field="referral_code")
    return value


def register(
    session: Session, *, username: str, email: str, password: str, referral_code: str = "", reseller: str = "",
    client: Client,
) -> Registered:
    """Create an account for a visitor (role and starting credits: see above) and send its
    verification email (after committing).
    `reseller` is the link name of the reseller page the visitor came from (it decides the place;
    an unknown one is ignored), else a referral code's reseller does.
    Raises PermissionDenied when registration is closed, TooManyRequests when the visitor's address
    made too many accounts lately (throttle.ACTION_LIMITS), ValidationFailed, Conflict."""
    if not is_open(session):
        raise PermissionDenied(CLOSED)
    throttle.check_action(session, action=AuditAction.REGISTERED, ip=client.ip)
    referral = _referral_code(referral_code)
    referrer = referrals.referrer_for(session, referral) if referral else None  # unknown: signs up all the same
    via_link = branding.reseller_for_slug(session, reseller) if reseller else None
    parent_id = referrals.placement(session, referrer=via_link if via_link is not None else referrer)
    user = users.add_user(session, actor=None, username=username, email=email, password=password,
                          role=signup_role(session, parent_id=parent_id), parent_id=parent_id)
    user.referral_code_used = referral
    user.referred_by_id = referrer.id if referrer is not None else None
    referred = {"referral_code": referral, "referred_by_id": user.referred_by_id} if referral else {}
    if via_link is not None:
        referred["reseller_link"] = reseller.strip().lower()
    audit.record(session, action=AuditAction.REGISTERED, actor=user, target=user, ip=client.ip,
                 user_agent=client.user_agent, details={"parent_id": user.parent_id, **referred})
    _grant_starting_credits(session, user=user)
    message = verification.start(session, user=user, client=client)
    session.commit()
    try:
        verification.deliver(session, user=user, message=message)
    except EmailFailed:
        log.error("Account %s was created but its verification email could not be sent", user.id)
        return Registered(user=user, email_sent=False)
    return Registered(user=user, email_sent=True)
