"""Genres: one global taxonomy (admins manage it); catalog items carry several genres."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class Genre(SQLModel, table=True):
    """A genre ("Science Fiction"); names are unique ignoring case (`name_key`), slugs are unique."""

    __tablename__ = "genres"
    __table_args__ = (
        sa.UniqueConstraint("name_key", name="uq_genres_name_key"),
        sa.UniqueConstraint("slug", name="uq_genres_slug"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60)
    name_key: str = Field(max_length=60)  # casefolded name
    slug: str = Field(max_length=80)  # for URLs: "science-fiction"
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class GenreLink(SQLModel, table=True):
    """An item carries a genre."""

    __tablename__ = "media_genres"
    __table_args__ = (sa.Index("ix_media_genres_genre_id_media_id", "genre_id", "media_id"),)

    media_id: int = Field(foreign_key="media_items.id", primary_key=True, ondelete="CASCADE")
    genre_id: int = Field(foreign_key="genres.id", primary_key=True, ondelete="CASCADE")
