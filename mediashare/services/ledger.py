"""The credit ledger: exact, append-only, double-entry movements of integer credits.

Every public function that moves credits takes an idempotency `key` and returns the
`LedgerTransaction` it made, or, when the key was used before, the original transaction (nothing
moves twice). They run in one of two ways:

- `commit=True` (the default): the function owns the transaction. It commits, and retries a bounded
  number of times when PostgreSQL reports a serialization failure or a deadlock (the key makes a
  retry harmless).
- `commit=False`: it only adds to the caller's transaction, so an action and the credits paying for
  it commit or roll back together (the caller retries, if it wants to, as a whole). When it raises,
  it has written nothing: every check, including the conditional debit, comes before the first
  insert, and a lost idempotency race is undone in place.

No balance goes below zero: a debit is `UPDATE … SET balance = balance - n WHERE balance >= n`
(the row lock it takes serializes concurrent debits of one account), and a transfer first locks
both accounts in a fixed order (lowest id first) so two opposite transfers cannot deadlock. A CHECK
constraint backs this up. System accounts (models/ledger.py) carry no balance row to update, so
there is no platform-wide hot row.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from mediashare.errors import Conflict, InsufficientCredits, NotFound, PermissionDenied, ValidationFailed
from mediashare.models import (
    AuditAction,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Role,
    SystemAccount,
    TransactionKind,
    User,
    utc_now,
)
from mediashare.services import access, audit

T = TypeVar("T")

MAX_ATTEMPTS = 5  # a serialization failure or deadlock is retried this many times in all
MAX_AMOUNT = 10**12  # no single movement is larger; a typo, not a business
_RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected
_MINTED = {TransactionKind.GRANT, TransactionKind.BONUS, TransactionKind.PLAN}

_accounts = LedgerAccount.__table__  # type: ignore[attr-defined]
_entries = LedgerEntry.__table__  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Reading


def balance(session: Session, *, user: User) -> int:
    """`user`'s spendable credits (0 before their first movement)."""
    value = session.execute(sa.select(_accounts.c.balance).where(_accounts.c.user_id == user.id)).scalar()
    return int(value or 0)


def system_balance(session: Session, *, name: SystemAccount) -> int:
    """A system account's balance: the sum of its entries (issuance is negative: minus all minted)."""
    return int(
        session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(_entries.c.amount), 0))
            .select_from(_entries.join(_accounts, _accounts.c.id == _entries.c.account_id))
            .where(_accounts.c.system_name == name.value)
        ).scalar_one()
    )


@dataclass(frozen=True)
class HistoryItem:
    """One line of an account's statement."""

    entry_id: int
    transaction_id: int
    kind: TransactionKind
    amount: int  # signed: > 0 came in, < 0 went out
    reference: str
    created_at: datetime


@dataclass(frozen=True)
class HistoryPage:
    items: list[HistoryItem]
    next_before: int | None  # pass as `before` for the next (older) page; None: this is the last


def history(
    session: Session, *, actor: User, user: User, before: int | None = None, limit: int = 50
) -> HistoryPage:
    """`user`'s movements, newest first, `limit` at a time (keyset pages on the entry id)."""
    access.require_can_manage(session, actor=actor, target=user)
    limit = max(1, min(int(limit), 500))
    query = (
        sa.select(_entries.c.id, _entries.c.transaction_id, _entries.c.amount, LedgerTransaction.kind,
                  LedgerTransaction.reference, LedgerTransaction.created_at)
        .join(LedgerTransaction, LedgerTransaction.id == _entries.c.transaction_id)
        .join(_accounts, _accounts.c.id == _entries.c.account_id)
        .where(_accounts.c.user_id == user.id)
        .order_by(_entries.c.id.desc())
        .limit(limit + 1)
    )
    if before is not None:
        query = query.where(_entries.c.id < int(before))
    rows = session.execute(query).all()
    items = [
        HistoryItem(entry_id=row[0], transaction_id=row[1], amount=int(row[2]), kind=TransactionKind(row[3]),
                    reference=row[4], created_at=row[5])
        for row in rows[:limit]
    ]
    return HistoryPage(items=items, next_before=items[-1].entry_id if len(rows) > limit else None)


