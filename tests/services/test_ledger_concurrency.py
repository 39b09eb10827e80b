"""The ledger under real concurrency, on PostgreSQL only (SQLite serializes every writer, so it
proves nothing here). These are never skipped in CI: the conftest fails a run without PostgreSQL.

Each thread has its own session and connection, as concurrent requests and jobs would."""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare import db
from mediashare.errors import Conflict, InsufficientCredits
from mediashare.models import LedgerAccount, LedgerTransaction, Role, SystemAccount, TransactionKind, User
from mediashare.services import ledger
from tests.factories import make_user

pytestmark = pytest.mark.parametrize("migrated_database", ["postgresql"], indirect=True)

THREADS = 50
OPERATIONS = 100


@pytest.fixture
def sessions(database_url: str) -> Iterator[Callable[[], Session]]:
    """Sessions on an engine with a connection for every thread (the app's pool holds 30)."""
    engine = sa.create_engine(db.driver_url(database_url), pool_size=THREADS, max_overflow=0)
    try:
        yield lambda: Session(engine, expire_on_commit=False)
    finally:
        engine.dispose()


def run_threads(count: int, target: Callable[[int], None]) -> None:
    """Start `count` threads together (a barrier) and re-raise the first error any of them hit."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def body(number: int) -> None:
        try:
            barrier.wait()
            target(number)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=body, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def test_200_concurrent_spends_of_1_against_100_credits_exactly_100_succeed(
    session: Session, sessions: Callable[[], Session]
) -> None:
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session, parent=admin)
    ledger.grant(session, actor=admin, to=customer, amount=100, key="g1")
    outcomes: list[str] = []

    def spend_four(number: int) -> None:
        with sessions() as own:
            payer = own.get(User, customer.id)
            for attempt in range(4):
                try:
                    ledger.spend(own, actor=payer, amount=1, key=f"s{number}-{attempt}")
                    outcomes.append("spent")
                except InsufficientCredits:
                    outcomes.append("refused")

    run_threads(THREADS, spend_four)
    assert outcomes.count("spent") == 100 and outcomes.count("refused") == 100
    assert ledger.balance(session, user=customer) == 0
    spends = session.exec(select(sa.func.count()).select_from(LedgerTransaction)
                          .where(LedgerTransaction.kind == TransactionKind.SPEND)).one()
    assert spends == 100
    assert ledger.verify(session).ok


@dataclass
class Tally:
    """What the threads saw: every transaction handed back, and what each contended key returned."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    returned: dict[int, tuple[TransactionKind, int]] = field(default_factory=dict)  # id: kind, amount
    replays: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    spends: list[int] = field(default_factory=list)
    holds: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def count(self, outcome: str) -> None:
        with self.lock:
            self.counts[outcome] += 1

    def saw(self, transaction: LedgerTransaction, outcome: str, *, replay_key: str | None = None) -> None:
        with self.lock:
            self.returned[transaction.id] = (transaction.kind, transaction.amount)
            self.counts[outcome] += 1
            if replay_key is not None:
                self.replays[replay_key].add(transaction.id)
            if transaction.kind is TransactionKind.SPEND:
                self.spends.append(transaction.id)
            if transaction.kind is TransactionKind.HOLD:
                self.holds.append(transaction.id)


