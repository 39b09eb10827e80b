"""Top-up requests: an account asks for credits (or a plan), the payment is confirmed, credits move.

Who decides a request: the requester's nearest reseller ancestor (for its own team only), or any
admin or superuser. Approving runs the provider's confirmation, then in ONE database transaction
flips the request from pending to approved (a conditional UPDATE: of two concurrent approvals only
one matches) and moves the credits in the ledger with `commit=False` under the key
`topup:<request id>`, so a request never pays twice and never shows "approved" without its credits:

- a reseller pays from its own balance (a transfer; not enough → InsufficientCredits naming the
  reseller's balance, and nothing changes);
- an admin or superuser mints them (a grant);
- a plan request puts the requester on the plan and mints this month's allotment under the same
  key as the monthly job (`plan:<user id>:<YYYY-MM>`), so that month is never paid twice.

Approval and rejection each notify the requester, in the app and by email as they chose (the
email leaves after the commit). The requester can cancel a request while it is pending.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from mediashare import routes
from mediashare.errors import Conflict, InsufficientCredits, NotFound, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, Plan, Role, TopUpRequest, TopUpStatus, TransactionKind, User, utc_now
from mediashare.services import access, audit, email, ledger, notifications, plans, platform, user_admin
from mediashare.services.payments.providers import DEFAULT_PROVIDER, PaymentStart, provider

log = logging.getLogger(__name__)

PRICE_SETTING = "topup_credit_price_minor"  # defined in services/platform.py
MAX_CREDITS = 1_000_000
MAX_PENDING = 10  # open requests per account: enough for anyone, not a way to flood a queue
MAX_REASON = 500
PLATFORM_PAYEE = "the platform's administrators"


def key(request_id: int) -> str:
    return f"topup:{request_id}"


def credit_price_minor(session: Session) -> int:
    """What one credit costs in a top-up, in minor units of the platform currency."""
    value = platform.get(session, PRICE_SETTING)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 10


@dataclass(frozen=True)
class Quote:
    """What a request would bring and cost, shown before asking."""

    credits: int
    amount_minor: int
    currency: str

    @property
    def price(self) -> str:
        return plans.format_money(self.amount_minor, self.currency)


def quote_credits(session: Session, credits: int) -> Quote:
    credits = checked_credits(credits)
    return Quote(credits=credits, amount_minor=credits * credit_price_minor(session), currency=plans.currency(session))


def quote_plan(plan: Plan) -> Quote:
    return Quote(credits=plan.monthly_credits, amount_minor=plan.price_minor, currency=plan.currency)


def checked_credits(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 9:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CREDITS:
        raise ValidationFailed(f"Ask for a whole number of credits from 1 to {MAX_CREDITS:,}.", field="credits")
    return value


# ---------------------------------------------------------------------------------------------
# Who decides


def reseller_for(session: Session, user: User) -> User | None:
    """`user`'s nearest reseller ancestor (whoever sells to them), or None (the platform)."""
    for ancestor_id in access.ancestor_ids(session, user):
        ancestor = session.get(User, ancestor_id)
        if ancestor is not None and ancestor.role is Role.RESELLER:
            return ancestor
    return None


def can_decide(session: Session, *, actor: User, requester: User) -> bool:
    """Admins and superusers decide anyone's request; a reseller only those of accounts it is the
    nearest reseller of. Nobody decides their own."""
    if not actor.is_active or actor.id == requester.id:
        return False
    if actor.role.rank >= Role.ADMIN.rank:
        return True
    if actor.role is Role.RESELLER:
        seller = reseller_for(session, requester)
        return seller is not None and seller.id == actor.id
    return False


def _payee(session: Session, user: User) -> str:
    seller = reseller_for(session, user)
    return seller.name if seller is not None else PLATFORM_PAYEE


# ---------------------------------------------------------------------------------------------
# Asking and cancelling


@dataclass(frozen=True)
class Asked:
    request: TopUpRequest
    start: PaymentStart


