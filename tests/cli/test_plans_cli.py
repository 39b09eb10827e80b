"""`python -m mediashare plans grant`: the monthly allotment from the command line, safe to repeat."""

from __future__ import annotations

from sqlmodel import Session

from mediashare.jobs import queue
from mediashare.jobs import schedule as periodic
from mediashare.models import Role
from mediashare.services import ledger, plans
from tests.cli.test_cli import run
from tests.factories import make_user


def test_plans_grant_pays_each_account_once_per_period(database_url: str, session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session)
    plan = plans.create(session, actor=admin, name="Pro", monthly_credits=25, storage_quota_bytes=0, price_minor=0)
    plans.assign(session, actor=admin, username=customer.username, plan_id=plan.id)

    first = run("plans", "grant", "--period", "2026-10")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Plan allotments for 2026-10: 1 paid now, 0 paid before" in first.stdout
    again = run("plans", "grant", "--period", "2026-10")
    assert "0 paid now, 1 paid before" in again.stdout
    assert ledger.balance(session, user=customer) == 25
    assert run("plans", "grant", "--period", "October").returncode == 2


def test_the_periodic_check_pays_this_months_allotment_once(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session)
    plan = plans.create(session, actor=admin, name="Pro", monthly_credits=30, storage_quota_bytes=0, price_minor=0)
    plans.assign(session, actor=admin, username=customer.username, plan_id=plan.id)
    assert "plan_allotments" in periodic.tick()
    queue.drain_local()
    assert "plan_allotments" not in periodic.tick()  # claimed for this hour
    assert plans.grant_period(session).granted == 0  # and this month is paid
    assert ledger.balance(session, user=customer) == 30
