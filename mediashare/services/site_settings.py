"""The superuser settings page (/admin/settings): which platform settings it shows, grouped in
sections, how the text typed for each becomes a value (or a sentence saying why not), and the
"send test email" button.

Every change goes through `platform.set_value` (or the owning service's setter, which calls it), so
it is audited (secrets as "set"/"empty" only) and read again on the next use: nothing needs a restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from sqlmodel import Session

from mediashare.errors import ValidationFailed
from mediashare.models import Role, User
from mediashare.services import access, branding, email, photo_map, platform, transcode
from mediashare.settings import get_settings

SECTIONS = ("general", "accounts", "email", "media")
SITE_NAME_MAX = 60
BANNER_MAX = 300
MAX_STARTING_CREDITS = 1_000_000
_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                   r"[A-Za-z0-9])?)*$")
_ADDRESS = re.compile(r"^[^@\s<>\"]{1,64}@[A-Za-z0-9.-]{1,253}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Field:
    """One setting as the page shows it. `kind`: text, textarea, number, password (text fields, saved
    with their section's form), switch, choice or quality (saved as soon as they change)."""

    key: str
    section: str
    label: str
    kind: str
    help: str = ""
    choices: tuple[str, ...] = ()
    scale: int = 1  # a number shown in larger units (minutes for seconds, MB for bytes)
    optional: bool = False  # a number left empty stores 0: "use the default shown in the help"

    @property
    def is_text(self) -> bool:
        return self.kind in ("text", "textarea", "number", "password")


FIELDS: tuple[Field, ...] = (
    Field("site_name", "general", "Site name", "text",
          "Shown in the top bar and in the name and subject of emails (resellers' own branding still wins)."),
    Field("maintenance_banner", "general", "Maintenance banner", "textarea",
          "Shown at the top of every page, to everyone, while it has text. Empty: no banner."),
    Field("registration_open", "accounts", "Anyone can create an account", "switch"),
    Field("require_verified_email", "accounts", "Confirmed email address needed to upload", "switch",
          "Accounts can still sign in (to confirm or ask for a new link), but uploads wait for the confirmation."),
    Field("signup_role", "accounts", "Role of new sign-ups", "choice",
          "Sign-ups through a reseller's link or referral are always that reseller's users.",
          choices=(Role.USER.value, Role.RESELLER.value)),
    Field("signup_credits", "accounts", "Starting credits for new sign-ups", "number",
          "Minted once per new account through the credit ledger. 0: none."),
    Field("lockout_threshold", "accounts", "Failed sign-ins before an account locks", "number", optional=True),
    Field("lockout_minutes", "accounts", "Minutes an account stays locked", "number", optional=True),
    Field("require_2fa_for_superusers", "accounts", "Superusers must use two-factor authentication", "switch"),
    Field("require_2fa_for_admins", "accounts", "Admins must use two-factor authentication", "switch"),
    Field("require_2fa_for_resellers", "accounts", "Resellers must use two-factor authentication", "switch"),
    Field("smtp_host", "email", "SMTP server", "text",
          "With a server here, email goes through these settings instead of the SMTP_* variables. "
          "Empty: the SMTP_* variables."),
    Field("smtp_port", "email", "Port", "number", "Empty: 587.", optional=True),
    Field("smtp_security", "email", "Security", "choice", choices=("starttls", "ssl", "none")),
    Field("smtp_username", "email", "User name", "text", "Empty: no sign-in to the server."),
    Field("smtp_password", "email", "Password", "password", "Never shown again after saving. Empty: unchanged."),
    Field("smtp_from", "email", "Sender", "text", "Like MediaShare <no-reply@example.com>. Empty: SMTP_FROM."),
    Field("transcode_enabled", "media", "Make playable versions of videos browsers cannot play", "switch"),
    Field("transcode_extra_qualities", "media", "Also make smaller qualities", "quality",
          choices=transcode.EXTRA_QUALITIES),
    Field("transcode_max_duration_seconds", "media", "Longest video converted (minutes)", "number", scale=60),
    Field("transcode_max_source_pixels", "media", "Largest video picture converted (pixels)", "number"),
    Field("transcode_timeout_seconds", "media", "Time limit of one conversion (minutes)", "number", scale=60),
    Field("transcode_max_output_bytes", "media", "Largest playable version (MB)", "number", scale=1024**2),
    Field("transcode_threads", "media", "Threads one conversion may use", "number"),
    Field("map_tile_url", "media", "Map background tiles", "text",
          "An https URL with {z}, {x} and {y}, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png. "
          "Empty: the world outline only."),
    Field("face_suggestions", "media", "Suggest faces in people's photos (face detection)", "switch"),
)
BY_KEY = {f.key: f for f in FIELDS}
_NUMBER_RANGES: dict[str, tuple[int, int]] = {
    "signup_credits": (0, MAX_STARTING_CREDITS),
    "lockout_threshold": (1, 100),
    "lockout_minutes": (1, 7 * 24 * 60),
    "smtp_port": (1, 65535),
}


class SettingsInvalid(ValidationFailed):
    """One or more typed values were refused; `errors` maps each field to its sentence."""

    def __init__(self, errors: dict[str, str]) -> None:
        first = next(iter(errors))
        super().__init__(errors[first], field=first)
        self.errors = errors


@dataclass(frozen=True)
class Snapshot:
    """What the page shows: text of every text field, state of every switch and choice."""

    texts: dict[str, str]
    flags: dict[str, bool]
    choices: dict[str, str]
    secrets_set: dict[str, bool]
    hints: dict[str, str]  # where an empty optional number comes from ("5, from LOCKOUT_THRESHOLD")


def _require(actor: User) -> None:
    access.require_role(actor, Role.SUPERUSER)


def snapshot(session: Session, *, actor: User) -> Snapshot:
    """Every setting of the page as it is now (secrets only say whether they are set)."""
    _require(actor)
    texts: dict[str, str] = {}
    flags: dict[str, bool] = {}
    choices: dict[str, str] = {}
    secrets_set: dict[str, bool] = {}
    for f in FIELDS:
        value = platform.get(session, f.key)
        if f.kind == "switch":
            flags[f.key] = bool(value)
        elif f.kind == "quality":
            for label in f.choices:
                flags[f"{f.key}:{label}"] = label in value
        elif f.kind == "choice":
            choices[f.key] = str(value) if value in f.choices else f.choices[0]
        elif f.kind == "password":
            texts[f.key], secrets_set[f.key] = "", bool(value)
        elif f.kind == "number":
            texts[f.key] = "" if f.optional and not value else str(int(value) // f.scale)
        else:
            texts[f.key] = str(value)
    config = get_settings()
    hints = {"lockout_threshold": f"Empty: {config.lockout_threshold}, from LOCKOUT_THRESHOLD.",
             "lockout_minutes": f"Empty: {config.lockout_minutes}, from LOCKOUT_MINUTES."}
    return Snapshot(texts=texts, flags=flags, choices=choices, secrets_set=secrets_set, hints=hints)


def _whole_number(f: Field, raw: str) -> int:
    text = raw.strip().replace(",", "").replace("_", "")
    if not text:
        if f.optional:
            return 0
        raise ValidationFailed(f"{f.label}: enter a number.", field=f.key)
    if not text.isdigit() or len(text) > 15:
        raise ValidationFailed(f"{f.label}: enter a whole number, like 5 (you typed {raw.strip()[:20]!r}).",
                               field=f.key)
    number = int(text)
    if f.key in _NUMBER_RANGES:
        low, high = _NUMBER_RANGES[f.key]
    else:
        low, high, _ = transcode.LIMIT_RANGES[f.key]
        low, high = -(-low // f.scale), high // f.scale
    if not low <= number <= high:
        raise ValidationFailed(f"{f.label}: choose from {low:,} to {high:,}.", field=f.key)
    return number * f.scale


def _sender(raw: str) -> str:
    text = raw.strip()
    if not text:
        return ""
    name, address = parseaddr(text)
    if len(text) > 200 or _CONTROL.search(text) or not _ADDRESS.match(address):
        raise ValidationFailed("Sender: write an address like no-reply@example.com, or Name <no-reply@example.com>.",
                               field="smtp_from")
    return f"{name} <{address}>" if name else address


def clean(key: str, raw: object) -> Any:
    """The value typed for text field `key`, checked; else ValidationFailed with a sentence for the field."""
    f = BY_KEY.get(key)
    if f is None or not f.is_text:
        raise ValidationFailed(f"There is no setting called {key!r} on this page.", field="key")
    if not isinstance(raw, str):
        raise ValidationFailed(f"{f.label}: enter text.", field=key)
    if f.kind == "number":
        return _whole_number(f, raw)
    text = raw.strip()
    if key == "site_name":
        if not text or len(text) > SITE_NAME_MAX or _CONTROL.search(text):
            raise ValidationFailed(f"Site name: 1 to {SITE_NAME_MAX} characters on one line.", field=key)
        return text
    if key == "maintenance_banner":
        text = " ".join(text.split())  # one line, whatever was pasted
        if len(text) > BANNER_MAX:
            raise ValidationFailed(f"Maintenance banner: at most {BANNER_MAX} characters (this is {len(text)}).",
                                   field=key)
        return text
    if key == "smtp_host":
        if text and not _HOST.match(text):
            raise ValidationFailed("SMTP server: a host name like smtp.example.com, or an IP address.", field=key)
        return text
    if key == "smtp_username":
        if len(text) > 254 or _CONTROL.search(text):
            raise ValidationFailed("User name: at most 254 characters on one line.", field=key)
        return text
    if key == "smtp_password":
        if len(raw) > 500 or _CONTROL.search(raw):
            raise ValidationFailed("Password: at most 500 characters on one line.", field=key)
        return raw  # spaces can belong to a password
    if key == "smtp_from":
        return _sender(raw)
    if key == "map_tile_url":
        try:
            return photo_map.clean_tile_url(text)
        except ValidationFailed as error:
            raise ValidationFailed(str(error), field=key) from None
    raise ValidationFailed(f"There is no setting called {key!r} on this page.", field="key")  # pragma: no cover


def _store(session: Session, *, actor: User, key: str, value: Any) -> None:
    if key in transcode.LIMIT_RANGES:
        transcode.set_limit(session, actor=actor, key=key, value=value)
    elif key == "map_tile_url":
        photo_map.set_tile_url(session, actor=actor, value=value)
    else:
        platform.set_value(session, actor=actor, key=key, value=value)


def save_section(session: Session, *, actor: User, section: str, form: dict[str, object]) -> list[str]:
    """Check every text field of `section` typed in `form`, then store the ones that changed (each
    audited). Nothing is stored when any is refused: SettingsInvalid names each. An empty password
    keeps the one stored. Returns the keys changed."""
    _require(actor)
    if section not in SECTIONS:
        raise ValidationFailed("There is no such section.", field="section")
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in FIELDS:
        if f.section != section or not f.is_text or f.key not in form:
            continue
        if f.kind == "password" and form[f.key] == "":
            continue
        try:
            cleaned[f.key] = clean(f.key, form[f.key])
        except ValidationFailed as error:
            errors[f.key] = str(error)
    if errors:
        raise SettingsInvalid(errors)
    changed = [key for key, value in cleaned.items() if platform.get(session, key) != value]
    for key in changed:
        _store(session, actor=actor, key=key, value=cleaned[key])
    return changed


def set_switch(session: Session, *, actor: User, key: str, on: object) -> bool:
    """Turn switch `key` on or off (audited)."""
    _require(actor)
    f = BY_KEY.get(key)
    if f is None or f.kind != "switch":
        raise ValidationFailed("There is no such switch on this page.", field="key")
    if not isinstance(on, bool):
        raise ValidationFailed("Choose on or off.", field=key)
    platform.set_value(session, actor=actor, key=key, value=on)
    return on


def set_choice(session: Session, *, actor: User, key: str, value: object) -> str:
    """Pick one of choice `key`'s options (audited)."""
    _require(actor)
    f = BY_KEY.get(key)
    if f is None or f.kind != "choice":
        raise ValidationFailed("There is no such choice on this page.", field="key")
    if value not in f.choices:
        raise ValidationFailed(f"{f.label}: choose {' or '.join(f.choices)}.", field=key)
    platform.set_value(session, actor=actor, key=key, value=str(value))
    return str(value)


def set_quality(session: Session, *, actor: User, label: object, on: object) -> list[str]:
    """Add or remove one extra video quality (audited through services/transcode.py)."""
    _require(actor)
    if label not in transcode.EXTRA_QUALITIES or not isinstance(on, bool):
        raise ValidationFailed(f"Choose among {', '.join(transcode.EXTRA_QUALITIES)}.",
                               field="transcode_extra_qualities")
    chosen = set(transcode.extra_qualities(session))
    chosen = chosen | {label} if on else chosen - {label}
    return transcode.set_extra_qualities(session, actor=actor, labels=sorted(chosen))


def clear_secret(session: Session, *, actor: User, key: str) -> None:
    """Forget a stored secret (the SMTP password); audited as "set" → "empty"."""
    _require(actor)
    f = BY_KEY.get(key)
    if f is None or f.kind != "password":
        raise ValidationFailed("There is no such secret on this page.", field="key")
    platform.set_value(session, actor=actor, key=key, value="")


@dataclass(frozen=True)
class ProfileRow:
    """How one playable version of videos is made, as the page shows it."""

    label: str
    max_height: str
    crf: str
    preset: str
    audio_kbps: str


PROFILE_NUMBERS = (("max_height", "Maximum height"), ("crf", "Quality (CRF)"), ("audio_kbps", "Audio bitrate"))


def profiles(session: Session, *, actor: User) -> list[ProfileRow]:
    """The profile of every playable version (services/transcode.py; defaults where never changed)."""
    _require(actor)
    return [ProfileRow(label=label, max_height=str(p.max_height), crf=str(p.crf), preset=p.preset,
                       audio_kbps=str(p.audio_kbps)) for label, p in transcode.profiles(session).items()]


def save_profile(session: Session, *, actor: User, label: str, form: dict[str, object]) -> None:
    """Change how playable version `label` is made from the typed numbers and the chosen preset
    (checked and audited by transcode.set_profile)."""
    _require(actor)
    numbers: dict[str, int] = {}
    for name, what in PROFILE_NUMBERS:
        text = str(form.get(name, "")).strip()
        if not text.isdigit() or len(text) > 6:
            raise ValidationFailed(f"{what} of {label}: enter a whole number.", field=name)
        numbers[name] = int(text)
    transcode.set_profile(session, actor=actor, label=label, preset=form.get("preset"), **numbers)


def banner(session: Session) -> str:
    """The maintenance banner everyone sees, or "" for none."""
    return str(platform.get(session, "maintenance_banner")).strip()


class TestEmailFailed(ValidationFailed):
    """The test email did not go out; the sentence includes the mail server's answer."""


def send_test_email(session: Session, *, actor: User) -> str:
    """Send a test message to the actor's own address through the mail server in use now (the
    settings page's, else SMTP_*) and say where it went. Raises TestEmailFailed with the server's
    answer (refused sign-in, unknown host, …)."""
    _require(actor)
    config = email.smtp_config(session)
    message = email.render("test_message", to=actor.email, brand=branding.platform_brand(session))
    try:
        path = email.send(message, smtp=config)
    except email.EmailFailed as error:
        raise TestEmailFailed(
            f"The test email to {actor.email} was not sent: {error.detail} "
            f"(server {config.host}:{config.port}, {config.security}, from the "
            f"{'settings page' if config.source == 'settings' else 'SMTP_* variables'}).", field="smtp_host"
        ) from None
    if path is not None:
        return f"No mail server is set, so the test email was written to {path} on the server."
    return f"Test email sent to {actor.email} through {config.host}:{config.port}."
