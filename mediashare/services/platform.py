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
    secret: bool = False  # never shown back, never written into the audit log (API keys)


DEFINITIONS: dict[str, Definition] = {
    # General (services/site_settings.py edits these on /admin/settings)
    "site_name": Definition("MediaShare", str, "Site name"),
    "maintenance_banner": Definition("", str, "Maintenance banner"),
    # Accounts
    "registration_open": Definition(True, bool, "Anyone can create an account"),
    "require_verified_email": Definition(False, bool, "Accounts must confirm their email address before uploading"),
    "signup_role": Definition("user", str, "Role of new sign-ups"),
    "signup_credits": Definition(0, int, "Starting credits for new sign-ups"),
    # 0: the environment's LOCKOUT_THRESHOLD / LOCKOUT_MINUTES (services/auth.py lockout_policy)
    "lockout_threshold": Definition(0, int, "Failed sign-ins before an account locks"),
    "lockout_minutes": Definition(0, int, "Minutes an account stays locked"),
    "require_2fa_for_superusers": Definition(False, bool, "Superusers must use two-factor authentication"),
    "require_2fa_for_admins": Definition(False, bool, "Admins must use two-factor authentication"),
    "require_2fa_for_resellers": Definition(False, bool, "Resellers must use two-factor authentication"),
    # Outgoing email (services/email.py smtp_config): with smtp_host set these replace the SMTP_* variables
    "smtp_host": Definition("", str, "SMTP server"),
    "smtp_port": Definition(0, int, "SMTP port"),
    "smtp_security": Definition("", str, "SMTP security"),
    "smtp_username": Definition("", str, "SMTP user name"),
    "smtp_password": Definition("", str, "SMTP password", secret=True),
    "smtp_from": Definition("", str, "Sender address"),
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
    # services/catalog.py: how long one paid play of a catalog entry lasts
    "catalog_play_window_hours": Definition(48, int, "Hours a paid catalog play window stays open",
                                            editor=Role.ADMIN),
    # Video transcoding (services/transcode.py, jobs/transcode.py)
    "transcode_enabled": Definition(True, bool, "Make playable versions of videos browsers cannot play",
                                    editor=Role.ADMIN),
    "transcode_extra_qualities": Definition([], list, "Smaller qualities to make as well (\"720p\", \"480p\")",
                                            editor=Role.ADMIN),
    # label -> {max_height, crf, preset, audio_kbps}; read, validated and edited through services/transcode.py
    "transcode_profiles": Definition({}, dict, "How each playable version is made", editor=Role.ADMIN),
    "transcode_max_duration_seconds": Definition(3 * 3600, int, "Longest video converted (seconds)",
                                                 editor=Role.ADMIN),
    "transcode_max_source_pixels": Definition(4096 * 2304, int, "Largest video picture converted (pixels)",
                                              editor=Role.ADMIN),
    "transcode_timeout_seconds": Definition(3 * 3600, int, "Time limit of one conversion (seconds)",
                                            editor=Role.ADMIN),
    "transcode_max_output_bytes": Definition(4 * 1024**3, int, "Largest playable version (bytes)",
                                             editor=Role.ADMIN),
    "transcode_threads": Definition(2, int, "Threads one conversion may use", editor=Role.ADMIN),
    # read by services/photo_map.py: an https tile server ({z}/{x}/{y}) drawn under the world outline
    "map_tile_url": Definition("", str, "Map background tiles (an https URL with {z}, {x} and {y}; empty: "
                               "the world outline only)", editor=Role.ADMIN),
    # services/people.py: off, no face is detected or suggested for anyone (tags stay)
    "face_suggestions": Definition(True, bool, "Suggest faces in people's photos (face detection)",
                                   editor=Role.ADMIN),
    # Metadata providers (services/catalog_metadata): keys, order and on/off, extra fetchable hosts.
    "tmdb_api_key": Definition("", str, "TMDB API key (v3 key or v4 read access token)", editor=Role.ADMIN,
                               secret=True),
    "omdb_api_key": Definition("", str, "OMDb API key", editor=Role.ADMIN, secret=True),
    # [{"name": "tmdb", "enabled": true}, …] in the order results are preferred
    "metadata_providers": Definition([], list, "Metadata providers, in order", editor=Role.ADMIN),
    # host names (besides the providers' own) that imports may download from, e.g. an image CDN
    "fetch_allowed_hosts": Definition([], list, "Extra hosts metadata imports may fetch from", editor=Role.ADMIN),
    "metadata_certification_country": Definition("US", str, "Country whose age ratings imports use",
                                                 editor=Role.ADMIN),
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
    if definition.secret:  # say that it changed, never what it is
        old, value_shown = ("set" if old else "empty"), ("set" if value else "empty")
    else:
        value_shown = value
    audit.record(session, action=AuditAction.SETTING_CHANGED, actor=actor,
                 details={"key": key, "from": old, "to": value_shown})
    session.commit()
