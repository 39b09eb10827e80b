"""The credit ledger: exact, append-only, double-entry movements of integer credits.

Every public function that moves credits takes an idempotency `key` and returns the
`LedgerTransaction` it made, or, when the key was used before, the original transaction (nothing
moves twice). They run in one of two ways:

- `commit=True` (the default): the function owns the transaction. It commits, and retries a bounded
  number of times when PostgreSQL reports a serialization failure or a deadlock (the key makes a
  retry harmless). It refuses a session holding unsaved changes, which a retry would lose.
- `commit=False`: it only adds to the caller's transaction, so an action and the credits paying for
  it commit or roll back together (the caller retries, if it wants to, as a whole). When it raises,
  it has written nothing: every check, including the conditional debit, comes before the first
  insert, and a lost idempotency race is undone in place.

No balance goes below zero: a debit is `UPDATE … SET balance = balance - n WHERE balance >= n`
(the row lock it takes serializes concurrent debits of one account), and a transfer first locks
both accounts in a fixed order (lowest id first) so two opposite transfers cannot deadlock. A CHECK
constraint backs this up. System accounts (models/ledger.py) carry no balance row to update, so
there is no platform-wide hot row. On PostgreSQL a spend or hold is one statement (debit,
transaction, entries), and every other movement writes its transaction, entries and balances in one.

A new transaction is returned as a detached record (it is not added to the session); a replayed key
returns the stored original.
"""

from __future__ import annotations

import functools
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

from mediashare import routes
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
from mediashare.services import access, audit, notifications, platform

T = TypeVar("T")

MAX_ATTEMPTS = 5  # a serialization failure or deadlock is retried this many times in all
LOW_BALANCE_SETTING = "low_balance_threshold"  # services/platform.py: below it, the owner is notified
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
    return int(session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(_entries.c.amount), 0)).where(_entries.c.account_id == name.account_id)
    ).scalar_one())


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
        receiver = _credit_user(session, _user_id(to), amount)
        made = _record(session, kind=kind, amount=amount, key=key, reference=reference, actor=actor,
                       entries=[(SystemAccount.ISSUANCE.account_id, -amount), (receiver, amount)])
        if made is None:
            _add(session, receiver, -amount)  # put it back: the key was used before
            return _original(session, key, kind, amount)
        audit.record(session, action=AuditAction.CREDITS_GRANTED, actor=actor, target=to,
                     details={"amount": amount, "kind": kind.value, "transaction": made.id, "reference": reference})
        return made

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
    if not (to.parent_id == actor.id or access.is_descendant(session, user=to, of=actor)):
        raise PermissionDenied("You can only transfer credits to accounts in your own team.")
    sender_user, receiver_user = _user_id(actor), _user_id(to)

    def work() -> LedgerTransaction:
        # Lock both rows, lowest id first: two opposite transfers wait for each other, never deadlock.
        locked = _lock_accounts(session, [sender_user, receiver_user])
        if receiver_user not in locked and sender_user in locked:
            _create_account(session, receiver_user)
            locked = _lock_accounts(session, [sender_user, receiver_user])
        sender_id, have = locked.get(sender_user, (None, 0))
        if sender_id is None or have < amount:
            if (found := _existing(session, key)) is not None:  # done before; the credits have moved on
                return _replayed(found, TransactionKind.TRANSFER, amount)
            raise InsufficientCredits(balance=have, needed=amount)
        receiver_id = locked[receiver_user][0]
        moves = [(sender_id, -amount), (receiver_id, amount)]  # the sender's row is locked and holds enough
        made = _record(session, kind=TransactionKind.TRANSFER, amount=amount, key=key, reference=reference,
                       actor=actor, entries=moves, balances=moves)
        if made is None:
            return _original(session, key, TransactionKind.TRANSFER, amount)
        _warn_if_low(session, user=actor, left=have - amount, spent=amount)
        audit.record(session, action=AuditAction.CREDITS_TRANSFERRED, actor=actor, target=to,
                     details={"amount": amount, "transaction": made.id, "reference": reference})
        return made

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
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= held.amount:
        raise ValidationFailed(f"A capture takes between 1 and {held.amount} credits from this hold.",
                               field="amount")
    amount, key, reference = _checked(amount, key or f"capture:{hold_id}", held.reference, TransactionKind.CAPTURE)
    rest = held.amount - amount
    entries = [(SystemAccount.HELD.account_id, -held.amount), (SystemAccount.CONSUMPTION.account_id, amount)]
    return _settle(session, kind=TransactionKind.CAPTURE, amount=amount, key=key, reference=reference, actor=None,
                   settles=hold_id, entries=entries + ([(owner, rest)] if rest else []), owner=owner, back=rest,
                   commit=commit)


