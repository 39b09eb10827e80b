"""Share links: a public, revocable link to one item or one album, for people without an account."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class ShareLink(SQLModel, table=True):
    """A link to exactly one item (`media_id`) or one album (`album_id`).

    The link's token is an HMAC, under the server's secret, of a random `nonce`; the row keeps the
    nonce (so the owner can copy the link again) and a SHA-256 of the token (to find the row). A
    copy of the database alone opens no link."""

    __tablename__ = "share_links"
    __table_args__ = (
        sa.CheckConstraint("(media_id IS NULL) <> (album_id IS NULL)", name="one_target"),
        sa.Index("ix_share_links_owner_id_created_at", "owner_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    nonce: str = Field(max_length=64)
    owner_id: int = Field(foreign_key="users.id", ondelete="CASCADE")  # whose item or album it is
    created_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    media_id: int | None = Field(default=None, foreign_key="media_items.id", index=True, ondelete="CASCADE")
    album_id: int | None = Field(default=None, foreign_key="albums.id", index=True, ondelete="CASCADE")
    password_hash: str | None = Field(default=None, max_length=255)
    allow_download: bool = Field(default=False)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    view_count: int = Field(default=0)
    last_viewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # last "your link was viewed"
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
