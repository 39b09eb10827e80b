"""The audit log: an append-only record of who did what, to whom, from where."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class AuditAction(StrEnum):
    """The closed vocabulary of audited actions."""

    LOGIN_SUCCEEDED = "auth.login_succeeded"
    LOGIN_FAILED = "auth.login_failed"
    ACCOUNT_LOCKED = "auth.account_locked"
    LOGOUT = "auth.logout"
    USER_CREATED = "user.created"
    SETTING_CHANGED = "platform.setting_changed"


class AuditEvent(SQLModel, table=True):
    """One audited action. Rows are never updated or deleted (a database trigger refuses it).

    Actor and target are plain ids plus a label snapshot, not foreign keys: the record must outlive
    the accounts it mentions.
    """

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
    action: str = Field(max_length=64, index=True)
    actor_id: int | None = Field(default=None, index=True)
    actor_label: str = Field(default="", max_length=254)
    target_id: int | None = Field(default=None, index=True)
    target_label: str = Field(default="", max_length=254)
    ip: str = Field(default="", max_length=45)
    user_agent: str = Field(default="", max_length=512)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
