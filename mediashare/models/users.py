"""Accounts: who can sign in, their role and place in the parent/child hierarchy."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, enum_column, utc_now


class Role(StrEnum):
    """Roles from most to least powerful: superuser > admin > reseller > user."""

    SUPERUSER = "superuser"
    ADMIN = "admin"
    RESELLER = "reseller"
    USER = "user"

    @property
    def rank(self) -> int:
        """Higher is more powerful."""
        return {"superuser": 3, "admin": 2, "reseller": 1, "user": 0}[self.value]

    @property
    def label(self) -> str:
        return self.value.capitalize()


class User(SQLModel, table=True):
    """A person or business that signs in; every account but the first superuser has a parent."""

    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=32)
    username_key: str = Field(max_length=32, unique=True)  # casefolded username, for uniqueness
    email: str = Field(max_length=254)
    email_key: str = Field(max_length=254, unique=True)  # casefolded email, for uniqueness
    display_name: str = Field(default="", max_length=80)
    password_hash: str = Field(max_length=255)
    role: Role = Field(default=Role.USER, sa_type=enum_column(Role, 16), index=True)
    parent_id: int | None = Field(default=None, foreign_key="users.id", index=True, ondelete="RESTRICT")

    is_active: bool = Field(default=True)
    email_verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failed_login_count: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    # indexed by migration 0003 as dx_users_last_login_at (NULLS FIRST on PostgreSQL, as SQLite orders)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    password_changed_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)

    storage_quota_bytes: int | None = Field(default=None, sa_type=sa.BigInteger)  # None: platform default
    plan_id: int | None = Field(default=None, foreign_key="plans.id", index=True, ondelete="SET NULL")
    storage_used_bytes: int = Field(default=0, sa_type=sa.BigInteger)  # originals kept (trash included)

    totp_secret_encrypted: str | None = Field(default=None, max_length=255)  # Fernet, key from SECRET_KEY
    totp_enabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    avatar_key: str | None = Field(default=None, max_length=64)  # storage key of the avatar image
    pending_email: str | None = Field(default=None, max_length=254)  # new address awaiting verification
    verification_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # resend cooldown
    referral_code_used: str | None = Field(default=None, max_length=32)  # as typed at sign-up
    referral_code: str | None = Field(default=None, max_length=16, unique=True)  # own code, made on first use
    referred_by_id: int | None = Field(default=None, foreign_key="users.id", index=True, ondelete="SET NULL")

    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)

    @property
    def name(self) -> str:
        """What the interface calls this person."""
        return self.display_name or self.username

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def has_totp(self) -> bool:
        return self.totp_enabled_at is not None
