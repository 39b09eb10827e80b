"""Platform settings: operator choices stored in the database, changeable without a restart."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class PlatformSetting(SQLModel, table=True):
    """One named setting; its value is JSON so each setting keeps its own type."""

    __tablename__ = "platform_settings"

    key: str = Field(primary_key=True, max_length=64)
    value: Any = Field(default=None, sa_type=sa.JSON)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
