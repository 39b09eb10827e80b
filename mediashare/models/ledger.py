"""The credit ledger: accounts, transactions and their entries (double entry, integer credits).

Every movement of credits is one `LedgerTransaction` whose `LedgerEntry` rows sum to zero. A user's
balance is kept on their `LedgerAccount` in the same database transaction as the entries, can never
go below zero (a CHECK constraint, and conditional debits in services/ledger.py), and can always be
recomputed from the entries (`python -m mediashare ledger verify`). Transactions and entries are
append-only: a database trigger refuses UPDATE and DELETE (migration 0006).

System accounts ("issuance", "consumption", "held") are where credits come from and go to. They have
fixed negative ids, inserted by the migration, so no lookup is needed and the id sequence can never
hand one out. Their balance column is not maintained (it stays 0): every grant and spend would
otherwise update the same row and serialize the whole platform on its lock. Their balance is the sum
of their entries.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, enum_column, utc_now


class SystemAccount(StrEnum):
    """The accounts no user owns."""

    ISSUANCE = "issuance"  # grants, bonuses and plan allotments are minted from here (goes negative)
    CONSUMPTION = "consumption"  # spends and captured holds end here; refunds come back from here
    HELD = "held"  # credits reserved by a hold until it is captured or released

    @property
    def account_id(self) -> int:
        """The fixed id of this account's row in ledger_accounts (negative: never a user's)."""
        return {"issuance": -1, "consumption": -2, "held": -3}[self.value]


class TransactionKind(StrEnum):
    """What a transaction did; the closed vocabulary of credit movements."""

    GRANT = "grant"  # issuance → user, by an admin or superuser
    BONUS = "bonus"  # issuance → user, e.g. a referral bonus
    PLAN = "plan"  # issuance → user, a plan's monthly allotment
    TRANSFER = "transfer"  # reseller → one of their descendants
    SPEND = "spend"  # user → consumption, in the transaction of the action it pays for
    REFUND = "refund"  # consumption → user, reverses one spend or capture
    HOLD = "hold"  # user → held, before a long job
    CAPTURE = "capture"  # held → consumption (any remainder back to the user), the job succeeded
    RELEASE = "release"  # held → user, the job failed or was cancelled


class LedgerAccount(SQLModel, table=True):
    """Where credits sit: one per user (created on first use), plus the system accounts."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        sa.CheckConstraint("balance >= 0", name="balance_not_negative"),
        sa.CheckConstraint("user_id IS NULL OR system_name IS NULL", name="one_owner"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # SET NULL: deleting an account keeps its history (and its credits, conserved, out of reach)
    user_id: int | None = Field(default=None, foreign_key="users.id", unique=True, ondelete="SET NULL")
    system_name: str | None = Field(default=None, max_length=32, unique=True)
    balance: int = Field(default=0, sa_type=sa.BigInteger)  # users only; system accounts: sum of entries
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class LedgerTransaction(SQLModel, table=True):
    """One movement of credits; immutable. `idempotency_key` makes a retried operation harmless."""

    __tablename__ = "ledger_transactions"
    __table_args__ = (sa.CheckConstraint("amount > 0", name="amount_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: TransactionKind = Field(sa_type=enum_column(TransactionKind, 16), index=True)
    amount: int = Field(sa_type=sa.BigInteger)  # credits moved (the positive side of the entries)
    idempotency_key: str = Field(max_length=128, unique=True)
    reference: str = Field(default="", max_length=128)  # what it paid for, e.g. "media:12/version:3"
    # The hold a capture/release settles, or the spend a refund reverses: at most one per target.
    settles_id: int | None = Field(default=None, foreign_key="ledger_transactions.id", unique=True)
    actor_id: int | None = Field(default=None, index=True)  # no foreign key: outlives the account
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)


class LedgerEntry(SQLModel, table=True):
    """One side of a transaction: a signed amount on one account. A balance is the sum of these."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        sa.CheckConstraint("amount <> 0", name="amount_not_zero"),
        sa.Index("ix_ledger_entries_account_id_id", "account_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    transaction_id: int = Field(foreign_key="ledger_transactions.id", index=True)
    account_id: int = Field(foreign_key="ledger_accounts.id")
    amount: int = Field(sa_type=sa.BigInteger)  # > 0 credit, < 0 debit