# ---------------------------------------------------------------------------------------------
# Moving credits


def grant(
    session: Session,
    *,
    actor: User | None,
    to: User,
    amount: int,
    key: str | None = None,
    reference: str = "",
    kind: TransactionKind = TransactionKind.GRANT,
    commit: bool = True,
) -> LedgerTransaction:
    """Mint `amount` new credits from the issuance account to `to`. Admins and superusers only;
    `actor=None` is the platform itself (plan allotments, referral bonuses, the command line)."""
    if kind not in _MINTED:
        raise ValueError(f"grant() makes grant, bonus or plan transactions, not {kind}")
    amount, key, reference = _checked(amount, key, reference, kind)
    if actor is not None:
        access.require_role(actor, Role.ADMIN)

    def work() -> LedgerTransaction:
        issuance = _system_account_id(session, SystemAccount.ISSUANCE)
        receiver = _user_account_id(session, to)
        made = _record(session, kind=kind, amount=amount, key=key, reference=reference, actor=actor,
                       entries=[(issuance, -amount), (receiver, amount)], credits=[(receiver, amount)])
        if made.fresh:
            audit.record(session, action=AuditAction.CREDITS_GRANTED, actor=actor, target=to,
                         details={"amount": amount, "kind": kind.value, "transaction": made.transaction.id,
                                  "reference": reference})
        return made.transaction

    return _run(session, commit, work)


def transfer(
    session: Session,
    *,
    actor: User,
    to: User,
    amount: int,
    key: str | None = None,
    reference: str = "",
    commit: bool = True,
) -> LedgerTransaction:
    """Move `amount` of `actor`'s own credits to `to`, who must be below `actor` in the hierarchy.
    Resellers (and admins, superusers) only; users cannot transfer."""
    amount, key, reference = _checked(amount, key, reference, TransactionKind.TRANSFER)
    if actor.role is Role.USER:
        raise PermissionDenied("Only resellers and administrators can transfer credits.")
    if not actor.is_active:
        raise PermissionDenied("This account is deactivated.")
    if not access.is_descendant(session, user=to, of=actor):
        raise PermissionDenied("You can only transfer credits to accounts in your own team.")

    def work() -> LedgerTransaction:
        sender = _user_account_id(session, actor)
        receiver = _user_account_id(session, to)
        if (found := _existing(session, key)) is not None:
            return _replayed(found, TransactionKind.TRANSFER, amount)
        # Lock both rows lowest id first: two opposite transfers wait for each other, never deadlock.
        session.execute(
            sa.select(_accounts.c.id).where(_accounts.c.id.in_([sender, receiver]))
            .order_by(_accounts.c.id).with_for_update()
        ).all()
        try:
            _debit(session, sender, amount, key=key, kind=TransactionKind.TRANSFER)
        except _AlreadyDone as done:
            return done.transaction
        made = _record(session, kind=TransactionKind.TRANSFER, amount=amount, key=key, reference=reference,
                       actor=actor, entries=[(sender, -amount), (receiver, amount)], credits=[(receiver, amount)],
                       undo=[(sender, amount)])
        if made.fresh:
            audit.record(session, action=AuditAction.CREDITS_TRANSFERRED, actor=actor, target=to,
                         details={"amount": amount, "transaction": made.transaction.id, "reference": reference})
        return made.transaction

    return _run(session, commit, work)


def spend(
    session: Session,
    *,
    actor: User,
    amount: int,
    key: str | None = None,
    reference: str = "",
    commit: bool = True,
) -> LedgerTransaction:
    """Pay `amount` of `actor`'s credits for an action (`reference` names it). Raises
    InsufficientCredits, having moved nothing, when the balance is lower."""
    return _debit_to_system(session, actor=actor, amount=amount, key=key, reference=reference, commit=commit,
                            kind=TransactionKind.SPEND, system=SystemAccount.CONSUMPTION)


