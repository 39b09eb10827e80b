"""Top-up requests: asking, who may decide, approving (reseller transfer or admin mint, once),
rejecting, cancelling, the notifications and emails, and the reseller's earnings."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import Conflict, InsufficientCredits, NotFound, PermissionDenied, ValidationFailed
from mediashare.models import (
    AuditAction,
    AuditEvent,
    LedgerTransaction,
    Notification,
    Role,
    TopUpRequest,
    TopUpStatus,
    TransactionKind,
    User,
)
from mediashare.services import email, ledger, payments, plans, platform
from mediashare.services.payments import providers, topups
from tests.conftest import Mailbox
from tests.factories import make_user


@pytest.fixture
def team(session: Session) -> dict[str, User]:
    """An admin, a reseller with 200 credits and its customer, and another reseller's customer."""
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    customer = make_user(session, parent=reseller)
    other_reseller = make_user(session, role=Role.RESELLER, parent=admin)
    stranger = make_user(session, parent=other_reseller)
    ledger.grant(session, actor=admin, to=reseller, amount=200, key="seed-reseller")
    return {"admin": admin, "reseller": reseller, "customer": customer, "other_reseller": other_reseller,
            "stranger": stranger}


def test_a_request_is_priced_before_asking_and_begins_with_the_providers_instructions(
        session: Session, team: dict[str, User]) -> None:
    platform.set_value(session, actor=make_user(session, role=Role.SUPERUSER), key="topup_credit_price_minor", value=12)
    assert topups.quote_credits(session, 50).price == "6.00 EUR"
    asked = topups.request_credits(session, actor=team["customer"], credits="50")
    request = asked.request
    assert (request.credits, request.amount_minor, request.currency, request.status, request.provider) == \
        (50, 600, "EUR", TopUpStatus.PENDING, "manual")
    assert "Pay 6.00 EUR to" in asked.start.instructions and team["reseller"].name in asked.start.instructions
    for bad in (0, -3, "many", True, topups.MAX_CREDITS + 1):
        with pytest.raises(ValidationFailed):
            topups.request_credits(session, actor=team["customer"], credits=bad)
    with pytest.raises(ValidationFailed):
        topups.request_credits(session, actor=team["customer"], credits=5, provider_name="free-money")


def test_the_reseller_approves_from_its_own_balance_once(session: Session, team: dict[str, User],
                                                        smtp_server: Mailbox) -> None:
    customer, reseller = team["customer"], team["reseller"]
    request = topups.request_credits(session, actor=customer, credits=50).request
    assert [r.id for r in topups.decision_queue(session, actor=reseller)] == [request.id]
    approved = topups.approve(session, actor=reseller, request_id=request.id, reference="  BANK-4711 ")
    assert (approved.status, approved.payment_reference, approved.decided_by_id) == \
        (TopUpStatus.APPROVED, "BANK-4711", reseller.id)
    assert ledger.balance(session, user=customer) == 50 and ledger.balance(session, user=reseller) == 150
    paid = session.get(LedgerTransaction, approved.transaction_id)
    assert (paid.kind, paid.idempotency_key) == (TransactionKind.TRANSFER, f"topup:{request.id}")
    with pytest.raises(Conflict, match="already approved"):
        topups.approve(session, actor=reseller, request_id=request.id, reference="again")
    with pytest.raises(Conflict):
        topups.approve(session, actor=team["admin"], request_id=request.id, reference="again")
    assert ledger.balance(session, user=customer) == 50  # paid once
    note = session.exec(select(Notification).where(Notification.user_id == customer.id)).one()
    assert "approved" in note.title and "50 credits" in note.title
    message = smtp_server.wait_for(to=customer.email, subject="approved")
    assert "BANK-4711" in message.get_body(preferencelist=("plain",)).get_content()
    assert topups.decision_queue(session, actor=reseller) == []
    assert session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.TOPUP_APPROVED)).one().target_id \
        == customer.id


