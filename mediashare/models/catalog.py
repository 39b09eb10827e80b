"""The catalog: media items published to an audience, the play windows people pay for, and their
watchlists ("my list").

Who sees an entry is computed, not stored: an entry published by an admin or superuser is for
everyone; one published by a reseller is for that reseller's descendants (services/catalog.py).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, enum_column, utc_now


class EntryKind(StrEnum):
    FILM = "film"
    EPISODE = "episode"  # of a series: series_title, season, episode
    MUSIC = "music"  # a song: artist, album, disc and track number
    OTHER = "other"


class CatalogEntry(SQLModel, table=True):
    """One published media item (at most one entry per item) and what the catalog shows about it."""

    __tablename__ = "catalog_entries"
    __table_args__ = (
        sa.CheckConstraint("price >= 0", name="price_not_negative"),
        sa.Index("ix_catalog_entries_published_published_at", "published", "published_at"),
        sa.Index("ix_catalog_entries_series_title_season_episode", "series_title", "season", "episode"),
    )

    id: int | None = Field(default=None, primary_key=True)
    media_id: int = Field(foreign_key="media_items.id", unique=True, ondelete="CASCADE")
    publisher_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    kind: EntryKind = Field(default=EntryKind.FILM, sa_type=enum_column(EntryKind, 8), index=True)
    title: str = Field(max_length=200)
    original_title: str = Field(default="", max_length=200)
    year: int | None = None
    series_title: str = Field(default="", max_length=200)  # episodes only
    season: int | None = None
    episode: int | None = None
    artist: str = Field(default="", max_length=200)  # music only
    album: str = Field(default="", max_length=200)
    disc_number: int | None = None  # 1–99
    track_number: int | None = None  # 1–999
    # The album's identifier (services/catalog_albums.py): from publisher, artist and album name,
    # ignoring case; None for a song on no album (and anything that is not music)
    album_key: str | None = Field(default=None, max_length=32, index=True)
    plot: str = Field(default="", max_length=5000)
    rating: float | None = None  # 0–10
    runtime_minutes: int | None = None
    age_rating: str = Field(default="", max_length=16)  # "PG-13", "12", …
    cast: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # names, in billing order
    # An image item shown as the poster/backdrop (None: the entry's own preview)
    poster_media_id: int | None = Field(default=None, foreign_key="media_items.id", ondelete="SET NULL")
    backdrop_media_id: int | None = Field(default=None, foreign_key="media_items.id", ondelete="SET NULL")
    # Imported artwork (services/catalog_import.py): keys in the "derived" storage area, shown before the above
    poster_key: str | None = Field(default=None, max_length=200)
    backdrop_key: str | None = Field(default=None, max_length=200)
    price: int = Field(default=0)  # credits per play window; 0 = free
    published: bool = Field(default=True)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class PlayWindow(SQLModel, table=True):
    """A paid period in which one user may play one entry. `number` counts a user's windows of an
    entry (1, 2, …): two starts racing for the same next number collide on the unique constraint, so
    only one of them opens (and pays for) a window."""

    __tablename__ = "play_windows"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "entry_id", "number", name="uq_play_windows_user_id_entry_id_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    entry_id: int = Field(foreign_key="catalog_entries.id", index=True, ondelete="CASCADE")
    number: int
    amount: int = Field(default=0)  # credits it cost
    charge_id: int | None = None  # the CreditCharge that paid for it (services/credits.py)
    opened_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    refunded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # a start that failed


class WatchlistItem(SQLModel, table=True):
    """An entry a user put on "my list"."""

    __tablename__ = "watchlist_items"
    __table_args__ = (sa.Index("ix_watchlist_items_user_id_created_at", "user_id", "created_at"),)

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    entry_id: int = Field(foreign_key="catalog_entries.id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class CatalogFavorite(SQLModel, table=True):
    """An entry a user marked as a favorite (apart from "my list", which is what to watch next)."""

    __tablename__ = "catalog_favorites"
    __table_args__ = (sa.Index("ix_catalog_favorites_user_id_created_at", "user_id", "created_at"),)

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    entry_id: int = Field(foreign_key="catalog_entries.id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class CatalogPlay(SQLModel, table=True):
    """A user's watch history: one row per entry they started playing (how far they got is their
    PlaybackPosition on the entry's item)."""

    __tablename__ = "catalog_plays"
    __table_args__ = (sa.Index("ix_catalog_plays_user_id_played_at", "user_id", "played_at"),)

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    entry_id: int = Field(foreign_key="catalog_entries.id", primary_key=True, ondelete="CASCADE")
    first_played_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    played_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)  # the latest start
    plays: int = Field(default=1)
