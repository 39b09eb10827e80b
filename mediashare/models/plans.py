"""Plans: a monthly credit allotment, a storage quota and a price an account can be put on."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class Plan(SQLModel, table=True):
    """What an account on this plan gets each month and may store, and what it costs (minor units)."""

    __tablename__ = "plans"
    __table_args__ = (
        sa.CheckConstraint("monthly_credits >= 0", name="monthly_credits_not_negative"),
        sa.CheckConstraint("storage_quota_bytes >= 0", name="storage_quota_not_negative"),
        sa.CheckConstraint("price_minor >= 0", name="price_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    name_key: str = Field(max_length=64, unique=True)  # casefolded name, for uniqueness
    monthly_credits: int = Field(default=0, sa_type=sa.BigInteger)
    storage_quota_bytes: int = Field(default=0, sa_type=sa.BigInteger)
    price_minor: int = Field(default=0, sa_type=sa.BigInteger)  # e.g. cents, in the platform's currency
    currency: str = Field(default="EUR", max_length=3)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # archived: no new sign-ups
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)

    @property
    def is_active(self) -> bool:
        return self.archived_at is None