def test_an_admin_approval_mints_the_credits(session: Session, team: dict[str, User]) -> None:
    request = topups.request_credits(session, actor=team["stranger"], credits=30).request
    topups.approve(session, actor=team["admin"], request_id=request.id, reference="cash")
    assert ledger.balance(session, user=team["stranger"]) == 30
    assert ledger.balance(session, user=team["other_reseller"]) == 0
    assert session.get(LedgerTransaction, session.get(TopUpRequest, request.id).transaction_id).kind \
        is TransactionKind.GRANT
    assert ledger.verify(session).ok


def test_a_reseller_decides_only_its_own_customers_requests(session: Session, team: dict[str, User]) -> None:
    request = topups.request_credits(session, actor=team["stranger"], credits=10).request
    own = topups.request_credits(session, actor=team["reseller"], credits=10).request  # decided by admins
    for request_id in (request.id, own.id):
        with pytest.raises(NotFound):
            topups.approve(session, actor=team["reseller"], request_id=request_id, reference="x")
        with pytest.raises(NotFound):
            topups.reject(session, actor=team["reseller"], request_id=request_id, reason="no")
    with pytest.raises(NotFound):
        topups.approve(session, actor=team["customer"], request_id=request.id, reference="x")
    with pytest.raises(PermissionDenied):
        topups.decision_queue(session, actor=team["customer"])
    assert [r.id for r in topups.decision_queue(session, actor=team["other_reseller"])] == [request.id]
    assert {r.id for r in topups.decision_queue(session, actor=team["admin"])} == {request.id, own.id}
    assert session.get(TopUpRequest, request.id).status is TopUpStatus.PENDING


def test_a_reseller_without_enough_credits_is_told_its_balance_and_nothing_changes(
        session: Session, team: dict[str, User], smtp_server: Mailbox) -> None:
    customer, reseller = team["customer"], team["reseller"]
    request = topups.request_credits(session, actor=customer, credits=500).request
    with pytest.raises(InsufficientCredits, match="Your balance is 200 credits; approving this request needs 500"):
        topups.approve(session, actor=reseller, request_id=request.id, reference="BANK-1")
    session.expire_all()
    stored = session.get(TopUpRequest, request.id)
    assert (stored.status, stored.payment_reference, stored.transaction_id) == (TopUpStatus.PENDING, "", None)
    assert ledger.balance(session, user=customer) == 0 and ledger.balance(session, user=reseller) == 200
    assert session.exec(select(Notification).where(Notification.user_id == customer.id)).all() == []
    email.drain()
    assert smtp_server.messages == []


def test_rejecting_needs_a_reason_and_tells_the_requester(session: Session, team: dict[str, User],
                                                         smtp_server: Mailbox) -> None:
    customer = team["customer"]
    request = topups.request_credits(session, actor=customer, credits=20).request
    with pytest.raises(ValidationFailed):
        topups.reject(session, actor=team["reseller"], request_id=request.id, reason="  ")
    rejected = topups.reject(session, actor=team["reseller"], request_id=request.id, reason="No payment arrived")
    assert (rejected.status, rejected.reason) == (TopUpStatus.REJECTED, "No payment arrived")
    assert ledger.balance(session, user=customer) == 0
    note = session.exec(select(Notification).where(Notification.user_id == customer.id)).one()
    assert "declined" in note.title and note.body == "No payment arrived"
    message = smtp_server.wait_for(to=customer.email, subject="declined")
    assert "No payment arrived" in message.get_body(preferencelist=("plain",)).get_content()
    with pytest.raises(Conflict):
        topups.approve(session, actor=team["reseller"], request_id=request.id, reference="late")


def test_requesters_cancel_their_own_pending_requests_only(session: Session, team: dict[str, User]) -> None:
    request = topups.request_credits(session, actor=team["customer"], credits=20).request
    with pytest.raises(NotFound):
        topups.cancel(session, actor=team["stranger"], request_id=request.id)
    assert topups.cancel(session, actor=team["customer"], request_id=request.id).status is TopUpStatus.CANCELLED
    with pytest.raises(Conflict):
        topups.cancel(session, actor=team["customer"], request_id=request.id)
    with pytest.raises(Conflict):
        topups.approve(session, actor=team["reseller"], request_id=request.id, reference="x")
    assert [r.status for r in topups.own_requests(session, actor=team["customer"])] == [TopUpStatus.CANCELLED]


