"""Referrals: every account's own invitation code, signing up through it, and the bonus credits
both sides get when the new account confirms its email address.

A code is random (10 characters from a 31-letter alphabet, ~8·10^14 possibilities), made the first
time its owner looks at it, and reveals nothing but the referrer's display name on the landing page.
A sign-up through a code records the referrer and joins the referrer's reseller: the referrer itself
when it is a reseller, else its nearest reseller ancestor, else the default place (the first
superuser). The bonuses (platform settings, 0 to turn one off) are minted once each: their ledger
keys are `referral:<new user id>:referrer` and `…:referee`, so verifying again never pays again.
Looking codes up is not rate-limited (a code is too long to guess).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mediashare import routes
from mediashare.errors import ValidationFailed
from mediashare.models import (
    AuditAction,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    PlatformSetting,
    Role,
    TransactionKind,
    User,
    utc_now,
)
from mediashare.services import access, audit, email, ledger, notifications, platform

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or typed from paper
CODE_LENGTH = 10
MAX_BONUS = 1_000_000
REFERRER_BONUS = "referral_bonus_referrer"
REFEREE_BONUS = "referral_bonus_referee"
_ATTEMPTS = 5


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize(code: str) -> str:
    """A code as stored (lowercase, trimmed); "" when it cannot be one of ours."""
    code = code.strip().lower() if isinstance(code, str) else ""
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return ""
    return code


def code_for(session: Session, *, user: User) -> str:
    """`user`'s referral code, made (and committed) on first use."""
    for _ in range(_ATTEMPTS):
        if user.referral_code:
            return user.referral_code
        try:  # a concurrent first look keeps the code it made (referral_code IS NULL no longer holds)
            session.execute(sa.update(User).where(col(User.id) == user.id, col(User.referral_code).is_(None))
                            .values(referral_code=_new_code()))
            session.commit()
        except IntegrityError:  # the same code twice: astronomically rare, try another
            session.rollback()
        session.refresh(user)
    raise RuntimeError("could not make a referral code")


def link_for(code: str) -> str:
    """The absolute invitation link for `code`."""
    return email.link(routes.REFERRED, code=code)


def referrer_for(session: Session, code: str) -> User | None:
    """The active account that owns `code`, or None (unknown, malformed or deactivated alike)."""
    code = normalize(code)
    if not code:
        return None
    user = session.exec(select(User).where(User.referral_code == code)).first()
    return user if user is not None and user.is_active else None


def placement(session: Session, *, referrer: User | None) -> int | None:
    """Where a sign-up through `referrer` goes: the referrer if a reseller, else its nearest reseller
    ancestor (when active), else None (the default place)."""
    if referrer is None:
        return None
    if referrer.role is Role.RESELLER:
        return referrer.id
    for ancestor_id in access.ancestor_ids(session, referrer):
        ancestor = session.get(User, ancestor_id)
        if ancestor is not None and ancestor.role is Role.RESELLER:
            return ancestor.id if ancestor.is_active else None
    return None


@dataclass(frozen=True)
class Bonuses:
    referrer: int
    referee: int


def bonuses(session: Session) -> Bonuses:
    return Bonuses(referrer=int(platform.get(session, REFERRER_BONUS)),
                   referee=int(platform.get(session, REFEREE_BONUS)))


def set_bonuses(session: Session, *, actor: User, referrer: int, referee: int) -> None:
    """Change both bonus amounts (admins and superusers), audited with the old and new values."""
    access.require_role(actor, Role.ADMIN)
    for key, value in ((REFERRER_BONUS, referrer), (REFEREE_BONUS, referee)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_BONUS:
            raise ValidationFailed(f"A referral bonus is a whole number of credits from 0 to {MAX_BONUS:,}.",
                                   field=key)
    old = bonuses(session)
    for key, value, before in ((REFERRER_BONUS, referrer, old.referrer), (REFEREE_BONUS, referee, old.referee)):
        if value == before:
            continue
        row = session.get(PlatformSetting, key)
        if row is None:
            row = PlatformSetting(key=key)
            session.add(row)
        row.value, row.updated_at, row.updated_by_id = value, utc_now(), actor.id
        audit.record(session, action=AuditAction.SETTING_CHANGED, actor=actor,
                     details={"key": key, "from": before, "to": value})
    session.commit()


def bonus_key(user_id: int, side: str) -> str:
    return f"referral:{user_id}:{side}"


def _paid(session: Session, key: str) -> bool:
    found = session.exec(select(LedgerTransaction.id).where(LedgerTransaction.idempotency_key == key)).first()
    return found is not None


def reward(session: Session, *, user: User) -> None:
    """`user` just confirmed their address: pay the referral bonuses not paid yet and tell the
    referrer, in the caller's transaction (the caller commits). Nothing for an unreferred account."""
    if user.referred_by_id is None or user.id is None:
        return
    # Serialize two verifications of one account (PostgreSQL; SQLite writes one at a time anyway),
    # so the "already paid?" checks below cannot both pass.
    session.exec(select(User.id).where(User.id == user.id).with_for_update())
    referrer = session.get(User, user.referred_by_id)
    amounts = bonuses(session)
    reference = f"referral:user:{user.id}"
    if amounts.referee > 0 and not _paid(session, key := bonus_key(user.id, "referee")):
        ledger.grant(session, actor=None, to=user, amount=amounts.referee, key=key, reference=reference,
                     kind=TransactionKind.BONUS, commit=False)
    if referrer is None or amounts.referrer <= 0 or _paid(session, key := bonus_key(user.id, "referrer")):
        return
    ledger.grant(session, actor=None, to=referrer, amount=amounts.referrer, key=key, reference=reference,
                 kind=TransactionKind.BONUS, commit=False)
    unit = "credit" if amounts.referrer == 1 else "credits"
    notifications.create(session, user=referrer, kind="referral",
                         title=f"{user.name} joined through your link; you got {amounts.referrer} {unit}",
                         link=routes.REFERRALS)


@dataclass(frozen=True)
class Stats:
    code: str
    link: str
    signed_up: int
    verified: int
    credits_earned: int


def stats(session: Session, *, actor: User) -> Stats:
    """The actor's own link and how it did (making the code on first use)."""
    code = code_for(session, user=actor)
    signed_up, verified = session.execute(
        sa.select(sa.func.count(), sa.func.count(User.email_verified_at)).where(User.referred_by_id == actor.id)
    ).one()
    earned = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(LedgerEntry.amount), 0))
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerAccount.user_id == actor.id, LedgerTransaction.kind == TransactionKind.BONUS,
               col(LedgerTransaction.idempotency_key).like("referral:%:referrer"))
    ).scalar_one()
    return Stats(code=code, link=link_for(code), signed_up=int(signed_up), verified=int(verified),
                 credits_earned=int(earned))