def release(session: Session, *, hold_id: int, key: str | None = None, commit: bool = True) -> LedgerTransaction:
    """The job failed or was cancelled: the whole hold goes back to its owner (a failed action never
    costs credits). Raises Conflict when the hold was already captured."""
    held, owner = _hold(session, hold_id)
    amount, key, reference = _checked(held.amount, key or f"release:{hold_id}", held.reference,
                                      TransactionKind.RELEASE)
    return _settle(session, kind=TransactionKind.RELEASE, amount=amount, key=key, reference=reference, actor=None,
                   settles=hold_id, entries=[(SystemAccount.HELD.account_id, -amount), (owner, amount)], owner=owner,
                   back=amount, commit=commit)


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
    return _settle(session, kind=TransactionKind.REFUND, amount=amount, key=key, reference=reference, actor=actor,
                   settles=original.id, entries=[(SystemAccount.CONSUMPTION.account_id, -amount), (owner, amount)],
                   owner=owner, back=amount, commit=commit)


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
    if session.new or session.dirty or session.deleted:  # a retry or a refusal would roll them back
        raise ValueError("the session holds unsaved changes: commit them first, or pass commit=False to "
                         "move credits inside that transaction")
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


def _warn_if_low(session: Session, *, user: User, left: int, spent: int) -> None:
    """Notify `user` when this debit took their balance from at or above the platform's
    low-balance threshold to below it: once per crossing (each debit sees its own before and after
    under the account's row lock, so of concurrent debits exactly one crosses)."""
    threshold = int(platform.get(session, LOW_BALANCE_SETTING))
    if not left < threshold <= left + spent:
        return
    unit = "credit" if left == 1 else "credits"
    notifications.create(
        session, user=user, kind="low_credits", title=f"Your balance is low: {left:,} {unit} left",
        body=f"It went below {threshold:,} credits. Top up to keep using paid features.", link=routes.TOP_UP,
    )


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _user_id(user: User) -> int:
    if user.id is None:
        raise ValueError("the user is not saved yet")
    return user.id


def _create_account(session: Session, user_id: int) -> None:
    """Open `user_id`'s account if it has none (a concurrent opener wins quietly)."""
    insert = postgresql.insert if _is_postgresql(session) else sqlite.insert
    session.execute(insert(_accounts).values(user_id=user_id, balance=0, created_at=utc_now())
                    .on_conflict_do_nothing())


def _take(session: Session, user_id: int, amount: int) -> int | None:
    """The conditional debit: take `amount` from the user's account if it holds that much; its id, or
    None (nothing changed). The row lock it takes queues concurrent debits of the same account."""
    return session.execute(
        sa.update(_accounts).where(_accounts.c.user_id == user_id, _accounts.c.balance >= amount)
        .values(balance=_accounts.c.balance - amount).returning(_accounts.c.id)
    ).scalar()


def _credit_user(session: Session, user_id: int, amount: int) -> int:
    """Add `amount` to the user's account (opened on first use); its id."""
    statement = (sa.update(_accounts).where(_accounts.c.user_id == user_id)
                 .values(balance=_accounts.c.balance + amount).returning(_accounts.c.id))
    found = session.execute(statement).scalar()
    if found is None:
        _create_account(session, user_id)
        found = session.execute(statement).scalar_one()
    return int(found)


def _add(session: Session, account_id: int, delta: int) -> None:
    session.execute(sa.update(_accounts).where(_accounts.c.id == account_id)
                    .values(balance=_accounts.c.balance + delta))