def test_an_approved_plan_request_assigns_the_plan_and_this_months_allotment_once(
        session: Session, team: dict[str, User]) -> None:
    admin, customer = team["admin"], team["customer"]
    plan = plans.create(session, actor=admin, name="Plus", monthly_credits=80, storage_quota_bytes=5 * 1024**3,
                        price_minor=1500)
    request = topups.request_plan(session, actor=customer, plan_id=plan.id).request
    assert (request.credits, request.amount_minor, request.plan_id) == (80, 1500, plan.id)
    topups.approve(session, actor=team["reseller"], request_id=request.id, reference="INV-9")
    session.refresh(customer)
    assert customer.plan_id == plan.id and ledger.balance(session, user=customer) == 80
    assert ledger.balance(session, user=team["reseller"]) == 200  # the platform mints allotments
    assert plans.grant_period(session).granted == 0  # the job finds this month paid
    assert ledger.balance(session, user=customer) == 80
    plans.archive(session, actor=admin, plan_id=plan.id)
    with pytest.raises(NotFound):
        topups.request_plan(session, actor=customer, plan_id=plan.id)


def test_the_earnings_hook_sums_what_a_resellers_customers_paid_it(session: Session, team: dict[str, User]) -> None:
    reseller = team["reseller"]
    for credits in (50, 70):
        request = topups.request_credits(session, actor=team["customer"], credits=credits).request
        topups.approve(session, actor=reseller, request_id=request.id, reference="r")
    declined = topups.request_credits(session, actor=team["customer"], credits=5).request
    topups.reject(session, actor=reseller, request_id=declined.id, reason="no")
    minted = topups.request_credits(session, actor=team["stranger"], credits=9).request
    topups.approve(session, actor=team["admin"], request_id=minted.id, reference="r")
    earned = payments.earnings(session, reseller_id=reseller.id)
    assert (earned.count, earned.credits) == (2, 120)
    assert earned.money == [payments.Money(amount_minor=1200, currency="EUR")] and str(earned.money[0]) == "12.00 EUR"
    assert payments.earnings(session, reseller_id=team["other_reseller"].id).money == []


def test_the_manual_provider_needs_a_reference() -> None:
    manual = providers.provider("manual")
    request = TopUpRequest(id=1, user_id=1, credits=1)
    assert manual.confirm(request, reference=" A-1 ") == "A-1"
    for bad in ("", "   ", "x" * 129, None):
        with pytest.raises(ValidationFailed):
            manual.confirm(request, reference=bad)  # type: ignore[arg-type]


def test_the_reseller_dashboard_shows_what_its_customers_paid_it(session: Session, team: dict[str, User],
                                                                 smtp_server: Mailbox) -> None:
    from mediashare.services import reseller_stats

    customer, reseller = team["customer"], team["reseller"]
    for credits in (50, 30):
        request = topups.request_credits(session, actor=customer, credits=credits).request
        topups.approve(session, actor=reseller, request_id=request.id, reference=f"BANK-{credits}")
    rejected = topups.request_credits(session, actor=customer, credits=99).request
    topups.reject(session, actor=reseller, request_id=rejected.id, reason="not paid")
    minted = topups.request_credits(session, actor=team["stranger"], credits=20).request
    topups.approve(session, actor=team["admin"], request_id=minted.id, reference="ADMIN-1")  # not this reseller's
    board = reseller_stats.dashboard(session, actor=reseller)
    assert (board.earnings.count, board.earnings.credits) == (2, 80)
    assert [str(money) for money in board.earnings.money] == ["8.00 EUR"]  # 80 credits at 0.10 EUR
    assert board.earnings_this_month == board.earnings
    assert reseller_stats.dashboard(session, actor=team["admin"], reseller_id=reseller.id).earnings == board.earnings
    assert reseller_stats.dashboard(session, actor=team["other_reseller"]).earnings.count == 0
