"""All tables. Importing this package registers every model on SQLModel.metadata (alembic needs it)."""

from mediashare.models.audit import AuditAction, AuditEvent
from mediashare.models.base import utc_now
from mediashare.models.devices import Device
from mediashare.models.platform import PlatformSetting
from mediashare.models.sessions import AuthSession
from mediashare.models.users import Role, User

__all__ = [
    "AuditAction",
    "AuditEvent",
    "AuthSession",
    "Device",
    "PlatformSetting",
    "Role",
    "User",
    "utc_now",
]
