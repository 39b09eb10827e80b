"""The monthly allotment run by many processes at once (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from mediashare.errors import Conflict
from mediashare.models import LedgerTransaction, Role, TopUpRequest, TransactionKind, User
from mediashare.services import ledger, plans
from mediashare.services.payments import topups
from tests.factories import make_user
from tests.services.test_ledger_concurrency import run_threads, sessions  # noqa: F401  (fixture)

pytestmark = pytest.mark.parametrize("migrated_database", ["postgresql"], indirect=True)


def test_ten_concurrent_runs_grant_each_account_exactly_once(session: Session, sessions: Callable[[], Session]) -> None:  # noqa: F811
    admin = make_user(session, role=Role.ADMIN)
    plan = plans.create(session, actor=admin, name="Pro", monthly_credits=40, storage_quota_bytes=0, price_minor=500)
    customers = [make_user(session) for _ in range(12)]
    for customer in customers:
        plans.assign(session, actor=admin, username=customer.username, plan_id=plan.id)
    granted: list[int] = []

    def run(_number: int) -> None:
        with sessions() as own:
            granted.append(plans.grant_period(own, period="2026-11").granted)

    run_threads(10, run)
    assert sum(granted) == 12  # every account paid by exactly one of the runs
    assert [ledger.balance(session, user=c) for c in customers] == [40] * 12
    paid = session.exec(select(LedgerTransaction).where(LedgerTransaction.kind == TransactionKind.PLAN)).all()
    assert len(paid) == 12
    assert ledger.verify(session).ok


def test_two_deciders_approving_one_request_at_once_pay_it_once(
        session: Session, sessions: Callable[[], Session]) -> None:  # noqa: F811

    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    customer = make_user(session, parent=reseller)
    ledger.grant(session, actor=admin, to=reseller, amount=1000, key="seed")
    request = topups.request_credits(session, actor=customer, credits=50).request
    outcomes: list[str] = []

    def approve(number: int) -> None:
        with sessions() as own:
            actor = own.get(User, (reseller if number % 2 else admin).id)
            try:
                topups.approve(own, actor=actor, request_id=request.id, reference=f"R{number}")
                outcomes.append("approved")
            except Conflict:
                outcomes.append("conflict")

    run_threads(8, approve)
    assert sorted(outcomes) == ["approved"] + ["conflict"] * 7
    assert ledger.balance(session, user=customer) == 50
    session.expire_all()
    assert session.get(TopUpRequest, request.id).transaction_id is not None
    assert ledger.verify(session).ok
