"""All tables. Importing this package registers every model on SQLModel.metadata (alembic needs it)."""

from mediashare.models.albums import Album, AlbumItem
from mediashare.models.audit import AuditAction, AuditEvent
from mediashare.models.base import utc_now
from mediashare.models.credits import ChargeStatus, CreditCharge
from mediashare.models.devices import Device
from mediashare.models.ledger import LedgerAccount, LedgerEntry, LedgerTransaction, SystemAccount, TransactionKind
from mediashare.models.media import MediaItem, MediaKind, MediaStatus, MediaType, PlaybackPosition
from mediashare.models.notifications import Notification
from mediashare.models.platform import PlatformSetting
from mediashare.models.security import LoginAttempt, RecoveryCode, UsedToken
from mediashare.models.sessions import AuthSession
from mediashare.models.studio import MediaVersion, VersionStatus
from mediashare.models.users import Role, User

__all__ = [
    "Album",
    "AlbumItem",
    "AuditAction",
    "AuditEvent",
    "AuthSession",
    "ChargeStatus",
    "CreditCharge",
    "Device",
    "LedgerAccount",
    "LedgerEntry",
    "LedgerTransaction",
    "LoginAttempt",
    "MediaItem",
    "MediaKind",
    "MediaStatus",
    "MediaType",
    "MediaVersion",
    "Notification",
    "PlatformSetting",
    "PlaybackPosition",
    "RecoveryCode",
    "Role",
    "SystemAccount",
    "TransactionKind",
    "UsedToken",
    "User",
    "VersionStatus",
    "utc_now",
]
