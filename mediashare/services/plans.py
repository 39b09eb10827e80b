"""Plans: what an account gets each month (credits), may store (quota) and pays (price).

Admins and superusers create, edit and archive plans and put accounts on them (all audited). An
archived plan is offered to nobody new, but the accounts already on it keep it (and its allotment)
until someone moves them; a plan is deleted only while no account and no top-up request uses it.

The monthly allotment is minted once per account and calendar month (UTC) by the ledger, under the
idempotency key `plan:<user id>:<YYYY-MM>`: the periodic job, the `plans grant` command and an
approved plan request all use that key, so however often and from however many processes they run,
each account gets its allotment exactly once a month.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mediashare.errors import Conflict, NotFound, ValidationFailed
from mediashare.models import (
    AuditAction,
    LedgerTransaction,
    Plan,
    Role,
    TopUpRequest,
    TransactionKind,
    User,
    utc_now,
)
from mediashare.services import access, audit, ledger, platform, users

log = logging.getLogger(__name__)

CURRENCY_SETTING = "currency"  # defined in services/platform.py
MAX_NAME = 64
MAX_CREDITS = 10_000_000
MAX_QUOTA_BYTES = 1024**5  # 1 PB: a typo, not a plan
MAX_PRICE_MINOR = 100_000_000  # 1,000,000.00
GB = 1024**3
_PERIOD = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_MONEY = re.compile(r"\d{1,9}(?:[.,]\d{1,2})?")
_CURRENCY = re.compile(r"[A-Z]{3}")


# ---------------------------------------------------------------------------------------------
# Money and periods


def currency(session: Session) -> str:
    """The platform's currency (ISO 4217 code), a platform setting."""
    value = str(platform.get(session, CURRENCY_SETTING)).upper()
    return value if _CURRENCY.fullmatch(value) else "EUR"


def format_money(amount_minor: int, code: str) -> str:
    """"12.50 EUR": two decimals, the code after (no locale guessing)."""
    sign = "-" if amount_minor < 0 else ""
    whole, cents = divmod(abs(int(amount_minor)), 100)
    return f"{sign}{whole:,}.{cents:02d} {code}"


def parse_money(text: object, *, field: str = "price") -> int:
    """A price typed in a form ("9.99", "9,99", "10") as minor units (999)."""
    value = text.strip() if isinstance(text, str) else text
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _MONEY.fullmatch(value):
        raise ValidationFailed("A price is an amount like 9.99 (at most two decimals).", field=field)
    minor = int(Decimal(value.replace(",", ".")) * 100)
    if minor > MAX_PRICE_MINOR:
        raise ValidationFailed(f"A price is at most {format_money(MAX_PRICE_MINOR, '')}.".replace(" .", "."),
                               field=field)
    return minor


def parse_gigabytes(text: object, *, field: str = "storage") -> int:
    """A storage size typed in GB ("50", "0.5") as bytes."""
    value = text.strip() if isinstance(text, str) else text
    try:
        amount = Decimal(str(value)) if isinstance(value, str | int) and not isinstance(value, bool) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount * GB > MAX_QUOTA_BYTES:
        raise ValidationFailed("Storage is a number of GB, like 50 or 0.5.", field=field)
    return int(amount * GB)


def period_of(moment: datetime | None = None) -> str:
    """The allotment period ("YYYY-MM", UTC) `moment` falls in (default: now)."""
    return (moment or utc_now()).strftime("%Y-%m")


def parse_period(text: str) -> str:
    if not isinstance(text, str) or not _PERIOD.fullmatch(text.strip()):
        raise ValidationFailed("A period is a month written YYYY-MM, like 2026-11.", field="period")
    return text.strip()


def allotment_key(user_id: int, period: str) -> str:
    return f"plan:{user_id}:{period}"


# ---------------------------------------------------------------------------------------------
# Reading


def plan_list(session: Session, *, include_archived: bool = True) -> list[Plan]:
    """Plans, active first, then by price and name."""
    query = select(Plan)
    if not include_archived:
        query = query.where(col(Plan.archived_at).is_(None))
    plans = list(session.exec(query).all())
    return sorted(plans, key=lambda plan: (not plan.is_active, plan.price_minor, plan.name_key))


