"""Security records: single-use tokens, 2FA recovery codes, and login attempts for throttling."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class UsedToken(SQLModel, table=True):
    """A signed token (email verification, password reset, 2FA step) that has been consumed.

    Inserting the row is what consumes the token: the primary key makes a second use fail.
    """

    __tablename__ = "used_tokens"

    token_id: str = Field(primary_key=True, max_length=64)
    purpose: str = Field(max_length=32)
    user_id: int | None = Field(default=None, index=True)
    used_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class RecoveryCode(SQLModel, table=True):
    """One single-use two-factor recovery code, stored as a hash."""

    __tablename__ = "recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginAttempt(SQLModel, table=True):
    """A sign-in attempt, kept briefly to throttle addresses that try many accounts."""

    __tablename__ = "login_attempts"
    __table_args__ = (sa.Index("ix_login_attempts_ip_created_at", "ip", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    ip: str = Field(max_length=45)
    succeeded: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