def hold(
    session: Session,
    *,
    actor: User,
    amount: int,
    key: str | None = None,
    reference: str = "",
    commit: bool = True,
) -> LedgerTransaction:
    """Reserve `amount` of `actor`'s credits before a long job; `capture` them when it succeeds,
    `release` them when it fails. Raises InsufficientCredits, having moved nothing."""
    return _debit_to_system(session, actor=actor, amount=amount, key=key, reference=reference, commit=commit,
                            kind=TransactionKind.HOLD, system=SystemAccount.HELD)


def capture(
    session: Session, *, hold_id: int, amount: int | None = None, key: str | None = None, commit: bool = True
) -> LedgerTransaction:
    """The job succeeded: `amount` (default: all) of the hold is consumed, the rest goes back.
    A hold is settled once: capturing a released hold raises Conflict."""
    held, owner = _hold(session, hold_id)
    amount = held.amount if amount is None else amount
    if not 1 <= amount <= held.amount:
        raise ValidationFailed(f"A capture takes between 1 and {held.amount} credits from this hold.",
                               field="amount")
    amount, key, reference = _checked(amount, key or f"capture:{hold_id}", held.reference, TransactionKind.CAPTURE)

    def work() -> LedgerTransaction:
        held_account = _system_account_id(session, SystemAccount.HELD)
        consumption = _system_account_id(session, SystemAccount.CONSUMPTION)
        entries = [(held_account, -held.amount), (consumption, amount)]
        rest = held.amount - amount
        if rest:
            entries.append((owner, rest))
        return _record(session, kind=TransactionKind.CAPTURE, amount=amount, key=key, reference=reference,
                       actor=None, settles=hold_id, entries=entries, credits=[(owner, rest)] if rest else []
                       ).transaction

    return _run(session, commit, work)


def release(session: Session, *, hold_id: int, key: str | None = None, commit: bool = True) -> LedgerTransaction:
    """The job failed or was cancelled: the whole hold goes back to its owner (a failed action never
    costs credits). Raises Conflict when the hold was already captured."""
    held, owner = _hold(session, hold_id)
    amount, key, reference = _checked(held.amount, key or f"release:{hold_id}", held.reference,
                                      TransactionKind.RELEASE)

    def work() -> LedgerTransaction:
        held_account = _system_account_id(session, SystemAccount.HELD)
        return _record(session, kind=TransactionKind.RELEASE, amount=amount, key=key, reference=reference,
                       actor=None, settles=hold_id, entries=[(held_account, -amount), (owner, amount)],
                       credits=[(owner, amount)]).transaction

    return _run(session, commit, work)


def refund(
    session: Session,
    *,
    actor: User | None,
    transaction_id: int,
    key: str | None = None,
    reference: str = "",
    commit: bool = True,
) -> LedgerTransaction:
    """Give back, in full and once, what a spend or a capture took. Admins and superusers, or the
    platform itself (`actor=None`, e.g. a job whose paid action failed after the fact)."""
    if actor is not None:
        access.require_role(actor, Role.ADMIN)
    original = session.get(LedgerTransaction, transaction_id)
    if original is None or original.kind not in (TransactionKind.SPEND, TransactionKind.CAPTURE):
        raise NotFound("There is no such spend to refund.")
    payer_transaction = original.settles_id if original.kind is TransactionKind.CAPTURE else original.id
    owner = _debited_account(session, payer_transaction)
    amount, key, reference = _checked(original.amount, key or f"refund:{original.id}",
                                      reference or original.reference, TransactionKind.REFUND)

    def work() -> LedgerTransaction:
        consumption = _system_account_id(session, SystemAccount.CONSUMPTION)
        made = _record(session, kind=TransactionKind.REFUND, amount=amount, key=key, reference=reference,
                       actor=actor, settles=original.id, entries=[(consumption, -amount), (owner, amount)],
                       credits=[(owner, amount)])
        if made.fresh:
            target = session.get(User, _account_user_id(session, owner))
            audit.record(session, action=AuditAction.CREDITS_REFUNDED, actor=actor, target=target,
                         details={"amount": amount, "transaction": made.transaction.id, "refunds": original.id})
        return made.transaction

    return _run(session, commit, work)


