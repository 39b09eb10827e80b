"""Credits: what an action cost. Until the ledger lands every price is 0, but each chargeable
action still leaves one charge row, written in the same transaction as the action."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, enum_column, utc_now


class ChargeStatus(StrEnum):
    """held: the amount is taken from the balance while the action runs (a long job); captured: the
    action succeeded and the amount is spent; released: the action failed and the amount went back."""

    HELD = "held"
    CAPTURED = "captured"
    RELEASED = "released"


class CreditCharge(SQLModel, table=True):
    """One priced action of one account (a hold until it is captured or released)."""

    __tablename__ = "credit_charges"
    __table_args__ = (sa.CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    action: str = Field(max_length=40)  # a services.credits.Action value
    amount: int = Field(default=0)  # credits taken from the balance (the price when charged)
    status: ChargeStatus = Field(default=ChargeStatus.HELD, sa_type=enum_column(ChargeStatus, 10))
    media_id: int | None = Field(default=None, foreign_key="media_items.id", index=True, ondelete="SET NULL")
    reference: str = Field(default="", max_length=80)  # what it paid for, e.g. "media_version:12"
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    settled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