def get(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound("That plan does not exist.")
    return plan


def subscribers(session: Session, plan_id: int) -> int:
    """How many accounts are on the plan."""
    return int(session.execute(sa.select(sa.func.count()).where(User.plan_id == plan_id)).scalar_one())


def by_username(session: Session, username: object) -> User | None:
    """The account called `username` (any case), or None."""
    if not isinstance(username, str) or not username.strip() or len(username) > 64:
        return None
    return session.exec(select(User).where(User.username_key == users.key(username))).first()


def plan_of(session: Session, user: User) -> Plan | None:
    return session.get(Plan, user.plan_id) if user.plan_id is not None else None


# ---------------------------------------------------------------------------------------------
# Managing plans (admins and superusers)


@dataclass(frozen=True)
class PlanInput:
    """A plan's editable fields, checked."""

    name: str
    monthly_credits: int
    storage_quota_bytes: int
    price_minor: int


def checked(*, name: object, monthly_credits: object, storage_quota_bytes: object, price_minor: object) -> PlanInput:
    """Validate a plan's fields (whole numbers as ints or digits), each with its own sentence."""
    name = name.strip() if isinstance(name, str) else ""
    if not 1 <= len(name) <= MAX_NAME:
        raise ValidationFailed(f"A plan needs a name of 1 to {MAX_NAME} characters.", field="name")
    numbers = {}
    for field, value, top, label in (
        ("monthly_credits", monthly_credits, MAX_CREDITS, "The monthly credits"),
        ("storage_quota_bytes", storage_quota_bytes, MAX_QUOTA_BYTES, "The storage quota"),
        ("price_minor", price_minor, MAX_PRICE_MINOR, "The price"),
    ):
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 16:
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
            raise ValidationFailed(f"{label} must be a whole number from 0 to {top:,}.", field=field)
        numbers[field] = value
    return PlanInput(name=name, **numbers)


def _name_taken(session: Session, name: str, *, other_than: int | None = None) -> bool:
    found = session.exec(select(Plan.id).where(Plan.name_key == name.casefold())).first()
    return found is not None and found != other_than


def create(session: Session, *, actor: User, name: object, monthly_credits: object, storage_quota_bytes: object,
           price_minor: object) -> Plan:
    """A new active plan priced in the platform currency. Audited; commits."""
    access.require_role(actor, Role.ADMIN)
    values = checked(name=name, monthly_credits=monthly_credits, storage_quota_bytes=storage_quota_bytes,
                     price_minor=price_minor)
    if _name_taken(session, values.name):
        raise Conflict(f"There is already a plan called {values.name!r}.")
    plan = Plan(name=values.name, name_key=values.name.casefold(), monthly_credits=values.monthly_credits,
                storage_quota_bytes=values.storage_quota_bytes, price_minor=values.price_minor,
                currency=currency(session))
    session.add(plan)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"There is already a plan called {values.name!r}.") from None
    audit.record(session, action=AuditAction.PLAN_CREATED, actor=actor,
                 details={"plan": plan.id, "name": plan.name, "monthly_credits": plan.monthly_credits,
                          "storage_quota_bytes": plan.storage_quota_bytes, "price_minor": plan.price_minor,
                          "currency": plan.currency})
    session.commit()
    session.refresh(plan)
    return plan


def update(session: Session, *, actor: User, plan_id: int, name: object, monthly_credits: object,
           storage_quota_bytes: object, price_minor: object) -> Plan:
    """Change a plan; accounts on it get the new allotment from the next period. Audited; commits."""
    access.require_role(actor, Role.ADMIN)
    plan = get(session, plan_id)
    values = checked(name=name, monthly_credits=monthly_credits, storage_quota_bytes=storage_quota_bytes,
                     price_minor=price_minor)
    if _name_taken(session, values.name, other_than=plan.id):
        raise Conflict(f"There is already a plan called {values.name!r}.")
    before = {"name": plan.name, "monthly_credits": plan.monthly_credits,
              "storage_quota_bytes": plan.storage_quota_bytes, "price_minor": plan.price_minor}
    plan.name, plan.name_key = values.name, values.name.casefold()
    plan.monthly_credits, plan.storage_quota_bytes = values.monthly_credits, values.storage_quota_bytes
    plan.price_minor, plan.updated_at = values.price_minor, utc_now()
    after = {"name": plan.name, "monthly_credits": plan.monthly_credits,
             "storage_quota_bytes": plan.storage_quota_bytes, "price_minor": plan.price_minor}
    audit.record(session, action=AuditAction.PLAN_UPDATED, actor=actor,
                 details={"plan": plan.id, "from": before, "to": after})
    session.commit()
    session.refresh(plan)
    return plan


def archive(session: Session, *, actor: User, plan_id: int, archived: bool = True) -> Plan:
    """Stop (or resume) offering a plan; accounts on it keep it. Audited; commits."""
    access.require_role(actor, Role.ADMIN)
    plan = get(session, plan_id)
    plan.archived_at = utc_now() if archived else None
    plan.updated_at = utc_now()
    audit.record(session, action=AuditAction.PLAN_ARCHIVED if archived else AuditAction.PLAN_UPDATED, actor=actor,
                 details={"plan": plan.id, "name": plan.name, "archived": archived})
    session.commit()
    session.refresh(plan)
    return plan


