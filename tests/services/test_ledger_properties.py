"""A stateful property test of the ledger (Hypothesis), on SQLite and PostgreSQL: random sequences of
grants, transfers, spends, holds, captures, releases, refunds and replays, checked after every step
against a plain-Python model of what each balance must be, and against `ledger.verify`."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlmodel import Session

from mediashare.errors import Conflict, InsufficientCredits, PermissionDenied
from mediashare.models import Role, SystemAccount, User
from mediashare.services import ledger
from tests.factories import make_user

amounts = st.integers(min_value=1, max_value=120)


def fresh_user(session: Session, role: Role, parent: User) -> User:
    """A new account without the cost of hashing a password (each example starts from zero balances)."""
    name = f"p{uuid.uuid4().hex[:12]}"
    user = User(username=name, username_key=name, email=f"{name}@example.com", email_key=f"{name}@example.com",
                password_hash="not a hash", role=role, parent_id=parent.id)
    session.add(user)
    session.commit()
    return user


def test_random_ledger_histories_keep_every_invariant(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)

    class LedgerMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            # Fresh accounts each example: what a rule does must not depend on earlier examples.
            self.reseller = fresh_user(session, Role.RESELLER, admin)
            self.customers = [fresh_user(session, Role.USER, self.reseller) for _ in range(2)]
            self.accounts = [self.reseller, *self.customers]
            self.keys = iter(range(10**6))
            self.expected = {user.id: 0 for user in self.accounts}
            self.issued = -ledger.system_balance(session, name=SystemAccount.ISSUANCE)
            self.done: list[tuple[str, dict[str, Any], int]] = []  # (function, arguments, transaction id)
            self.spends: list[tuple[int, int, int]] = []  # (transaction id, payer id, amount), not refunded
            self.holds: list[tuple[int, int, int]] = []  # (transaction id, owner id, amount), open

        def key(self) -> str:
            return f"{self.accounts[0].username}-{next(self.keys)}"

        def call(self, name: str, **arguments: Any) -> Any:
            arguments["key"] = self.key()
            made = getattr(ledger, name)(session, **arguments)
            self.done.append((name, arguments, made.id))
            return made

        @rule(who=st.sampled_from(range(3)), amount=amounts)
        def grant(self, who: int, amount: int) -> None:
            self.call("grant", actor=admin, to=self.accounts[who], amount=amount)
            self.expected[self.accounts[who].id] += amount
            self.issued += amount

        @rule(who=st.sampled_from(range(2)), amount=amounts)
        def transfer(self, who: int, amount: int) -> None:
            to = self.customers[who]
            if amount > self.expected[self.reseller.id]:
                with pytest.raises(InsufficientCredits):
                    self.call("transfer", actor=self.reseller, to=to, amount=amount)
                return
            self.call("transfer", actor=self.reseller, to=to, amount=amount)
            self.expected[self.reseller.id] -= amount
            self.expected[to.id] += amount

        @rule(amount=amounts)
        def customer_cannot_transfer(self, amount: int) -> None:
            with pytest.raises(PermissionDenied):
                self.call("transfer", actor=self.customers[0], to=self.customers[1], amount=amount)

        @rule(who=st.sampled_from(range(3)), amount=amounts, kind=st.sampled_from(["spend", "hold"]))
        def debit(self, who: int, amount: int, kind: str) -> None:
            payer = self.accounts[who]
            if amount > self.expected[payer.id]:
                with pytest.raises(InsufficientCredits):
                    self.call(kind, actor=payer, amount=amount)
                return
            made = self.call(kind, actor=payer, amount=amount)
            self.expected[payer.id] -= amount
            (self.spends if kind == "spend" else self.holds).append((made.id, payer.id, amount))

        @precondition(lambda self: self.holds)
        @rule(data=st.data(), fail=st.booleans())
        def settle(self, data: st.DataObject, fail: bool) -> None:
            hold_id, owner, amount = self.holds.pop(data.draw(st.integers(0, len(self.holds) - 1)))
            if fail:
                ledger.release(session, hold_id=hold_id)
                self.expected[owner] += amount
                with pytest.raises(Conflict):
                    ledger.capture(session, hold_id=hold_id)
                return
            used = data.draw(st.integers(1, amount))
            ledger.capture(session, hold_id=hold_id, amount=used)
            self.expected[owner] += amount - used
            with pytest.raises(Conflict):
                ledger.release(session, hold_id=hold_id)

        @precondition(lambda self: self.spends)
        @rule(data=st.data())
        def refund(self, data: st.DataObject) -> None:
            spend_id, payer, amount = self.spends.pop(data.draw(st.integers(0, len(self.spends) - 1)))
            ledger.refund(session, actor=admin, transaction_id=spend_id)
            self.expected[payer] += amount
            with pytest.raises(Conflict):
                ledger.refund(session, actor=None, transaction_id=spend_id, key=self.key())

        @precondition(lambda self: self.done)
        @rule(data=st.data())
        def replay(self, data: st.DataObject) -> None:
            name, arguments, transaction_id = data.draw(st.sampled_from(self.done))
            assert getattr(ledger, name)(session, **arguments).id == transaction_id

        @invariant()
        def balances_match_the_model(self) -> None:
            for user in self.accounts:
                assert ledger.balance(session, user=user) == self.expected[user.id]
                assert self.expected[user.id] >= 0
            assert ledger.system_balance(session, name=SystemAccount.ISSUANCE) == -self.issued

        @invariant()
        def the_books_verify(self) -> None:
            report = ledger.verify(session)
            assert report.ok, report.problems

    run_state_machine_as_test(LedgerMachine, settings=settings(
        max_examples=25, stateful_step_count=20, deadline=None, database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    ))