# ---------------------------------------------------------------------------------------------
# Verifying


@dataclass
class LedgerReport:
    """What `verify` found; `problems` is empty when every figure agrees."""

    accounts: int = 0
    transactions: int = 0
    entries: int = 0
    user_total: int = 0  # credits in users' hands
    system_totals: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session, *, limit: int = 50) -> LedgerReport:
    """Recompute every balance from the entries and check the books: each user balance equals the
    sum of its entries and is not negative, each transaction's entries sum to zero (at least two),
    the whole system sums to zero (credits are conserved), and the held account holds exactly the
    open holds. Lists at most `limit` problems of each kind."""
    report = LedgerReport()
    sums = (
        sa.select(_entries.c.account_id, sa.func.sum(_entries.c.amount).label("total"))
        .group_by(_entries.c.account_id).subquery()
    )
    rows = session.execute(
        sa.select(_accounts.c.id, _accounts.c.user_id, _accounts.c.system_name, _accounts.c.balance,
                  sa.func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.account_id == _accounts.c.id).order_by(_accounts.c.id)
    ).all()
    report.accounts = len(rows)
    mismatched = []
    for account_id, user_id, system_name, stored, computed in rows:
        stored, computed = int(stored), int(computed)
        if system_name is not None:
            report.system_totals[system_name] = computed
            continue
        report.user_total += stored
        owner = f"account {account_id} (user {user_id})" if user_id is not None else f"account {account_id}"
        if stored != computed:
            mismatched.append(f"{owner}: balance {stored} but its entries sum to {computed}")
        if stored < 0:
            mismatched.append(f"{owner}: negative balance {stored}")
    report.problems += mismatched[:limit]

    report.transactions = int(session.execute(sa.select(sa.func.count()).select_from(LedgerTransaction)).scalar_one())
    report.entries = int(session.execute(sa.select(sa.func.count()).select_from(_entries)).scalar_one())
    per_transaction = (
        sa.select(_entries.c.transaction_id, sa.func.sum(_entries.c.amount).label("total"),
                  sa.func.count().label("lines"))
        .group_by(_entries.c.transaction_id).subquery()
    )
    unbalanced = session.execute(
        sa.select(LedgerTransaction.id, sa.func.coalesce(per_transaction.c.total, 0),
                  sa.func.coalesce(per_transaction.c.lines, 0))
        .outerjoin(per_transaction, per_transaction.c.transaction_id == LedgerTransaction.id)
        .where(sa.or_(per_transaction.c.total.is_(None), per_transaction.c.total != 0, per_transaction.c.lines < 2))
        .order_by(LedgerTransaction.id).limit(limit)
    ).all()
    report.problems += [f"transaction {tid}: {lines} entries summing to {total}, not zero"
                        for tid, total, lines in unbalanced]

    grand_total = report.user_total + sum(report.system_totals.values())
    if grand_total != 0:
        report.problems.append(f"credits are not conserved: all balances sum to {grand_total}, not zero")
    settled = sa.select(LedgerTransaction.settles_id).where(LedgerTransaction.settles_id.is_not(None))
    open_holds = int(session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(LedgerTransaction.amount), 0))
        .where(LedgerTransaction.kind == TransactionKind.HOLD, LedgerTransaction.id.not_in(settled))
    ).scalar_one())
    held = report.system_totals.get(SystemAccount.HELD.value, 0)
    if held != open_holds:
        report.problems.append(f"the held account has {held} credits but open holds add up to {open_holds}")
    return report