def _open(session: Session, *, actor: User, quote: Quote, plan: Plan | None, provider_name: str) -> Asked:
    if not actor.is_active:
        raise PermissionDenied("This account is not active.")
    paying = provider(provider_name)
    pending = session.execute(sa.select(sa.func.count()).where(
        TopUpRequest.user_id == actor.id, TopUpRequest.status == TopUpStatus.PENDING)).scalar_one()
    if pending >= MAX_PENDING:
        raise Conflict(f"You have {pending} requests waiting already; cancel one or wait for a decision.")
    request = TopUpRequest(user_id=actor.id, plan_id=plan.id if plan else None, credits=quote.credits,  # type: ignore[arg-type]
                           amount_minor=quote.amount_minor, currency=quote.currency, provider=paying.name)
    session.add(request)
    session.commit()
    session.refresh(request)
    return Asked(request=request, start=paying.begin(request, payee=_payee(session, actor), price=quote.price))


def request_credits(session: Session, *, actor: User, credits: object, provider_name: str = DEFAULT_PROVIDER) -> Asked:
    """Ask for `credits` at the current price; commits the pending request."""
    return _open(session, actor=actor, quote=quote_credits(session, checked_credits(credits)), plan=None,
                 provider_name=provider_name)


def request_plan(session: Session, *, actor: User, plan_id: int, provider_name: str = DEFAULT_PROVIDER) -> Asked:
    """Ask to be put on an active plan (its price, its allotment); commits the pending request."""
    plan = session.get(Plan, plan_id)
    if plan is None or not plan.is_active:
        raise NotFound("That plan is not offered.")
    return _open(session, actor=actor, quote=quote_plan(plan), plan=plan, provider_name=provider_name)


def cancel(session: Session, *, actor: User, request_id: int) -> TopUpRequest:
    """Withdraw one's own pending request."""
    request = session.get(TopUpRequest, request_id)
    if request is None or request.user_id != actor.id:
        raise NotFound("That request does not exist.")
    changed = session.execute(
        sa.update(TopUpRequest).where(col(TopUpRequest.id) == request.id, TopUpRequest.status == TopUpStatus.PENDING)
        .values(status=TopUpStatus.CANCELLED, decided_at=utc_now(), decided_by_id=actor.id)
    ).rowcount
    if changed != 1:
        session.rollback()
        raise Conflict("This request was already decided.")
    session.commit()
    session.refresh(request)
    return request


# ---------------------------------------------------------------------------------------------
# Deciding


def _decidable(session: Session, *, actor: User, request_id: int) -> tuple[TopUpRequest, User]:
    """The request and its requester, when `actor` may decide it (NotFound otherwise, whether or
    not it exists: a reseller learns nothing about other teams' requests)."""
    request = session.get(TopUpRequest, request_id)
    requester = session.get(User, request.user_id) if request is not None else None
    if request is None or requester is None or not can_decide(session, actor=actor, requester=requester):
        raise NotFound("That request does not exist.")
    if request.status is not TopUpStatus.PENDING:
        raise Conflict(f"This request was already {request.status.value}.")
    return request, requester


def _claim(session: Session, request: TopUpRequest, **values: object) -> None:
    """Flip the request from pending, once (of two concurrent deciders only one matches)."""
    changed = session.execute(
        sa.update(TopUpRequest).where(col(TopUpRequest.id) == request.id, TopUpRequest.status == TopUpStatus.PENDING)
        .values(**values)
    ).rowcount
    if changed != 1:
        session.rollback()
        raise Conflict("This request was already decided.")


def describe(request: TopUpRequest, plan: Plan | None) -> str:
    if plan is not None:
        return f"the plan {plan.name} ({request.credits:,} credits a month)"
    return f"{request.credits:,} credits"


