"""What people show of themselves: the display name (the avatar lives in `avatars`)."""

from __future__ import annotations

import unicodedata

from sqlmodel import Session

from mediashare.errors import ValidationFailed
from mediashare.models import AuditAction, User, utc_now
from mediashare.services import audit
from mediashare.services.auth import Client

MAX_DISPLAY_NAME = 80
_ZERO_WIDTH_JOINER = "\u200d"  # allowed: it joins emoji such as 👩‍👧


def normalize_display_name(value: str) -> str:
    """Trimmed, with runs of spaces collapsed; refuses control characters and overlong names."""
    value = " ".join(value.split())
    if len(value) > MAX_DISPLAY_NAME:
        raise ValidationFailed(f"A display name has at most {MAX_DISPLAY_NAME} characters.", field="display_name")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs") and char != _ZERO_WIDTH_JOINER for char in value):
        raise ValidationFailed("A display name cannot contain invisible or control characters.", field="display_name")
    return value


def update_display_name(session: Session, *, actor: User, display_name: str, client: Client) -> User:
    """Set `actor`'s display name (empty: the username is shown instead)."""
    value = normalize_display_name(display_name)
    if value == actor.display_name:
        return actor
    audit.record(session, action=AuditAction.PROFILE_UPDATED, actor=actor, target=actor, ip=client.ip,
                 user_agent=client.user_agent, details={"display_name": {"from": actor.display_name, "to": value}})
    actor.display_name, actor.updated_at = value, utc_now()
    session.commit()
    return actor