# ---------------------------------------------------------------------------------------------
# Private helpers: they never commit.


@dataclass(frozen=True)
class _Made:
    transaction: LedgerTransaction
    fresh: bool  # False: the key was used before and this is the original transaction


def _checked(amount: int, key: str | None, reference: str, kind: TransactionKind) -> tuple[int, str, str]:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationFailed("An amount of credits is a whole number.", field="amount")
    if not 1 <= amount <= MAX_AMOUNT:
        raise ValidationFailed(f"An amount of credits is between 1 and {MAX_AMOUNT:,}.", field="amount")
    key = key if key is not None else f"{kind.value}:{uuid.uuid4().hex}"
    if not 1 <= len(key) <= 128:
        raise ValidationFailed("An idempotency key is 1 to 128 characters long.", field="key")
    if len(reference) > 128:
        raise ValidationFailed("A reference is at most 128 characters long.", field="reference")
    return amount, key, reference


def _run(session: Session, commit: bool, work: Callable[[], T]) -> T:
    """Run `work` in the caller's transaction, or in our own with bounded retries."""
    if not commit:
        result = work()
        session.flush()
        return result
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            result = work()
            session.commit()
            return result
        except DBAPIError as error:
            session.rollback()
            if attempt == MAX_ATTEMPTS or getattr(error.orig, "pgcode", None) not in _RETRYABLE_SQLSTATES:
                raise
            time.sleep(random.uniform(0, 0.005 * 2**attempt))  # jitter, so the two sides do not meet again
        except BaseException:
            session.rollback()
            raise
    raise AssertionError("unreachable")