def approve(session: Session, *, actor: User, request_id: int, reference: str) -> TopUpRequest:
    """Confirm the payment and pay the request, all or nothing (see the module docstring)."""
    request, requester = _decidable(session, actor=actor, request_id=request_id)
    payment_reference = provider(request.provider).confirm(request, reference=reference)
    plan = session.get(Plan, request.plan_id) if request.plan_id is not None else None
    now = utc_now()
    _claim(session, request, status=TopUpStatus.APPROVED, decided_by_id=actor.id, decided_at=now,
           payment_reference=payment_reference)
    try:
        if plan is not None:
            plans.put_on_plan(session, user=requester, plan=plan)
            made = plans.grant_allotment(session, user=requester, plan=plan, period=plans.period_of(now), commit=False)
        elif actor.role is Role.RESELLER:
            made = ledger.transfer(session, actor=actor, to=requester, amount=request.credits, key=key(request.id),  # type: ignore[arg-type]
                                   reference=f"topup:{request.id}", commit=False)
        else:
            made = ledger.grant(session, actor=actor, to=requester, amount=request.credits, key=key(request.id),  # type: ignore[arg-type]
                                reference=f"topup:{request.id}", kind=TransactionKind.GRANT, commit=False)
    except InsufficientCredits as error:
        session.rollback()
        raise InsufficientCredits(
            balance=error.balance, needed=error.needed,
            message=f"Your balance is {error.balance:,} credits; approving this request needs {error.needed:,}. "
                    "Top up your own account first.",
        ) from None
    except BaseException:
        session.rollback()
        raise
    if made is not None:
        session.execute(sa.update(TopUpRequest).where(col(TopUpRequest.id) == request.id)
                        .values(transaction_id=made.id))
    what = describe(request, plan)
    balance = ledger.balance(session, user=requester)  # the credits above are in this transaction already
    notifications.create(session, user=requester, kind="topup_approved", title=f"Your top-up was approved: {what}",
                         body=f"Request #{request.id}, approved by {actor.name}.", link=routes.CREDITS,
                         message=email.render("topup_approved", to=requester.email, name=requester.name,
                                              request_id=request.id, decider=actor.name, what=what,
                                              reference=payment_reference, credits=request.credits,
                                              balance=f"{balance:,}", credits_link=email.link(routes.CREDITS)))
    audit.record(session, action=AuditAction.TOPUP_APPROVED, actor=actor, target=requester,
                 details={"request": request.id, "credits": request.credits, "plan": request.plan_id,
                          "amount_minor": request.amount_minor, "currency": request.currency,
                          "reference": payment_reference, "transaction": made.id if made is not None else None})
    session.commit()
    session.refresh(request)
    session.refresh(requester)
    return request


def reject(session: Session, *, actor: User, request_id: int, reason: str) -> TopUpRequest:
    """Decline a request with a reason the requester is told."""
    request, requester = _decidable(session, actor=actor, request_id=request_id)
    reason = reason.strip() if isinstance(reason, str) else ""
    if not 1 <= len(reason) <= MAX_REASON:
        raise ValidationFailed(f"Say why, in 1 to {MAX_REASON} characters; the requester is told.", field="reason")
    plan = session.get(Plan, request.plan_id) if request.plan_id is not None else None
    _claim(session, request, status=TopUpStatus.REJECTED, decided_by_id=actor.id, decided_at=utc_now(), reason=reason)
    what = describe(request, plan)
    notifications.create(session, user=requester, kind="topup_declined",
                         title=f"Your top-up request #{request.id} was declined", body=reason, link=routes.TOP_UP,
                         message=email.render("topup_rejected", to=requester.email, name=requester.name,
                                              request_id=request.id, decider=actor.name, what=what, reason=reason,
                                              topup_link=email.link(routes.TOP_UP)))
    audit.record(session, action=AuditAction.TOPUP_REJECTED, actor=actor, target=requester,
                 details={"request": request.id, "credits": request.credits, "plan": request.plan_id, "reason": reason})
    session.commit()
    session.refresh(request)
    return request


# ---------------------------------------------------------------------------------------------
# Listing


