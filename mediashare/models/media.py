"""Media: the files people keep, the types an admin allows, and where each viewer left off."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, enum_column, utc_now


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"


class MediaStatus(StrEnum):
    """pending: receiving; stored: the original is safe, derivatives not made yet; ready: all made;
    failed: derivatives could not be made (the original is still there)."""

    PENDING = "pending"
    STORED = "stored"
    READY = "ready"
    FAILED = "failed"


class MediaType(SQLModel, table=True):
    """An allowed file type, editable by admins at runtime (enable, size limit)."""

    __tablename__ = "media_types"

    extension: str = Field(primary_key=True, max_length=10)  # lower case, no dot: "jpg"
    kind: MediaKind = Field(sa_type=enum_column(MediaKind, 8))
    label: str = Field(max_length=60)  # "JPEG image"
    max_bytes: int = Field(sa_type=sa.BigInteger)
    enabled: bool = Field(default=True)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


def month_of(moment: datetime) -> int:
    """The calendar month (UTC) of `moment` as year * 100 + month: 2024-05-17 → 202405."""
    moment = moment.astimezone(UTC) if moment.tzinfo is not None else moment
    return moment.year * 100 + moment.month


def _sort_month_default(context: Any) -> int | None:
    """`sort_month` of a row inserted without one (bulk inserts of plain dicts): from its `sort_at`."""
    moment = context.get_current_parameters().get("sort_at")
    return month_of(moment) if isinstance(moment, datetime) else None


class MediaItem(SQLModel, table=True):
    """One uploaded file and what we know about it. The original file never changes."""

    __tablename__ = "media_items"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "sha256", name="uq_media_items_owner_id_sha256"),
        sa.Index("ix_media_items_owner_sort_taken", "owner_id", "trashed_at", "sort_at", "id"),
        sa.Index("ix_media_items_owner_sort_uploaded", "owner_id", "trashed_at", "uploaded_at", "id"),
        sa.Index("ix_media_items_owner_sort_month", "owner_id", "trashed_at", "sort_month"),
        # Search: a trigram index on PostgreSQL finds words and parts of words anywhere in the text.
        sa.Index("ix_media_items_search_text", "search_text", postgresql_using="gin",
                 postgresql_ops={"search_text": "gin_trgm_ops"}),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", index=True, ondelete="RESTRICT")
    uploaded_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    status: MediaStatus = Field(default=MediaStatus.PENDING, sa_type=enum_column(MediaStatus, 8), index=True)
    kind: MediaKind = Field(sa_type=enum_column(MediaKind, 8))

    original_filename: str = Field(max_length=255)  # for display and download only
    title: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=5000)
    extension: str = Field(max_length=10)
    mime: str = Field(max_length=100)
    size_bytes: int = Field(sa_type=sa.BigInteger)
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=64)  # the original, in storage area "originals"

    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    codec: str | None = Field(default=None, max_length=32)
    taken_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # from EXIF, in UTC
    taken_at_offset_minutes: int | None = None  # the camera's UTC offset, when EXIF had one
    sort_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)  # taken_at, else uploaded_at
    # month_of(sort_at), kept in step on every assignment of sort_at (below) and on inserts: the
    # timeline's month list counts it straight from an index. A raw UPDATE of sort_at must set it too.
    sort_month: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=False,
                                                                      default=_sort_month_default))
    latitude: float | None = None
    longitude: float | None = None
    exif: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)  # camera, lens, exposure, …

    preview_key: str | None = Field(default=None, max_length=64)  # 1600 px WebP (storage area "derived")
    preview_jpeg_key: str | None = Field(default=None, max_length=64)  # JPEG fallback
    thumbnail_key: str | None = Field(default=None, max_length=64)  # 360 px square WebP
    error: str = Field(default="", max_length=500)  # why derivatives failed
    # The edited version the gallery shows instead of the original (None: the original).
    current_version_id: int | None = Field(default=None, sa_column=sa.Column(
        sa.Integer, sa.ForeignKey("media_versions.id", ondelete="SET NULL", use_alter=True), nullable=True))

    uploaded_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    trashed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    # Lower-case words search looks in: title, file name, description, camera, lens, tags
    # (services/search.py keeps it in step).
    search_text: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, default=""))


@event.listens_for(MediaItem.sort_at, "set")
def _keep_sort_month(target: MediaItem, value: datetime | None, _old: object, _initiator: object) -> None:
    if isinstance(value, datetime):
        target.sort_month = month_of(value)


class PlaybackPosition(SQLModel, table=True):
    """Where a user last was in a video or audio item (also the "recently viewed" history)."""

    __tablename__ = "playback_positions"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "media_id", name="uq_playback_positions_user_id_media_id"),
        sa.Index("ix_playback_positions_user_id_updated_at", "user_id", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    media_id: int = Field(foreign_key="media_items.id", index=True, ondelete="CASCADE")
    position_seconds: float = Field(default=0.0)
    duration_seconds: float | None = None
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class MediaFavorite(SQLModel, table=True):
    """A star a user put on an item (their own, or one they may view); their favorites view lists them."""

    __tablename__ = "media_favorites"
    __table_args__ = (sa.Index("ix_media_favorites_media_id", "media_id"),)

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    media_id: int = Field(foreign_key="media_items.id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class Tag(SQLModel, table=True):
    """A free tag in one owner's library ("beach", "Grandma"); names are unique per owner, ignoring case."""

    __tablename__ = "tags"
    __table_args__ = (sa.UniqueConstraint("owner_id", "name_key", name="uq_tags_owner_id_name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    name: str = Field(max_length=40)
    name_key: str = Field(max_length=40)  # casefolded, for uniqueness and prefix search
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class MediaTag(SQLModel, table=True):
    """An item carries a tag."""

    __tablename__ = "media_tags"
    __table_args__ = (sa.Index("ix_media_tags_tag_id_media_id", "tag_id", "media_id"),)

    media_id: int = Field(foreign_key="media_items.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tags.id", primary_key=True, ondelete="CASCADE")
