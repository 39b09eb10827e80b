"""Platform settings: operator choices kept in the database, read on every use (no restart needed).

Each setting has a default and a type here; the database stores only the ones an operator changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from mediashare.errors import ValidationFailed
from mediashare.models import AuditAction, PlatformSetting, Role, User, utc_now
from mediashare.services import access, audit


@dataclass(frozen=True)
class Definition:
    default: Any
    kind: type
    label: str
    editor: Role = Role.SUPERUSER  # the least role that may change it


DEFINITIONS: dict[str, Definition] = {
    "registration_open": Definition(True, bool, "Anyone can create an account"),
    "require_2fa_for_superusers": Definition(False, bool, "Superusers must use two-factor authentication"),
    "default_storage_quota_bytes": Definition(10 * 1024**3, int, "Storage for each account unless set otherwise"),
    # action -> credits; read, validated and edited through services/credits.py
    "credit_prices": Definition({}, dict, "Credit prices", editor=Role.ADMIN),
    "referral_bonus_referrer": Definition(10, int, "Credits for the referrer when a referred account verifies",
                                          editor=Role.ADMIN),
    "referral_bonus_referee": Definition(10, int, "Credits for a referred account when it verifies its email",
                                         editor=Role.ADMIN),
    # ISO 4217 code of plan prices and top-up amounts (services/plans.py)
    "currency": Definition("EUR", str, "Currency of prices", editor=Role.ADMIN),
    # minor units (cents) one credit costs when bought through a top-up request (services/payments)
    "topup_credit_price_minor": Definition(10, int, "Price of one credit in a top-up (cents)", editor=Role.ADMIN),
    # read by services/reseller_stats.py: customers below it are listed on the reseller dashboard
    "low_balance_threshold": Definition(10, int, "Credits below which a reseller's customer counts as running low",
                                        editor=Role.ADMIN),
    "album_suggestion_gap_hours": Definition(36, int, "Suggested event albums: the longest gap (hours) between "
                                             "neighbouring photos of one event", editor=Role.ADMIN),
}


def get(session: Session, key: str) -> Any:
    """The current value of setting `key` (its default when never changed)."""
    definition = DEFINITIONS[key]
    row = session.get(PlatformSetting, key)
    if row is None or not isinstance(row.value, definition.kind):
        return definition.default
    return row.value


def set_value(session: Session, *, actor: User, key: str, value: Any) -> None:
    """Change a setting (superusers, or the setting's `editor` role), audited with the old and new value."""
    definition = DEFINITIONS.get(key)
    access.require_role(actor, definition.editor if definition is not None else Role.SUPERUSER)
    if definition is None:
        raise ValidationFailed(f"There is no setting called {key!r}.", field="key")
    if not isinstance(value, definition.kind) or (definition.kind is int and isinstance(value, bool)):
        raise ValidationFailed(f"{definition.label} needs a {definition.kind.__name__} value.", field=key)
    old = get(session, key)
    row = session.get(PlatformSetting, key)
    if row is None:
        row = PlatformSetting(key=key)
        session.add(row)
    row.value, row.updated_at, row.updated_by_id = value, utc_now(), actor.id
    audit.record(session, action=AuditAction.SETTING_CHANGED, actor=actor,
                 details={"key": key, "from": old, "to": value})
    session.commit()
