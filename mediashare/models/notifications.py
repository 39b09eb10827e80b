"""Notifications: short messages to one user, shown under the bell and optionally emailed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class Notification(SQLModel, table=True):
    """Something a user should know about (a new-device sign-in, a finished job, …)."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_user_id_read_at", "user_id", "read_at"),  # the bell's unread count
        sa.Index("ix_notifications_user_id_created_at", "user_id", "created_at"),  # the paged list, newest first
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)  # a key of services/notifications.py KINDS, e.g. "new_device"
    title: str = Field(max_length=200)
    body: str = Field(default="", max_length=2000)
    link: str = Field(default="", max_length=512)  # a local path
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # How many events this one stands for: a burst of one kind (50 uploads ready) is one notification.
    repeat: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class NotificationPreference(SQLModel, table=True):
    """A user's choice for one kind of notification; without a row the kind's defaults apply."""

    __tablename__ = "notification_preferences"

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(max_length=32, primary_key=True)
    in_app: bool
    email: bool
