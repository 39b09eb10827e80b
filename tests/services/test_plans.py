"""Plans: managing them (admins, validated, audited), the quota they give, and the monthly
allotment paid exactly once per account and month."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from mediashare.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, LedgerTransaction, Role, TransactionKind, User
from mediashare.services import ingest, ledger, plans, platform
from tests.factories import make_user

GB = 1024**3


def _plan(session: Session, admin: User, name: str = "Family", credits: int = 100, quota: int = 50 * GB,
          price: int = 999):
    return plans.create(session, actor=admin, name=name, monthly_credits=credits, storage_quota_bytes=quota,
                        price_minor=price)


def test_admins_create_edit_archive_and_delete_unused_plans_all_audited(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    plan = _plan(session, admin)
    assert (plan.name, plan.monthly_credits, plan.storage_quota_bytes, plan.price_minor, plan.currency) == \
        ("Family", 100, 50 * GB, 999, "EUR")
    updated = plans.update(session, actor=admin, plan_id=plan.id, name="Family+", monthly_credits="150",
                           storage_quota_bytes=60 * GB, price_minor=1299)
    assert (updated.name, updated.monthly_credits, updated.price_minor) == ("Family+", 150, 1299)
    assert not plans.archive(session, actor=admin, plan_id=plan.id).is_active
    assert [p.id for p in plans.plan_list(session, include_archived=False)] == []
    plans.delete(session, actor=admin, plan_id=plan.id)
    with pytest.raises(NotFound):
        plans.get(session, plan.id)
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.actor_id == admin.id)
                           .order_by(AuditEvent.id)).all()
    expected = [AuditAction.PLAN_CREATED, AuditAction.PLAN_UPDATED, AuditAction.PLAN_ARCHIVED,
                AuditAction.PLAN_ARCHIVED]
    assert [AuditAction(a) for a in actions if a.startswith("plan.")] == expected


def test_plan_fields_are_checked_and_names_are_unique_in_any_case(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    _plan(session, admin, name="Basic")
    with pytest.raises(Conflict, match="already a plan called"):
        _plan(session, admin, name="  bASIC ")
    for bad in ({"name": ""}, {"name": "x" * 65}, {"credits": -1}, {"credits": True}, {"quota": "lots"},
                {"price": -5}, {"credits": plans.MAX_CREDITS + 1}):
        with pytest.raises(ValidationFailed):
            _plan(session, admin, **{"name": "Other", **bad})
    assert plans.parse_money("9.99") == 999 and plans.parse_money("10") == 1000 and plans.parse_money("0,5") == 50
    with pytest.raises(ValidationFailed):
        plans.parse_money("9.999")
    assert plans.parse_gigabytes("0.5") == GB // 2


def test_only_admins_manage_plans(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    with pytest.raises(PermissionDenied):
        _plan(session, reseller)


def test_a_plan_in_use_is_archived_not_deleted_and_archived_plans_are_not_assigned(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session)
    plan = _plan(session, admin)
    plans.assign(session, actor=admin, username=customer.username.upper(), plan_id=plan.id)
    with pytest.raises(Conflict, match="archive it instead"):
        plans.delete(session, actor=admin, plan_id=plan.id)
    plans.archive(session, actor=admin, plan_id=plan.id)
    session.refresh(customer)
    assert customer.plan_id == plan.id  # keeps it
    other = make_user(session)
    with pytest.raises(ValidationFailed, match="archived"):
        plans.assign(session, actor=admin, username=other.username, plan_id=plan.id)
    with pytest.raises(NotFound):
        plans.assign(session, actor=admin, username="nobody-here", plan_id=plan.id)
    assigned = session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.PLAN_ASSIGNED)).one()
    assert assigned.target_id == customer.id


def test_quota_is_the_accounts_own_then_its_plans_then_the_platform_default(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session)
    default = platform.get(session, "default_storage_quota_bytes")
    assert ingest.quota_for(session, customer) == default
    plan = _plan(session, admin, quota=77 * GB)
    plans.assign(session, actor=admin, username=customer.username, plan_id=plan.id)
    session.refresh(customer)
    assert ingest.quota_for(session, customer) == 77 * GB
    customer.storage_quota_bytes = 3 * GB
    session.add(customer)
    session.commit()
    assert ingest.quota_for(session, customer) == 3 * GB


def test_the_monthly_allotment_is_granted_once_per_account_and_period(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    on_plan, also, idle, off = make_user(session), make_user(session), make_user(session), make_user(session)
    plan = _plan(session, admin, credits=100)
    free = _plan(session, admin, name="Free", credits=0)
    for user in (on_plan, also, idle):
        plans.assign(session, actor=admin, username=user.username, plan_id=plan.id)
    plans.assign(session, actor=admin, username=off.username, plan_id=free.id)
    idle.is_active = False
    session.add(idle)
    session.commit()

    first = plans.grant_period(session, period="2026-11")
    again = plans.grant_period(session, period="2026-11")
    assert (first.accounts, first.granted, again.granted) == (2, 2, 0)
    assert [ledger.balance(session, user=u) for u in (on_plan, also, idle, off)] == [100, 100, 0, 0]
    plans.grant_period(session, period="2026-12")
    assert ledger.balance(session, user=on_plan) == 200
    paid = session.exec(select(LedgerTransaction).where(LedgerTransaction.kind == TransactionKind.PLAN)).all()
    assert sorted(t.idempotency_key for t in paid if t.idempotency_key.startswith(f"plan:{on_plan.id}:")) == \
        [f"plan:{on_plan.id}:2026-11", f"plan:{on_plan.id}:2026-12"]
    assert ledger.verify(session).ok
    with pytest.raises(ValidationFailed):
        plans.grant_period(session, period="2026-13")


def test_the_default_period_is_the_current_utc_month() -> None:
    assert plans.period_of(datetime(2026, 1, 31, 23, 59, tzinfo=UTC)) == "2026-01"
    assert plans.period_of().count("-") == 1
