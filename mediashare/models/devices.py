"""Devices: the browsers and machines a user has signed in from."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class Device(SQLModel, table=True):
    """A browser on a machine, recognised by a long-lived device cookie (stored hashed)."""

    __tablename__ = "devices"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    key_hash: str = Field(max_length=64, index=True)  # hex SHA-256 of the device cookie
    name: str = Field(default="Unknown device", max_length=120)  # e.g. "Chrome on Android"
    user_agent: str = Field(default="", max_length=512)
    last_ip: str = Field(default="", max_length=45)
    first_seen_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
