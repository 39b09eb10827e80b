"""Renditions: browser-playable copies (H.264/AAC MP4) of videos whose original a browser cannot play."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, enum_column, utc_now


class RenditionStatus(StrEnum):
    """pending: waiting for the transcoder; running: being made (see `progress`); ready: the file is
    stored; failed: it could not be made (`error` says why; the original stays available);
    not_needed: the original already plays in browsers (recorded so the check is not repeated)."""

    PENDING = "pending"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    NOT_NEEDED = "not_needed"


class MediaRendition(SQLModel, table=True):
    """One playable copy of a video: "playable" (the main one, up to its profile's height) or a
    smaller quality ("720p", "480p"). Files live in storage area "derived" and, like previews, do
    not count against the owner's storage quota."""

    __tablename__ = "media_renditions"
    __table_args__ = (
        sa.UniqueConstraint("media_id", "label", name="uq_media_renditions_media_id_label"),
        sa.Index("ix_media_renditions_status_updated_at", "status", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    media_id: int = Field(foreign_key="media_items.id", ondelete="CASCADE")
    label: str = Field(max_length=16)  # "playable", "720p", "480p"
    height: int | None = None  # of the made file (the target before it is made)
    width: int | None = None
    status: RenditionStatus = Field(default=RenditionStatus.PENDING, sa_type=enum_column(RenditionStatus, 10))
    progress: float = Field(default=0.0)  # 0..1 while running
    storage_key: str | None = Field(default=None, max_length=64)  # area "derived", once ready
    size_bytes: int = Field(default=0, sa_type=sa.BigInteger)
    duration_seconds: float | None = None
    error: str = Field(default="", max_length=500)
    claim: str | None = Field(default=None, max_length=32)  # the run that owns a running row
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