def _insert(session: Session) -> Callable[[Any], Any]:
    """The dialect's INSERT (both know ON CONFLICT DO NOTHING)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _system_account_id(session: Session, name: SystemAccount) -> int:
    return _account_id(session, _accounts.c.system_name == name.value, {"system_name": name.value})


def _user_account_id(session: Session, user: User) -> int:
    if user.id is None:
        raise ValueError("the user is not saved yet")
    return _account_id(session, _accounts.c.user_id == user.id, {"user_id": user.id})


def _account_id(session: Session, where: sa.ColumnElement[bool], values: dict[str, Any]) -> int:
    """The account matching `where`, created on first use (a concurrent creator wins, we read its row)."""
    found = session.execute(sa.select(_accounts.c.id).where(where)).scalar()
    if found is None:
        session.execute(_insert(session)(_accounts).values(balance=0, created_at=utc_now(), **values)
                        .on_conflict_do_nothing())
        found = session.execute(sa.select(_accounts.c.id).where(where)).scalar_one()
    return int(found)


def _account_user_id(session: Session, account_id: int) -> int | None:
    return session.execute(sa.select(_accounts.c.user_id).where(_accounts.c.id == account_id)).scalar()


def _existing(session: Session, key: str) -> LedgerTransaction | None:
    return session.exec(select(LedgerTransaction).where(LedgerTransaction.idempotency_key == key)).first()


def _replayed(found: LedgerTransaction, kind: TransactionKind, amount: int) -> LedgerTransaction:
    """The original transaction for a replayed key, if the replay asks for the same thing."""
    if found.kind != kind or found.amount != amount:
        raise Conflict("This request key was already used for a different credit operation.")
    return found


def _debit(session: Session, account_id: int, amount: int, *, key: str, kind: TransactionKind) -> None:
    """Take `amount` from a user account, or raise InsufficientCredits having changed nothing."""
    result = session.execute(
        sa.update(_accounts).where(_accounts.c.id == account_id, _accounts.c.balance >= amount)
        .values(balance=_accounts.c.balance - amount)
    )
    if result.rowcount == 1:
        return
    if (found := _existing(session, key)) is not None:  # a concurrent twin won, and took the credits
        raise _AlreadyDone(_replayed(found, kind, amount))
    have = session.execute(sa.select(_accounts.c.balance).where(_accounts.c.id == account_id)).scalar_one()
    raise InsufficientCredits(balance=int(have), needed=amount)


class _AlreadyDone(Exception):  # control flow inside this module; never escapes it
    def __init__(self, transaction: LedgerTransaction) -> None:
        self.transaction = transaction


def _debit_to_system(
    session: Session, *, actor: User, amount: int, key: str | None, reference: str, commit: bool,
    kind: TransactionKind, system: SystemAccount,
) -> LedgerTransaction:
    amount, key, reference = _checked(amount, key, reference, kind)

    def work() -> LedgerTransaction:
        payer = _user_account_id(session, actor)
        if (found := _existing(session, key)) is not None:
            return _replayed(found, kind, amount)
        target = _system_account_id(session, system)
        try:
            _debit(session, payer, amount, key=key, kind=kind)
        except _AlreadyDone as done:
            return done.transaction
        return _record(session, kind=kind, amount=amount, key=key, reference=reference, actor=actor,
                       entries=[(payer, -amount), (target, amount)], credits=[], undo=[(payer, amount)]).transaction

    return _run(session, commit, work)


def _hold(session: Session, hold_id: int) -> tuple[LedgerTransaction, int]:
    """The hold transaction and the account it was taken from."""
    held = session.get(LedgerTransaction, hold_id)
    if held is None or held.kind is not TransactionKind.HOLD:
        raise NotFound("There is no such hold.")
    return held, _debited_account(session, held.id)


def _debited_account(session: Session, transaction_id: int | None) -> int:
    """The account a spend or hold took its credits from."""
    return int(session.execute(
        sa.select(_entries.c.account_id).where(_entries.c.transaction_id == transaction_id, _entries.c.amount < 0)
    ).scalar_one())


def _record(
    session: Session,
    *,
    kind: TransactionKind,
    amount: int,
    key: str,
    reference: str,
    actor: User | None,
    entries: list[tuple[int, int]],
    credits: list[tuple[int, int]],
    undo: list[tuple[int, int]] | None = None,
    settles: int | None = None,
) -> _Made:
    """Insert the transaction and its entries and credit the receiving user accounts; debits are
    already done. When the key (or the settled transaction) is taken, put `undo` back and return the
    original (or raise Conflict): nothing is left half-done."""
    assert sum(amount for _, amount in entries) == 0, "a transaction's entries sum to zero"
    inserted = session.scalars(
        _insert(session)(LedgerTransaction)
        .values(kind=kind, amount=amount, idempotency_key=key, reference=reference, settles_id=settles,
                actor_id=actor.id if actor is not None else None, created_at=utc_now())
        .on_conflict_do_nothing()
        .returning(LedgerTransaction)
    ).first()
    if inserted is None:
        for account_id, credit in undo or []:
            _credit(session, account_id, credit)
        found = _existing(session, key)
        if found is not None:
            return _Made(_replayed(found, kind, amount), fresh=False)
        other = session.exec(select(LedgerTransaction).where(LedgerTransaction.settles_id == settles)).one()
        raise Conflict(_settled_message(other))
    session.execute(sa.insert(_entries), [
        {"transaction_id": inserted.id, "account_id": account_id, "amount": value} for account_id, value in entries
    ])
    for account_id, credit in credits:
        _credit(session, account_id, credit)
    return _Made(inserted, fresh=True)


def _credit(session: Session, account_id: int, amount: int) -> None:
    session.execute(sa.update(_accounts).where(_accounts.c.id == account_id)
                    .values(balance=_accounts.c.balance + amount))


def _settled_message(other: LedgerTransaction) -> str:
    return {
        TransactionKind.CAPTURE: "This hold was already captured.",
        TransactionKind.RELEASE: "This hold was already released.",
        TransactionKind.REFUND: "This was already refunded.",
    }.get(other.kind, "This was already settled.")