@dataclass(frozen=True)
class RequestView:
    """One request as pages show it."""

    id: int
    user_id: int
    username: str
    plan_name: str
    credits: int
    amount_minor: int
    currency: str
    status: TopUpStatus
    provider: str
    payment_reference: str
    decided_by: str
    decided_at: datetime | None
    reason: str
    transaction_id: int | None
    created_at: datetime

    @property
    def price(self) -> str:
        return plans.format_money(self.amount_minor, self.currency)


def request_views(session: Session, query: sa.Select) -> list[RequestView]:
    """The rows of `query` (a SELECT of TopUpRequest) with their requester, plan and decider names."""
    requester, decider = aliased(User), aliased(User)
    query = (query.add_columns(requester.username, Plan.name, decider.username)
             .join(requester, requester.id == TopUpRequest.user_id)
             .outerjoin(Plan, col(Plan.id) == TopUpRequest.plan_id)
             .outerjoin(decider, decider.id == TopUpRequest.decided_by_id))
    return [
        RequestView(id=row.id, user_id=row.user_id, username=username, plan_name=plan_name or "", credits=row.credits,  # type: ignore[arg-type]
                    amount_minor=row.amount_minor, currency=row.currency, status=row.status, provider=row.provider,
                    payment_reference=row.payment_reference, decided_by=decided_by or "", decided_at=row.decided_at,
                    reason=row.reason, transaction_id=row.transaction_id, created_at=row.created_at)
        for row, username, plan_name, decided_by in session.execute(query).all()
    ]


def own_requests(session: Session, *, actor: User, limit: int = 50) -> list[RequestView]:
    """The actor's own requests, newest first."""
    query = (sa.select(TopUpRequest).where(TopUpRequest.user_id == actor.id)
             .order_by(col(TopUpRequest.id).desc()).limit(max(1, min(limit, 200))))
    return request_views(session, query)


def decision_queue(session: Session, *, actor: User, status: TopUpStatus | None = TopUpStatus.PENDING,
                   limit: int = 100) -> list[RequestView]:
    """Requests the actor decides (resellers: their own team's, as nearest reseller; admins: all),
    oldest pending first, or newest first for decided ones."""
    if actor.role.rank < Role.RESELLER.rank:
        raise PermissionDenied("Only resellers and administrators decide top-up requests.")
    query = sa.select(TopUpRequest).where(TopUpRequest.user_id != actor.id)
    if status is not None:
        query = query.where(TopUpRequest.status == status)
    order = col(TopUpRequest.id).asc() if status is TopUpStatus.PENDING else col(TopUpRequest.id).desc()
    if actor.role.rank >= Role.ADMIN.rank:
        return request_views(session, query.order_by(order).limit(limit))
    query = query.where(col(TopUpRequest.user_id).in_(user_admin.team_ids(actor))).order_by(order)
    found: list[RequestView] = []
    for view in request_views(session, query.limit(limit * 4)):  # sub-resellers' customers are theirs, not ours
        requester = session.get(User, view.user_id)
        if requester is not None and can_decide(session, actor=actor, requester=requester):
            found.append(view)
    return found[:limit]


def for_decision(session: Session, *, actor: User, request_id: int) -> RequestView:
    """One pending request the actor may decide (NotFound otherwise, as for `approve`)."""
    request, _requester = _decidable(session, actor=actor, request_id=request_id)
    return request_views(session, sa.select(TopUpRequest).where(col(TopUpRequest.id) == request.id))[0]


def set_credit_price(session: Session, *, actor: User, price_minor: int) -> None:
    """Change what one credit costs in a top-up (admins and superusers); audited; commits."""
    if isinstance(price_minor, bool) or not isinstance(price_minor, int) or not 0 <= price_minor <= 1_000_000:
        raise ValidationFailed("The price of a credit is an amount from 0.00 to 10,000.00.", field="credit_price")
    platform.set_value(session, actor=actor, key=PRICE_SETTING, value=price_minor)
