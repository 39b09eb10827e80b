"""Top-up requests: an account asks for credits or a plan, someone confirms the payment, credits move."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, enum_column, utc_now


class TopUpStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class TopUpRequest(SQLModel, table=True):
    """One request for `credits` (or for `plan_id`), paid `amount_minor` in `currency` through `provider`."""

    __tablename__ = "topup_requests"
    __table_args__ = (
        sa.CheckConstraint("credits >= 0", name="credits_not_negative"),
        sa.CheckConstraint("amount_minor >= 0", name="amount_not_negative"),
        sa.Index("ix_topup_requests_status_created_at", "status", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    plan_id: int | None = Field(default=None, foreign_key="plans.id", ondelete="RESTRICT")  # None: credits
    credits: int = Field(sa_type=sa.BigInteger)  # what it brings (a plan: its monthly allotment)
    amount_minor: int = Field(default=0, sa_type=sa.BigInteger)  # the price asked, in minor units
    currency: str = Field(default="EUR", max_length=3)
    status: TopUpStatus = Field(default=TopUpStatus.PENDING, sa_type=enum_column(TopUpStatus, 16))
    provider: str = Field(default="manual", max_length=32)
    payment_reference: str = Field(default="", max_length=128)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id", index=True, ondelete="SET NULL")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    reason: str = Field(default="", max_length=500)  # why it was rejected
    transaction_id: int | None = Field(default=None, foreign_key="ledger_transactions.id")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
