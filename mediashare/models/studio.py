"""Studio: the edited versions of a media item. The original never changes; a version is a
rendering of it through a list of edit operations, kept as its own files."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, enum_column, utc_now


class VersionStatus(StrEnum):
    """pending: saved, the full-resolution render is queued or running; ready: its files exist;
    failed: the render could not be made (no files are kept, nothing is charged)."""

    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


class MediaVersion(SQLModel, table=True):
    """One saved edit of an item: its ops (JSON, as imaging.ops.dump_ops gives them) and, once
    rendered, a full-resolution file with a preview and a thumbnail (storage area "derived")."""

    __tablename__ = "media_versions"
    __table_args__ = (sa.UniqueConstraint("media_id", "number", name="uq_media_versions_media_id_number"),)

    id: int | None = Field(default=None, primary_key=True)
    media_id: int = Field(foreign_key="media_items.id", index=True, ondelete="CASCADE")
    number: int  # 1, 2, … per item ("edit 2"); never reused while the item has a higher one
    ops: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    status: VersionStatus = Field(default=VersionStatus.PENDING, sa_type=enum_column(VersionStatus, 8))
    progress: int = Field(default=0)  # 0–100 while the render job runs
    error: str = Field(default="", max_length=500)  # why the render failed, for the owner

    storage_key: str | None = Field(default=None, max_length=64)  # the full-resolution file
    extension: str = Field(default="jpg", max_length=10)  # of that file: "jpg" or "png"
    preview_key: str | None = Field(default=None, max_length=64)  # 1600 px WebP
    preview_jpeg_key: str | None = Field(default=None, max_length=64)
    thumbnail_key: str | None = Field(default=None, max_length=64)  # 360 px square WebP
    width: int | None = None
    height: int | None = None
    size_bytes: int | None = Field(default=None, sa_type=sa.BigInteger)
    sha256: str | None = Field(default=None, max_length=64)

    charge_id: int | None = Field(default=None, foreign_key="credit_charges.id", ondelete="SET NULL")
    created_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