def _lock_accounts(session: Session, user_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Lock the users' accounts in id order; {user id: (account id, balance)} for those that exist."""
    rows = session.execute(
        sa.select(_accounts.c.user_id, _accounts.c.id, _accounts.c.balance)
        .where(_accounts.c.user_id.in_(user_ids)).order_by(_accounts.c.id).with_for_update()
    ).all()
    return {user_id: (account_id, int(balance)) for user_id, account_id, balance in rows}


def _existing(session: Session, key: str) -> LedgerTransaction | None:
    return session.exec(select(LedgerTransaction).where(LedgerTransaction.idempotency_key == key)).first()


def _replayed(found: LedgerTransaction, kind: TransactionKind, amount: int) -> LedgerTransaction:
    """The original transaction for a replayed key, if the replay asks for the same thing."""
    if found.kind != kind or found.amount != amount:
        raise Conflict("This request key was already used for a different credit operation.")
    return found


def _original(session: Session, key: str, kind: TransactionKind, amount: int,
              settles: int | None = None) -> LedgerTransaction:
    """After `_record` found its key (or the settled transaction) taken: the original, or Conflict."""
    if (found := _existing(session, key)) is not None:
        return _replayed(found, kind, amount)
    other = session.exec(select(LedgerTransaction).where(LedgerTransaction.settles_id == settles)).one()
    raise Conflict({
        TransactionKind.CAPTURE: "This hold was already captured.",
        TransactionKind.RELEASE: "This hold was already released.",
        TransactionKind.REFUND: "This was already refunded.",
    }.get(other.kind, "This was already settled."))


def _debit_to_system(
    session: Session, *, actor: User, amount: int, key: str | None, reference: str, commit: bool,
    kind: TransactionKind, system: SystemAccount,
) -> LedgerTransaction:
    amount, key, reference = _checked(amount, key, reference, kind)
    payer_user = _user_id(actor)

    def work() -> LedgerTransaction:
        if _is_postgresql(session):
            return _pg_debit_to_system(session, actor=actor, amount=amount, key=key, reference=reference, kind=kind,
                                       system=system)
        payer = _take(session, payer_user, amount)
        if payer is None:
            if (found := _existing(session, key)) is not None:  # done before; the credits have moved on
                return _replayed(found, kind, amount)
            raise InsufficientCredits(balance=balance(session, user=actor), needed=amount)
        made = _record(session, kind=kind, amount=amount, key=key, reference=reference, actor=actor,
                       entries=[(payer, -amount), (system.account_id, amount)])
        if made is None:
            _add(session, payer, amount)  # put it back: the key was used before (or by a concurrent twin)
            return _original(session, key, kind, amount)
        left = session.execute(sa.select(_accounts.c.balance).where(_accounts.c.id == payer)).scalar_one()
        _warn_if_low(session, user=actor, left=int(left), spent=amount)
        return made

    return _run(session, commit, work)


_PG_DEBIT_TO_SYSTEM = sa.text("""
WITH debit AS (
    UPDATE ledger_accounts SET balance = balance - :amount
    WHERE user_id = :payer AND balance >= :amount
    RETURNING id, balance
), made AS (
    INSERT INTO ledger_transactions (kind, amount, idempotency_key, reference, actor_id, created_at)
    SELECT :kind, :amount, :key, :reference, :payer, :created_at FROM debit
    ON CONFLICT DO NOTHING
    RETURNING id
), lines AS (
    INSERT INTO ledger_entries (transaction_id, account_id, amount)
    SELECT made.id, debit.id, -CAST(:amount AS bigint) FROM made, debit
    UNION ALL
    SELECT made.id, :system, :amount FROM made
)
SELECT (SELECT id FROM debit), (SELECT id FROM made), (SELECT balance FROM debit)
""")


def _pg_debit_to_system(
    session: Session, *, actor: User, amount: int, key: str, reference: str, kind: TransactionKind,
    system: SystemAccount,
) -> LedgerTransaction:
    """Spend or hold in one statement on PostgreSQL: the conditional debit, the transaction and its two
    entries (the hot path of the platform: one round trip besides BEGIN and COMMIT)."""
    now = utc_now()
    payer, made_id, left = session.connection().execute(_PG_DEBIT_TO_SYSTEM, {
        "amount": amount, "payer": actor.id, "kind": kind.value, "key": key, "reference": reference,
        "created_at": now, "system": system.account_id,
    }).one()
    if made_id is not None:
        _warn_if_low(session, user=actor, left=int(left), spent=amount)
        return LedgerTransaction(id=made_id, kind=kind, amount=amount, idempotency_key=key, reference=reference,
                                 actor_id=actor.id, created_at=now)
    if payer is not None:
        _add(session, payer, amount)  # put it back: the key was used before (or by a concurrent twin)
        return _original(session, key, kind, amount)
    if (found := _existing(session, key)) is not None:  # done before; the credits have moved on
        return _replayed(found, kind, amount)
    raise InsufficientCredits(balance=balance(session, user=actor), needed=amount)


def _settle(
    session: Session, *, kind: TransactionKind, amount: int, key: str, reference: str, actor: User | None,
    settles: int, entries: list[tuple[int, int]], owner: int, back: int, commit: bool,
) -> LedgerTransaction:
    """Capture, release or refund: record, then give `back` to the owner's account."""

    def work() -> LedgerTransaction:
        made = _record(session, kind=kind, amount=amount, key=key, reference=reference, actor=actor,
                       settles=settles, entries=entries, balances=[(owner, back)] if back else [])
        if made is None:
            return _original(session, key, kind, amount, settles)
        if kind is TransactionKind.REFUND:
            target_id = session.execute(sa.select(_accounts.c.user_id).where(_accounts.c.id == owner)).scalar()
            audit.record(session, action=AuditAction.CREDITS_REFUNDED, actor=actor,
                         target=session.get(User, target_id) if target_id is not None else None,
                         details={"amount": amount, "transaction": made.id, "refunds": settles})
        return made

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


_PG_RECORD = """
WITH made AS (
    INSERT INTO ledger_transactions (kind, amount, idempotency_key, reference, settles_id, actor_id, created_at)
    VALUES (:kind, :amount, :key, :reference, :settles, :actor, :created_at)
    ON CONFLICT DO NOTHING
    RETURNING id
), lines AS (
    INSERT INTO ledger_entries (transaction_id, account_id, amount)
    SELECT made.id, entry.account_id, entry.amount FROM made, (VALUES {entries}) AS entry (account_id, amount)
){moves}
SELECT id FROM made
"""
_PG_MOVES = """, moved AS (
    UPDATE ledger_accounts SET balance = ledger_accounts.balance + move.delta
    FROM made, (VALUES {balances}) AS move (account_id, delta)
    WHERE ledger_accounts.id = move.account_id
)"""


def _record(
    session: Session,
    *,
    kind: TransactionKind,
    amount: int,
    key: str,
    reference: str,
    actor: User | None,
    entries: list[tuple[int, int]],
    balances: list[tuple[int, int]] = (),  # type: ignore[assignment]
    settles: int | None = None,
) -> LedgerTransaction | None:
    """Insert the transaction and its entries and apply `balances` (user accounts, changes that cannot
    make one negative); None, having written nothing, when the key or the settled transaction is
    taken. One statement on PostgreSQL."""
    assert sum(value for _, value in entries) == 0, "a transaction's entries sum to zero"
    row: dict[str, Any] = {"kind": kind.value, "amount": amount, "key": key, "reference": reference,
                           "settles": settles, "actor": actor.id if actor is not None else None,
                           "created_at": utc_now()}
    if _is_postgresql(session):
        for n, (account_id, value) in enumerate(entries):
            row[f"a{n}"], row[f"m{n}"] = account_id, value
        for n, (account_id, delta) in enumerate(balances):
            row[f"b{n}"], row[f"d{n}"] = account_id, delta
        made_id = session.connection().execute(_pg_record_statement(len(entries), len(balances)), row).scalar()
    else:
        made_id = session.execute(
            sqlite.insert(LedgerTransaction).values(
                kind=kind.value, amount=amount, idempotency_key=key, reference=reference, settles_id=settles,
                actor_id=row["actor"], created_at=row["created_at"],
            ).on_conflict_do_nothing().returning(LedgerTransaction.id)
        ).scalar()
        if made_id is not None:
            session.execute(sa.insert(_entries), [
                {"transaction_id": made_id, "account_id": account_id, "amount": value} for account_id, value in entries
            ])
            for account_id, delta in balances:
                _add(session, account_id, delta)
    if made_id is None:
        return None
    return LedgerTransaction(id=made_id, kind=kind, amount=amount, idempotency_key=key, reference=reference,
                             settles_id=settles, actor_id=row["actor"], created_at=row["created_at"])


@functools.cache
def _pg_record_statement(entries: int, balances: int) -> sa.TextClause:
    typed = "(CAST(:{0}{n} AS integer), CAST(:{1}{n} AS bigint))"
    moves = _PG_MOVES.format(balances=", ".join(typed.format("b", "d", n=n) for n in range(balances)))
    return sa.text(_PG_RECORD.format(entries=", ".join(typed.format("a", "m", n=n) for n in range(entries)),
                                     moves=moves if balances else ""))
