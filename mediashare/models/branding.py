"""White-label branding: one per reseller, shown to everyone under it (services/branding.py)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class Branding(SQLModel, table=True):
    """A reseller's name, logo, colors and words, reached through /r/<slug>."""

    __tablename__ = "brandings"

    id: int | None = Field(default=None, primary_key=True)
    reseller_id: int = Field(foreign_key="users.id", unique=True, ondelete="CASCADE")
    slug: str = Field(max_length=40, unique=True)  # lowercase [a-z0-9-], checked by the service
    display_name: str = Field(max_length=80)
    primary_color: str = Field(max_length=7)  # "#rrggbb"
    accent_color: str = Field(max_length=7)
    welcome_text: str = Field(default="", max_length=500)  # plain text, never rendered as HTML
    support_email: str = Field(default="", max_length=254)
    logo_key: str | None = Field(default=None, max_length=64)  # storage key of our re-encoded PNG
    logo_hash: str | None = Field(default=None, max_length=16)  # content hash: the logo URL's version
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