def delete(session: Session, *, actor: User, plan_id: int) -> None:
    """Remove a plan nobody uses (no account on it, no request for it); otherwise archive it."""
    access.require_role(actor, Role.ADMIN)
    plan = get(session, plan_id)
    requested = session.exec(select(TopUpRequest.id).where(TopUpRequest.plan_id == plan.id)).first()
    if subscribers(session, plan.id) or requested is not None:  # type: ignore[arg-type]
        raise Conflict(f"The plan {plan.name!r} is in use; archive it instead.")
    audit.record(session, action=AuditAction.PLAN_ARCHIVED, actor=actor,
                 details={"plan": plan.id, "name": plan.name, "deleted": True})
    session.delete(plan)
    session.commit()


def put_on_plan(session: Session, *, user: User, plan: Plan | None) -> None:
    """Move `user` to `plan` (None: no plan) in the caller's transaction."""
    user.plan_id = plan.id if plan is not None else None
    user.updated_at = utc_now()
    session.add(user)


def assign(session: Session, *, actor: User, username: str, plan_id: int | None) -> User:
    """Put the account called `username` on a plan (or none). Admins over accounts they manage; an
    archived plan is refused. Audited; commits. The allotment starts with the next grant run."""
    access.require_role(actor, Role.ADMIN)
    target = by_username(session, username)
    if target is None:
        raise NotFound("There is no account with that username.")
    access.require_can_manage(session, actor=actor, target=target)
    plan = get(session, plan_id) if plan_id is not None else None
    if plan is not None and not plan.is_active:
        raise ValidationFailed(f"The plan {plan.name!r} is archived; choose an active plan.", field="plan")
    before = target.plan_id
    put_on_plan(session, user=target, plan=plan)
    audit.record(session, action=AuditAction.PLAN_ASSIGNED, actor=actor, target=target,
                 details={"from": before, "to": plan.id if plan else None, "name": plan.name if plan else ""})
    session.commit()
    session.refresh(target)
    return target


# ---------------------------------------------------------------------------------------------
# The monthly allotment


def grant_allotment(session: Session, *, user: User, plan: Plan, period: str, commit: bool = True
                    ) -> LedgerTransaction | None:
    """Mint `plan`'s allotment for `period` to `user` once (None when the plan gives no credits, or
    this period's allotment was already paid, whatever its amount then)."""
    if plan.monthly_credits <= 0 or user.id is None:
        return None
    key = allotment_key(user.id, period)
    if session.exec(select(LedgerTransaction.id).where(LedgerTransaction.idempotency_key == key)).first():
        return None  # paid this period (perhaps on another plan): the next period brings the new amount
    return ledger.grant(session, actor=None, to=user, amount=plan.monthly_credits, key=key,
                        reference=f"plan:{plan.id}:{period}", kind=TransactionKind.PLAN, commit=commit)


@dataclass(frozen=True)
class GrantRun:
    period: str
    accounts: int  # active accounts on a plan with credits
    granted: int  # paid by this run (the rest had been paid already)


def grant_period(session: Session, *, period: str | None = None) -> GrantRun:
    """Pay every active account on a plan its allotment for `period` (default: this month), once.
    Each account is its own transaction; running again, or concurrently, pays nobody twice."""
    period = parse_period(period) if period is not None else period_of()
    rows = session.exec(
        select(User, Plan).join(Plan, col(Plan.id) == User.plan_id)
        .where(col(User.is_active).is_(True), Plan.monthly_credits > 0).order_by(col(User.id))
    ).all()
    paid = set(session.exec(select(LedgerTransaction.idempotency_key).where(
        col(LedgerTransaction.idempotency_key).like(f"plan:%:{period}"))).all())
    session.rollback()  # the lists are all we need from these reads; each grant opens its own transaction
    granted = 0
    for user, plan in rows:
        key = allotment_key(user.id, period)  # type: ignore[arg-type]
        if key in paid:  # a shortcut only: the key itself is what makes a concurrent run harmless
            continue
        made = ledger.grant(session, actor=None, to=user, amount=plan.monthly_credits, key=key,
                            reference=f"plan:{plan.id}:{period}", kind=TransactionKind.PLAN)
        if not sa.inspect(made).persistent:  # a new record; a replayed key returns the stored original
            granted += 1
    log.info("plan allotments for %s: %d of %d accounts paid now", period, granted, len(rows))
    return GrantRun(period=period, accounts=len(rows), granted=granted)

