"""The audit log: an append-only record of who did what, to whom, from where."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, utc_now


class AuditAction(StrEnum):
    """The closed vocabulary of audited actions."""

    LOGIN_SUCCEEDED = "auth.login_succeeded"
    LOGIN_FAILED = "auth.login_failed"
    LOGIN_THROTTLED = "auth.login_throttled"
    ACCOUNT_LOCKED = "auth.account_locked"
    ACCOUNT_UNLOCKED = "auth.account_unlocked"
    LOGOUT = "auth.logout"
    SESSION_REVOKED = "auth.session_revoked"
    REGISTERED = "account.registered"
    VERIFICATION_SENT = "account.verification_sent"
    EMAIL_VERIFIED = "account.email_verified"
    PASSWORD_RESET_REQUESTED = "account.password_reset_requested"
    PASSWORD_RESET_COMPLETED = "account.password_reset_completed"
    PASSWORD_CHANGED = "account.password_changed"
    EMAIL_CHANGE_REQUESTED = "account.email_change_requested"
    EMAIL_CHANGED = "account.email_changed"
    PROFILE_UPDATED = "account.profile_updated"
    TOTP_ENABLED = "account.totp_enabled"
    TOTP_DISABLED = "account.totp_disabled"
    RECOVERY_CODE_USED = "account.recovery_code_used"
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    USER_DELETED = "user.deleted"
    ROLE_CHANGED = "user.role_changed"
    PARENT_CHANGED = "user.parent_changed"
    SETTING_CHANGED = "platform.setting_changed"
    AUDIT_EXPORTED = "audit.exported"
    MEDIA_UPLOADED = "media.uploaded"
    MEDIA_UPDATED = "media.updated"
    MEDIA_TRASHED = "media.trashed"
    MEDIA_RESTORED = "media.restored"
    MEDIA_DELETED = "media.deleted"
    MEDIA_OWNER_CHANGED = "media.owner_changed"
    MEDIA_TYPE_CHANGED = "media.type_changed"
    VERSION_SAVED = "media.version_saved"
    VERSION_SELECTED = "media.version_selected"  # set as the one shown, or back to the original
    VERSION_DELETED = "media.version_deleted"
    ALBUM_CREATED = "album.created"
    ALBUM_UPDATED = "album.updated"  # title, description, cover or parent
    ALBUM_DELETED = "album.deleted"
    ALBUM_ITEMS_ADDED = "album.items_added"
    ALBUM_ITEMS_REMOVED = "album.items_removed"
    ALBUM_REORDERED = "album.reordered"
    CATALOG_PUBLISHED = "catalog.published"
    CATALOG_UPDATED = "catalog.updated"
    CATALOG_UNPUBLISHED = "catalog.unpublished"
    SHARE_CREATED = "share.created"
    SHARE_VIEWED = "share.viewed"  # once per visitor session (a page load that unlocked it)
    SHARE_UNLOCK_FAILED = "share.unlock_failed"  # a wrong password
    SHARE_REVOKED = "share.revoked"
    CREDITS_GRANTED = "credits.granted"
    CREDITS_TRANSFERRED = "credits.transferred"
    CREDITS_REFUNDED = "credits.refunded"
    BRANDING_CREATED = "branding.created"
    BRANDING_UPDATED = "branding.updated"
    PLAN_CREATED = "plan.created"
    PLAN_UPDATED = "plan.updated"
    PLAN_ARCHIVED = "plan.archived"
    PLAN_ASSIGNED = "plan.assigned"
    TOPUP_APPROVED = "topup.approved"
    TOPUP_REJECTED = "topup.rejected"
    PAYMENTS_EXPORTED = "payments.exported"
    GENRE_CREATED = "genre.created"
    GENRE_RENAMED = "genre.renamed"
    GENRE_MERGED = "genre.merged"
    GENRE_DELETED = "genre.deleted"
    TICKET_OPENED = "ticket.opened"
    TICKET_REPLIED = "ticket.replied"
    TICKET_STATUS_CHANGED = "ticket.status_changed"
    TICKET_ASSIGNED = "ticket.assigned"
    TICKET_ESCALATED = "ticket.escalated"
    TICKET_REROUTED = "ticket.rerouted"  # its reseller was deactivated, deleted or demoted


class AuditEvent(SQLModel, table=True):
    """One audited action. Rows are never updated or deleted (a database trigger refuses it).

    Actor and target are plain ids plus a label snapshot, not foreign keys: the record must outlive
    the accounts it mentions.
    """

    __tablename__ = "audit_events"
    # Per-address limits on public forms count one action from one address in a recent window.
    __table_args__ = (sa.Index("ix_audit_events_action_ip_created_at", "action", "ip", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
    action: str = Field(max_length=64, index=True)
    actor_id: int | None = Field(default=None, index=True)
    actor_label: str = Field(default="", max_length=254)
    target_id: int | None = Field(default=None, index=True)
    target_label: str = Field(default="", max_length=254)
    ip: str = Field(default="", max_length=45)
    user_agent: str = Field(default="", max_length=512)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
