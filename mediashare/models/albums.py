"""Albums: named, ordered collections of a person's media, which can hold sub-albums."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class Album(SQLModel, table=True):
    """An event album. Its cover is one of its own items; its parent is another album of the same
    owner (never itself or one of its sub-albums: services/albums.py keeps the tree acyclic)."""

    __tablename__ = "albums"
    __table_args__ = (sa.Index("ix_albums_owner_id_parent_id", "owner_id", "parent_id"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    parent_id: int | None = Field(default=None, foreign_key="albums.id", index=True, ondelete="SET NULL")
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=5000)
    cover_id: int | None = Field(default=None, foreign_key="media_items.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class AlbumItem(SQLModel, table=True):
    """One item in one album, at `position` (0, 1, … without gaps; an item can be in many albums)."""

    __tablename__ = "album_items"
    __table_args__ = (
        sa.UniqueConstraint("album_id", "media_id", name="uq_album_items_album_id_media_id"),
        sa.Index("ix_album_items_album_id_position", "album_id", "position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    album_id: int = Field(foreign_key="albums.id", ondelete="CASCADE")
    media_id: int = Field(foreign_key="media_items.id", index=True, ondelete="CASCADE")
    position: int
    added_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
