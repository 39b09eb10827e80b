"""Sign-in sessions: the browser holds a random token, we keep only its SHA-256."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class AuthSession(SQLModel, table=True):
    """One signed-in browser; valid until idle too long, past its absolute expiry, or revoked."""

    __tablename__ = "auth_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    device_id: int | None = Field(default=None, foreign_key="devices.id", index=True, ondelete="SET NULL")
    token_hash: str = Field(max_length=64, unique=True)  # hex SHA-256 of the browser's token
    ip: str = Field(default="", max_length=45)
    user_agent: str = Field(default="", max_length=512)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)  # absolute expiry
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
