"""The credit ledger's rules, on SQLite and PostgreSQL: who may move credits, exact balances,
idempotent replays, holds, refunds, history pages, verification and append-only history."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare.errors import Conflict, InsufficientCredits, PermissionDenied, ValidationFailed
from mediashare.models import (
    AuditAction,
    AuditEvent,
    LedgerAccount,
    LedgerTransaction,
    Role,
    SystemAccount,
    TransactionKind,
    User,
)
from mediashare.services import ledger
from tests.factories import make_user


@dataclass
class Team:
    admin: User
    reseller: User
    customer: User
    other_reseller: User
    stranger: User  # a customer of the other reseller


@pytest.fixture
def team(session: Session) -> Team:
    """admin → reseller → customer, and a second reseller with a customer of its own."""
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    other = make_user(session, role=Role.RESELLER, parent=admin)
    return Team(admin=admin, reseller=reseller, customer=make_user(session, parent=reseller),
                other_reseller=other, stranger=make_user(session, parent=other))


def transactions(session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(LedgerTransaction)).one()


def test_an_admin_grants_new_credits_from_issuance_and_it_is_audited(session: Session, team: Team) -> None:
    made = ledger.grant(session, actor=team.admin, to=team.reseller, amount=1_000, key="g1", reference="welcome")
    assert made.kind is TransactionKind.GRANT and made.amount == 1_000
    assert ledger.balance(session, user=team.reseller) == 1_000
    assert ledger.system_balance(session, name=SystemAccount.ISSUANCE) == -1_000
    event = session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.CREDITS_GRANTED.value)).one()
    assert event.target_id == team.reseller.id and event.details["amount"] == 1_000


@pytest.mark.parametrize("role", [Role.RESELLER, Role.USER])
def test_only_admins_and_superusers_mint_credits(session: Session, team: Team, role: Role) -> None:
    actor = team.reseller if role is Role.RESELLER else team.customer
    with pytest.raises(PermissionDenied):
        ledger.grant(session, actor=actor, to=team.customer, amount=5, key="g1")
    assert ledger.balance(session, user=team.customer) == 0 and transactions(session) == 0


def test_a_reseller_transfers_to_its_customer_and_nowhere_else(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.reseller, amount=1_000, key="g1")
    ledger.transfer(session, actor=team.reseller, to=team.customer, amount=100, key="t1")
    assert ledger.balance(session, user=team.reseller) == 900
    assert ledger.balance(session, user=team.customer) == 100
    for target in (team.stranger, team.other_reseller, team.admin, team.reseller):
        with pytest.raises(PermissionDenied, match="your own team"):
            ledger.transfer(session, actor=team.reseller, to=target, amount=1, key=f"t-{target.id}")
    assert ledger.balance(session, user=team.reseller) == 900
    assert session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.CREDITS_TRANSFERRED.value)).one()


def test_users_cannot_transfer(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.customer, amount=10, key="g1")
    with pytest.raises(PermissionDenied, match="Only resellers"):
        ledger.transfer(session, actor=team.customer, to=team.reseller, amount=1, key="t1")
    assert ledger.balance(session, user=team.customer) == 10


def test_a_transfer_larger_than_the_balance_moves_nothing(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.reseller, amount=50, key="g1")
    with pytest.raises(InsufficientCredits, match="You need 80 credits but have 50"):
        ledger.transfer(session, actor=team.reseller, to=team.customer, amount=80, key="t1")
    assert ledger.balance(session, user=team.reseller) == 50 and ledger.balance(session, user=team.customer) == 0
    assert transactions(session) == 1


def test_spending_more_than_the_balance_names_both_and_changes_nothing(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.customer, amount=5, key="g1")
    with pytest.raises(InsufficientCredits) as raised:
        ledger.spend(session, actor=team.customer, amount=6, key="s1", reference="media:1/version:2")
    assert (raised.value.balance, raised.value.needed) == (5, 6)
    assert str(raised.value) == "You need 6 credits but have 5."
    assert ledger.balance(session, user=team.customer) == 5 and transactions(session) == 1


def test_replaying_a_key_returns_the_original_and_moves_nothing(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.customer, amount=10, key="g1")
    first = ledger.spend(session, actor=team.customer, amount=3, key="s1", reference="media:1")
    again = ledger.spend(session, actor=team.customer, amount=3, key="s1", reference="media:1")
    assert again.id == first.id
    assert ledger.balance(session, user=team.customer) == 7
    assert ledger.grant(session, actor=team.admin, to=team.customer, amount=10, key="g1").id is not None
    assert ledger.balance(session, user=team.customer) == 7 and transactions(session) == 2
    with pytest.raises(Conflict, match="already used"):
        ledger.spend(session, actor=team.customer, amount=4, key="s1")


def test_a_spend_inside_the_callers_transaction_rolls_back_with_the_action(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.customer, amount=10, key="g1")
    team.customer.display_name = "Renamed"  # the action being paid for
    ledger.spend(session, actor=team.customer, amount=4, key="s1", commit=False)
    session.rollback()  # the action failed: its payment goes with it
    assert ledger.balance(session, user=team.customer) == 10 and transactions(session) == 1
    assert session.get(User, team.customer.id).display_name == ""

    team.customer.display_name = "Renamed"
    ledger.spend(session, actor=team.customer, amount=4, key="s1", commit=False)
    session.commit()
    assert ledger.balance(session, user=team.customer) == 6 and team.customer.display_name == "Renamed"


def test_a_refused_spend_inside_the_callers_transaction_leaves_it_usable(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.customer, amount=3, key="g1")
    team.customer.display_name = "Still saved"
    with pytest.raises(InsufficientCredits):
        ledger.spend(session, actor=team.customer, amount=4, key="s1", commit=False)
    session.commit()
    assert session.get(User, team.customer.id).display_name == "Still saved"
    assert ledger.balance(session, user=team.customer) == 3 and transactions(session) == 1


def test_a_captured_hold_costs_what_was_used_and_returns_the_rest(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.customer, amount=10, key="g1")
    held = ledger.hold(session, actor=team.customer, amount=8, key="h1", reference="render:7")
    assert ledger.balance(session, user=team.customer) == 2
    assert ledger.system_balance(session, name=SystemAccount.HELD) == 8
    ledger.capture(session, hold_id=held.id, amount=5)
    assert ledger.balance(session, user=team.customer) == 5
    assert ledger.system_balance(session, name=SystemAccount.HELD) == 0
    assert ledger.system_balance(session, name=SystemAccount.CONSUMPTION) == 5
    with pytest.raises(Conflict, match="already captured"):
        ledger.release(session, hold_id=held.id)
    assert ledger.balance(session, user=team.customer) == 5


def test_a_failed_job_releases_its_hold_and_costs_nothing(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.customer, amount=10, key="g1")
    held = ledger.hold(session, actor=team.customer, amount=10, key="h1")
    with pytest.raises(InsufficientCredits):
        ledger.spend(session, actor=team.customer, amount=1, key="s1")
    ledger.release(session, hold_id=held.id)
    ledger.release(session, hold_id=held.id)  # a retried job releases once
    assert ledger.balance(session, user=team.customer) == 10
    with pytest.raises(Conflict, match="already released"):
        ledger.capture(session, hold_id=held.id)
    assert ledger.verify(session).ok


def test_a_refund_gives_a_spend_back_once(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.customer, amount=10, key="g1")
    spent = ledger.spend(session, actor=team.customer, amount=4, key="s1")
    with pytest.raises(PermissionDenied):
        ledger.refund(session, actor=team.reseller, transaction_id=spent.id)
    refunded = ledger.refund(session, actor=team.admin, transaction_id=spent.id)
    assert refunded.kind is TransactionKind.REFUND and refunded.settles_id == spent.id
    assert ledger.balance(session, user=team.customer) == 10
    with pytest.raises(Conflict, match="already refunded"):
        ledger.refund(session, actor=None, transaction_id=spent.id, key="another key")
    assert ledger.balance(session, user=team.customer) == 10


@pytest.mark.parametrize("amount", [0, -5, 2.5, True, 10**13])
def test_amounts_are_positive_whole_numbers(session: Session, team: Team, amount: object) -> None:
    with pytest.raises(ValidationFailed):
        ledger.grant(session, actor=team.admin, to=team.customer, amount=amount, key="g1")  # type: ignore[arg-type]
    assert transactions(session) == 0


def test_history_pages_newest_first_and_only_for_managers(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.customer, amount=100, key="g1")
    for number in range(5):
        ledger.spend(session, actor=team.customer, amount=number + 1, key=f"s{number}", reference=f"media:{number}")
    first = ledger.history(session, actor=team.customer, user=team.customer, limit=4)
    assert [item.amount for item in first.items] == [-5, -4, -3, -2]
    assert first.items[0].reference == "media:4" and first.items[0].kind is TransactionKind.SPEND
    rest = ledger.history(session, actor=team.reseller, user=team.customer, before=first.next_before, limit=4)
    assert [item.amount for item in rest.items] == [-1, 100] and rest.next_before is None
    with pytest.raises(PermissionDenied):
        ledger.history(session, actor=team.other_reseller, user=team.customer)


def test_verify_recomputes_balances_and_reports_a_tampered_one(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.reseller, amount=100, key="g1")
    ledger.transfer(session, actor=team.reseller, to=team.customer, amount=30, key="t1")
    ledger.spend(session, actor=team.customer, amount=10, key="s1")
    report = ledger.verify(session)
    assert report.ok, report.problems
    assert report.user_total == 90 and report.system_totals == {"issuance": -100, "consumption": 10, "held": 0}

    session.execute(sa.update(LedgerAccount).where(LedgerAccount.user_id == team.customer.id).values(balance=25))
    session.commit()
    report = ledger.verify(session)
    assert not report.ok
    assert any("balance 25 but its entries sum to 20" in problem for problem in report.problems)
    assert any("not conserved" in problem for problem in report.problems)


@pytest.mark.parametrize("statement", [
    "UPDATE ledger_entries SET amount = amount + 1",
    "DELETE FROM ledger_entries",
    "UPDATE ledger_transactions SET amount = 1",
    "DELETE FROM ledger_transactions",
])
def test_ledger_history_cannot_be_rewritten(session: Session, team: Team, statement: str) -> None:
    ledger.grant(session, actor=team.admin, to=team.customer, amount=10, key="g1")
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        session.execute(sa.text(statement))
    session.rollback()
    assert ledger.verify(session).ok


def test_a_negative_balance_is_refused_by_the_database_itself(session: Session, team: Team) -> None:
    ledger.grant(session, actor=team.admin, to=team.customer, amount=10, key="g1")
    with pytest.raises(sa.exc.IntegrityError):
        session.execute(sa.update(LedgerAccount).where(LedgerAccount.user_id == team.customer.id).values(balance=-1))
    session.rollback()


def test_deleting_an_account_keeps_its_ledger_history_and_the_books_sound(session: Session, team: Team) -> None:
    from mediashare.services import auth, user_admin

    ledger.grant(session, actor=team.admin, to=team.customer, amount=10, key="g1")
    ledger.spend(session, actor=team.customer, amount=4, key="s1")
    user_admin.delete(session, actor=team.admin, user_id=team.customer.id, confirm=team.customer.username,
                      client=auth.Client())
    orphan = session.exec(select(LedgerAccount).where(LedgerAccount.user_id.is_(None),
                                                      LedgerAccount.system_name.is_(None))).one()
    assert orphan.balance == 6  # conserved, out of reach
    report = ledger.verify(session)
    assert report.ok, report.problems
    assert report.user_total == 6 and transactions(session) == 2


def test_owning_the_transaction_refuses_a_session_with_unsaved_changes(session: Session, team: Team) -> None:
    """A retry or a refusal rolls back: it must never take the caller's unsaved work with it."""
    ledger.grant(session, actor=team.admin, to=team.customer, amount=10, key="g1")
    team.customer.display_name = "Unsaved"
    with pytest.raises(ValueError, match="unsaved changes"):
        ledger.spend(session, actor=team.customer, amount=1, key="s1")
    ledger.spend(session, actor=team.customer, amount=1, key="s1", commit=False)
    session.commit()
    assert ledger.balance(session, user=team.customer) == 9 and team.customer.display_name == "Unsaved"