def test_hammer_50_threads_of_100_random_operations_keeps_the_books_exact(
    session: Session, sessions: Callable[[], Session]
) -> None:
    admin = make_user(session, role=Role.ADMIN)
    resellers = [make_user(session, role=Role.RESELLER, parent=admin) for _ in range(3)]
    customers = {r.id: [make_user(session, parent=r) for _ in range(4)] for r in resellers}
    everyone = [*resellers, *(c for group in customers.values() for c in group)]
    minted = 0
    for account in everyone:
        amount = 2_000 if account.role is Role.RESELLER else 50
        ledger.grant(session, actor=admin, to=account, amount=amount, key=f"seed-{account.id}")
        minted += amount
    # A few operations every thread tries at random moments, with the same key: they must happen once.
    contended = [(f"contended-{n}", random.Random(n).choice(everyone).id, n % 5 + 1) for n in range(20)]
    tally = Tally()

    def hammer(number: int) -> None:
        rng = random.Random(number)
        with sessions() as own:
            me_admin = own.get(User, admin.id)
            users = {account.id: own.get(User, account.id) for account in everyone}
            for step in range(OPERATIONS):
                key = f"t{number}-{step}"
                operation = rng.choice(["spend", "spend", "transfer", "transfer", "grant", "refund", "replay",
                                        "replay", "hold", "settle"])
                try:
                    if operation == "spend":
                        payer = users[rng.choice(everyone).id]
                        made = ledger.spend(own, actor=payer, amount=rng.randint(1, 20), key=key,
                                            reference=f"media:{step}")
                    elif operation == "transfer":
                        reseller = users[rng.choice(resellers).id]
                        to = users[rng.choice(customers[reseller.id]).id]
                        made = ledger.transfer(own, actor=reseller, to=to, amount=rng.randint(1, 60), key=key)
                    elif operation == "grant":
                        made = ledger.grant(own, actor=me_admin, to=users[rng.choice(everyone).id],
                                            amount=rng.randint(1, 30), key=key)
                    elif operation == "refund":
                        with tally.lock:
                            spent = rng.choice(tally.spends) if tally.spends else None
                        if spent is None:
                            continue
                        made = ledger.refund(own, actor=me_admin, transaction_id=spent)  # key: refund:<id>
                    elif operation == "hold":
                        made = ledger.hold(own, actor=users[rng.choice(everyone).id], amount=rng.randint(1, 15),
                                           key=key)
                    elif operation == "settle":
                        with tally.lock:
                            held = rng.choice(tally.holds) if tally.holds else None
                        if held is None:
                            continue
                        if rng.random() < 0.5:
                            made = ledger.capture(own, hold_id=held)
                        else:
                            made = ledger.release(own, hold_id=held)
                    else:
                        replay_key, payer_id, amount = rng.choice(contended)
                        made = ledger.spend(own, actor=users[payer_id], amount=amount, key=replay_key)
                        tally.saw(made, operation, replay_key=replay_key)
                        continue
                except InsufficientCredits:
                    tally.count("insufficient")
                    continue
                except Conflict:  # capture after release (or the other way round): refused, moves nothing
                    tally.count("already settled")
                    continue
                tally.saw(made, operation)

    run_threads(THREADS, hammer)

    report = ledger.verify(session)
    assert report.ok, report.problems
    lowest = session.exec(select(sa.func.min(LedgerAccount.balance))).one()
    assert lowest >= 0
    assert report.user_total + sum(report.system_totals.values()) == 0
    # Independently of verify(): what was minted is what the grants handed back say was minted.
    all_grants = minted + sum(amount for kind, amount in tally.returned.values() if kind is TransactionKind.GRANT)
    assert ledger.system_balance(session, name=SystemAccount.ISSUANCE) == -all_grants
    # Every transaction in the database was handed back to some caller, and none twice under two ids.
    stored = session.exec(select(LedgerTransaction.id).where(~LedgerTransaction.idempotency_key.like("seed-%"))).all()
    assert set(stored) == set(tally.returned)
    for replay_key, ids in tally.replays.items():
        assert len(ids) == 1, f"{replay_key} produced transactions {ids}"
        assert session.exec(select(sa.func.count()).select_from(LedgerTransaction)
                            .where(LedgerTransaction.idempotency_key == replay_key)).one() == 1
    assert tally.counts["replay"] > len(tally.replays)  # keys really were replayed, concurrently
    print(f"hammer: {THREADS}x{OPERATIONS} operations, {dict(tally.counts)}, {report.transactions} transactions, "
          f"users hold {report.user_total}, {report.system_totals}")


def test_the_same_key_sent_by_20_sessions_at_once_moves_credits_once(
    session: Session, sessions: Callable[[], Session]
) -> None:
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session, parent=admin)
    ledger.grant(session, actor=admin, to=customer, amount=100, key="g1")
    returned: list[int] = []

    def pay(_number: int) -> None:
        with sessions() as own:
            returned.append(ledger.spend(own, actor=own.get(User, customer.id), amount=30, key="checkout-7").id)

    run_threads(20, pay)
    assert len(returned) == 20 and len(set(returned)) == 1  # every loser got the winner's transaction
    assert ledger.balance(session, user=customer) == 70
    assert ledger.verify(session).ok


def test_a_serialization_failure_is_retried_when_the_ledger_owns_the_transaction(
    session: Session, database_url: str
) -> None:
    """Under REPEATABLE READ, debiting a row changed since the snapshot fails with SQLSTATE 40001."""
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session, parent=admin)
    ledger.grant(session, actor=admin, to=customer, amount=100, key="g1")
    strict = sa.create_engine(db.driver_url(database_url), isolation_level="REPEATABLE READ")
    try:
        for commit in (False, True):
            with Session(strict, expire_on_commit=False) as own:
                payer = own.get(User, customer.id)  # the snapshot is taken here
                ledger.spend(session, actor=customer, amount=1, key=f"meanwhile-{commit}")  # another request
                if not commit:  # the caller owns the transaction: the error is theirs to handle
                    with pytest.raises(sa.exc.OperationalError, match="could not serialize"):
                        ledger.spend(own, actor=payer, amount=5, key="inside", commit=False)
                    continue
                made = ledger.spend(own, actor=payer, amount=5, key="owned")
                assert made.amount == 5
    finally:
        strict.dispose()
    assert ledger.balance(session, user=customer) == 100 - 1 - 1 - 5
    assert ledger.verify(session).ok
