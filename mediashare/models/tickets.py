"""Support tickets: a question from one account, routed to its reseller or to the admins, answered
in a thread of messages that may carry pictures."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediashare.models.base import UTCDateTime, enum_column, utc_now


class TicketStatus(StrEnum):
    OPEN = "open"  # waiting for staff
    PENDING = "pending"  # staff answered; waiting for the requester
    RESOLVED = "resolved"  # staff consider it solved; a reply from the requester reopens it
    CLOSED = "closed"  # finished: no more replies


class TicketCategory(StrEnum):
    ACCOUNT = "account"
    BILLING = "billing"
    MEDIA = "media"
    TECHNICAL = "technical"
    OTHER = "other"


class Ticket(SQLModel, table=True):
    """One support request. `reseller_id` set: the requester's reseller handles it (until
    `escalated_at`, when the admins take it over too); None: the admins handle it."""

    __tablename__ = "tickets"
    __table_args__ = (
        sa.Index("ix_tickets_reseller_id_status", "reseller_id", "status"),
        sa.Index("ix_tickets_status_updated_at", "status", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    requester_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    reseller_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    assignee_id: int | None = Field(default=None, foreign_key="users.id", index=True, ondelete="SET NULL")
    subject: str = Field(max_length=200)
    category: TicketCategory = Field(sa_type=enum_column(TicketCategory, 16))
    status: TicketStatus = Field(default=TicketStatus.OPEN, sa_type=enum_column(TicketStatus, 16))
    escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class TicketMessage(SQLModel, table=True):
    """One message in a ticket's thread, from the requester or from staff, or a note the platform
    wrote (`is_note`: "Moved to … because … was deactivated"; no author)."""

    __tablename__ = "ticket_messages"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="tickets.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="users.id", index=True, ondelete="SET NULL")
    from_staff: bool = False
    is_note: bool = False
    body: str = Field(max_length=10_000)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class TicketAttachment(SQLModel, table=True):
    """A picture attached to a message: our re-encoded copy under MEDIA_ROOT's "derived" area."""

    __tablename__ = "ticket_attachments"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="ticket_messages.id", index=True, ondelete="CASCADE")
    storage_key: str = Field(max_length=200, unique=True)
    filename: str = Field(max_length=255)
    width: int
    height: int
    size_bytes: int
