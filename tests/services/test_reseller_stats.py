"""The reseller's figures equal what happened: a scripted month of grants, transfers, spends, holds
and refunds in different weeks (the ledger's clock is set for each), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from mediashare.errors import NotFound, PermissionDenied
from mediashare.models import Role, User
from mediashare.services import ledger, platform, reseller_stats
from tests.factories import make_user

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)  # a Wednesday; the week began Monday 16 November


@dataclass
class Business:
    admin: User
    reseller: User
    cust_a: User
    cust_b: User
    sub: User  # a reseller under the reseller
    cust_c: User  # the sub-reseller's customer: still in the reseller's team
    other: User  # another reseller
    stranger: User  # the other reseller's customer


class Clock:
    """Sets the time the ledger writes on its transactions."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = NOW
        monkeypatch.setattr(ledger, "utc_now", lambda: self.now)

    def at(self, moment: datetime) -> Clock:
        self.now = moment
        return self


def day(month: int, date: int) -> datetime:
    return datetime(2026, month, date, 15, 30, tzinfo=UTC)


@pytest.fixture
def business(session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[Business]:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin, username="acme")
    cust_a = make_user(session, parent=reseller, username="alice")
    cust_b = make_user(session, parent=reseller, username="bob")
    cust_a.last_login_at, cust_b.last_login_at = NOW - timedelta(days=1), NOW - timedelta(days=40)
    session.add_all([cust_a, cust_b])
    session.commit()
    sub = make_user(session, role=Role.RESELLER, parent=reseller, username="subshop")
    cust_c = make_user(session, parent=sub, username="carol")
    other = make_user(session, role=Role.RESELLER, parent=admin, username="rival")
    stranger = make_user(session, parent=other, username="sam")
    clock = Clock(monkeypatch)

    clock.at(day(10, 20))
    ledger.grant(session, actor=admin, to=reseller, amount=1000)
    ledger.grant(session, actor=admin, to=other, amount=500)
    clock.at(day(10, 27))  # week of 26 October, last month
    ledger.transfer(session, actor=reseller, to=cust_a, amount=100)
    ledger.transfer(session, actor=reseller, to=cust_b, amount=50)
    ledger.transfer(session, actor=other, to=stranger, amount=60)
    clock.at(day(11, 3))  # week of 2 November, this month
    ledger.transfer(session, actor=reseller, to=cust_b, amount=30)
    ledger.transfer(session, actor=reseller, to=cust_c, amount=20)

    clock.at(day(8, 10))  # 14 weeks ago: outside the chart and the 30 days
    ledger.spend(session, actor=cust_a, amount=13)
    clock.at(day(10, 28))
    ledger.spend(session, actor=cust_a, amount=5)
    clock.at(day(11, 4))
    ledger.spend(session, actor=cust_c, amount=20)
    held = ledger.hold(session, actor=cust_a, amount=4)
    ledger.release(session, hold_id=held.id)  # the job failed: costs nothing
    clock.at(day(11, 10))
    ledger.spend(session, actor=cust_a, amount=7)
    clock.at(day(11, 17))
    held = ledger.hold(session, actor=cust_b, amount=4)
    ledger.capture(session, hold_id=held.id, amount=3)  # 1 goes back
    refunded = ledger.spend(session, actor=cust_a, amount=6)
    ledger.refund(session, actor=admin, transaction_id=refunded.id)
    ledger.spend(session, actor=stranger, amount=9)  # another team's: never counted
    yield Business(admin, reseller, cust_a, cust_b, sub, cust_c, other, stranger)


def test_the_dashboard_figures_equal_what_happened(session: Session, business: Business) -> None:
    board = reseller_stats.dashboard(session, actor=business.reseller, now=NOW)
    assert board.own and board.reseller_username == "acme"
    assert board.customers == 4  # alice, bob, subshop and carol below it
    assert board.active_customers == 1  # alice signed in yesterday; bob 40 days ago
    assert board.distributed_total == 200 and board.distributed_this_month == 50
    weeks = {figure.starts.date().isoformat(): figure.credits for figure in board.weeks}
    assert len(board.weeks) == 12 and board.weeks[-1].starts == datetime(2026, 11, 16, tzinfo=UTC)
    assert board.weeks[0].starts == datetime(2026, 8, 31, tzinfo=UTC)
    assert {week: credits for week, credits in weeks.items() if credits} == {
        "2026-10-26": 5, "2026-11-02": 20, "2026-11-09": 7, "2026-11-16": 3,
    }
    assert [(row.username, row.balance) for row in board.low_balance] == [("carol", 0), ("subshop", 0)]
    assert board.low_balance_threshold == 10


def test_the_low_balance_threshold_is_a_platform_setting(session: Session, business: Business) -> None:
    platform.set_value(session, actor=business.admin, key="low_balance_threshold", value=80)
    board = reseller_stats.dashboard(session, actor=business.reseller, now=NOW)
    # alice 100-13-5-7 = 75, bob 50+30-3 = 77: both now below 80
    assert [(row.username, row.balance) for row in board.low_balance] == [
        ("carol", 0), ("subshop", 0), ("alice", 75), ("bob", 77)]


def test_usage_per_customer(session: Session, business: Business) -> None:
    business.cust_a.storage_used_bytes = 5_000
    session.add(business.cust_a)
    session.commit()
    found = reseller_stats.usage(session, actor=business.reseller, now=NOW,
                                 user_ids=[business.cust_a.id, business.cust_b.id, business.stranger.id])
    assert set(found) == {business.cust_a.id, business.cust_b.id}  # the other team's customer is left out
    alice = found[business.cust_a.id]
    assert (alice.balance, alice.spent_30_days, alice.storage_used_bytes, alice.items) == (75, 12, 5_000, 0)
    assert alice.storage_quota_bytes == 10 * 1024**3
    assert alice.last_active_at == NOW - timedelta(days=1)
    assert (found[business.cust_b.id].balance, found[business.cust_b.id].spent_30_days) == (77, 3)
    assert reseller_stats.usage(session, actor=business.other, user_ids=[business.cust_a.id]) == {}
    fellow = make_user(session, role=Role.ADMIN)
    seen_by_admin = reseller_stats.usage(session, actor=business.admin,
                                         user_ids=[business.cust_a.id, business.stranger.id, fellow.id,
                                                   business.admin.id])
    assert set(seen_by_admin) == {business.cust_a.id, business.stranger.id}  # not a fellow admin, not itself


def test_admins_open_any_resellers_dashboard_and_nobody_else_does(session: Session, business: Business) -> None:
    board = reseller_stats.dashboard(session, actor=business.admin, reseller_id=business.reseller.id, now=NOW)
    assert not board.own and board.distributed_total == 200
    with pytest.raises(NotFound):
        reseller_stats.dashboard(session, actor=business.other, reseller_id=business.reseller.id)
    with pytest.raises(NotFound):  # a reseller's own sub-reseller is not theirs to open either
        reseller_stats.dashboard(session, actor=business.reseller, reseller_id=business.sub.id)
    with pytest.raises(NotFound):  # not a reseller
        reseller_stats.dashboard(session, actor=business.admin, reseller_id=business.cust_a.id)
    with pytest.raises(PermissionDenied):
        reseller_stats.dashboard(session, actor=business.cust_a)
    rival = reseller_stats.dashboard(session, actor=business.other, now=NOW)
    assert rival.customers == 1 and rival.distributed_total == 60
    assert sum(figure.credits for figure in rival.weeks) == 9
