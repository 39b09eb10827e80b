"""All tables. Importing this package registers every model on SQLModel.metadata (alembic needs it)."""

from mediashare.models.albums import Album, AlbumItem
from mediashare.models.audit import AuditAction, AuditEvent
from mediashare.models.base import utc_now
from mediashare.models.branding import Branding
from mediashare.models.catalog import (
    CatalogEntry,
    CatalogFavorite,
    CatalogPlay,
    EntryKind,
    PlayWindow,
    WatchlistItem,
)
from mediashare.models.credits import ChargeStatus, CreditCharge
from mediashare.models.devices import Device
from mediashare.models.genres import Genre, GenreLink
from mediashare.models.ledger import LedgerAccount, LedgerEntry, LedgerTransaction, SystemAccount, TransactionKind
from mediashare.models.media import (
    MediaFavorite,
    MediaItem,
    MediaKind,
    MediaStatus,
    MediaTag,
    MediaType,
    PlaybackPosition,
    Tag,
)
from mediashare.models.notifications import Notification, NotificationPreference
from mediashare.models.payments import TopUpRequest, TopUpStatus
from mediashare.models.people import FaceScan, PeoplePreference, Person, PersonTag, TagSource
from mediashare.models.plans import Plan
from mediashare.models.platform import PlatformSetting
from mediashare.models.renditions import MediaRendition, RenditionStatus
from mediashare.models.security import LoginAttempt, RecoveryCode, UsedToken
from mediashare.models.sessions import AuthSession
from mediashare.models.shares import ShareLink
from mediashare.models.studio import MediaVersion, VersionStatus
from mediashare.models.tickets import Ticket, TicketAttachment, TicketCategory, TicketMessage, TicketStatus
from mediashare.models.users import Role, User

__all__ = [
    "Album",
    "AlbumItem",
    "AuditAction",
    "AuditEvent",
    "AuthSession",
    "Branding",
    "CatalogEntry",
    "CatalogFavorite",
    "CatalogPlay",
    "ChargeStatus",
    "CreditCharge",
    "Device",
    "EntryKind",
    "FaceScan",
    "Genre",
    "GenreLink",
    "LedgerAccount",
    "LedgerEntry",
    "LedgerTransaction",
    "LoginAttempt",
    "MediaFavorite",
    "MediaItem",
    "MediaKind",
    "MediaRendition",
    "MediaStatus",
    "MediaTag",
    "MediaType",
    "MediaVersion",
    "Notification",
    "NotificationPreference",
    "PeoplePreference",
    "Person",
    "PersonTag",
    "Plan",
    "PlatformSetting",
    "PlayWindow",
    "PlaybackPosition",
    "RecoveryCode",
    "RenditionStatus",
    "Role",
    "ShareLink",
    "SystemAccount",
    "Tag",
    "TagSource",
    "Ticket",
    "TicketAttachment",
    "TicketCategory",
    "TicketMessage",
    "TicketStatus",
    "TopUpRequest",
    "TopUpStatus",
    "TransactionKind",
    "UsedToken",
    "User",
    "VersionStatus",
    "WatchlistItem",
    "utc_now",
]
