"""White-label branding: each reseller's link slug, name, logo, colors, welcome text and support
email, and which branding any account sees (the nearest reseller above it that has one, itself
included, else the platform's own).

Colors are checked for contrast with WCAG 2 relative luminance: the text on the primary color (white
or near-black, whichever reads better) needs 4.5:1, the accent against the page 3:1. A logo is
checked like any uploaded image (services/inspection.py: extension, sniffed content, markup, pixel
count, a real decode) and only our re-encoded PNG (at most LOGO_SIZE px, no metadata) is kept and
served, from our own route (api/branding.py) under a URL versioned by its content hash.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from PIL import Image, ImageOps
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from mediashare import routes
from mediashare.errors import NotFound, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, Branding, Role, User, utc_now
from mediashare.services import access, audit, inspection, platform
from mediashare.services.users import normalize_email
from mediashare.settings import get_settings
from mediashare.storage import LocalStorage, StorageError

if TYPE_CHECKING:  # auth sends email, and email is branded: only the type is needed here
    from mediashare.services.auth import Client

log = logging.getLogger(__name__)

PLATFORM_NAME = "MediaShare"
DEFAULT_PRIMARY = "#3e63dd"  # the theme's indigo
DEFAULT_ACCENT = "#3e63dd"
PAGE_BACKGROUND = "#ffffff"
LIGHT_TEXT = "#ffffff"
DARK_TEXT = "#1c2024"  # the app's near-black
MIN_TEXT_CONTRAST = 4.5
MIN_ACCENT_CONTRAST = 3.0

SLUG_MIN, SLUG_MAX = 3, 40
NAME_MAX = 80
WELCOME_MAX = 500
RESERVED_SLUGS = frozenset({
    "admin", "administrator", "api", "app", "assets", "auth", "branding", "credits", "customers", "gallery",
    "help", "login", "logout", "mail", "media", "mediashare", "null", "official", "r", "referrals",
    "referred", "register", "reset-password", "root", "security", "settings", "signin", "signup",
    "static", "studio", "superuser", "support", "system", "undefined", "upload", "verify-email", "www",
})
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_COLOR = re.compile(r"#[0-9a-f]{6}")

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 40_000_000
LOGO_SIZE = 512  # the stored logo fits in LOGO_SIZE × LOGO_SIZE, aspect kept
LOGO_TYPES = {ext: inspection.Kind.IMAGE for ext in ("png", "jpg", "jpeg", "webp")}
LOGO_MEDIA_TYPE = "image/png"
AREA = "derived"
_SUFFIX = ".png"
_MAX_DEPTH = 64


class BrandingInvalid(ValidationFailed):
    """One or more fields were refused; `errors` maps each field to its sentence."""

    def __init__(self, errors: dict[str, str]) -> None:
        first = next(iter(errors))
        super().__init__(errors[first], field=first)
        self.errors = errors


@dataclass(frozen=True)
class Brand:
    """What a person sees: the effective branding (a reseller's, or the platform's own)."""

    name: str = PLATFORM_NAME
    primary: str = DEFAULT_PRIMARY
    accent: str = DEFAULT_ACCENT
    on_primary: str = LIGHT_TEXT  # text color on the primary color
    logo_url: str = ""  # our versioned route, "" for none
    welcome: str = ""
    support_email: str = ""
    slug: str = ""
    reseller_id: int | None = None

    @property
    def is_default(self) -> bool:
        return self.reseller_id is None

    def absolute_logo_url(self) -> str:
        return get_settings().public_url + self.logo_url if self.logo_url else ""


DEFAULT = Brand()


# --- colors ---------------------------------------------------------------------------------------

def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """WCAG 2 relative luminance of "#rrggbb"."""
    red, green, blue = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two "#rrggbb" colors, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(color: str) -> str:
    """White or near-black, whichever has the better contrast on `color`."""
    return LIGHT_TEXT if contrast(LIGHT_TEXT, color) >= contrast(DARK_TEXT, color) else DARK_TEXT


def normalize_color(value: object) -> str | None:
    """"#rrggbb" in lowercase, or None when `value` is not one."""
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    return value if _COLOR.fullmatch(value) else None


def color_errors(primary: object, accent: object) -> dict[str, str]:
    """Field → sentence for colors that are malformed or lack contrast ({} when both pass)."""
    errors: dict[str, str] = {}
    good_primary, good_accent = normalize_color(primary), normalize_color(accent)
    if good_primary is None:
        errors["primary_color"] = "Enter the primary color as #rrggbb, for example #3e63dd."
    else:
        text = text_on(good_primary)
        ratio = contrast(text, good_primary)
        if ratio < MIN_TEXT_CONTRAST:
            errors["primary_color"] = (
                f"Text on this primary color is hard to read: the best contrast (with "
                f"{'white' if text == LIGHT_TEXT else 'black'} text) is {ratio:.2f}:1; it needs at least "
                f"{MIN_TEXT_CONTRAST}:1. Choose a darker or lighter color."
            )
    if good_accent is None:
        errors["accent_color"] = "Enter the accent color as #rrggbb, for example #3e63dd."
    else:
        ratio = contrast(good_accent, PAGE_BACKGROUND)
        if ratio < MIN_ACCENT_CONTRAST:
            errors["accent_color"] = (
                f"This accent color stands out too little on the white page: its contrast is {ratio:.2f}:1; "
                f"it needs at least {MIN_ACCENT_CONTRAST:.0f}:1. Choose a darker color."
            )
    return errors


# --- slugs and fields -------------------------------------------------------------------------------

def normalize_slug(value: object) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def slug_error(slug: str) -> str | None:
    """Why `slug` (already normalized) cannot be a link, or None."""
    if not SLUG_MIN <= len(slug) <= SLUG_MAX:
        return f"Your link name needs {SLUG_MIN} to {SLUG_MAX} characters (this one has {len(slug)})."
    if not _SLUG.fullmatch(slug):
        return "Your link name may use only a–z, 0–9 and '-', and cannot start or end with '-'."
    if slug in RESERVED_SLUGS:
        return f"“{slug}” is reserved by the site. Choose another link name."
    return None


@dataclass(frozen=True)
class Fields:
    slug: str
    display_name: str
    primary_color: str
    accent_color: str
    welcome_text: str
    support_email: str


def check_fields(*, slug: object, display_name: object, primary_color: object, accent_color: object,
                 welcome_text: object, support_email: object) -> Fields:
    """The cleaned fields, or BrandingInvalid naming every field that was refused."""
    errors: dict[str, str] = {}
    clean_slug = normalize_slug(slug)
    if (problem := slug_error(clean_slug)) is not None:
        errors["slug"] = problem
    name = display_name.strip() if isinstance(display_name, str) else ""
    if not name:
        errors["display_name"] = "Enter the name your customers should see."
    elif len(name) > NAME_MAX or any(ord(ch) < 32 for ch in name):
        errors["display_name"] = f"The display name is one line of at most {NAME_MAX} characters."
    errors.update(color_errors(primary_color, accent_color))
    welcome = welcome_text.strip().replace("\r\n", "\n") if isinstance(welcome_text, str) else ""
    if len(welcome) > WELCOME_MAX:
        errors["welcome_text"] = f"The welcome text has {len(welcome)} characters; the limit is {WELCOME_MAX}."
    elif any(ord(ch) < 32 and ch not in "\n\t" for ch in welcome):
        errors["welcome_text"] = "The welcome text contains control characters. Type plain text."
    support = support_email.strip() if isinstance(support_email, str) else ""
    if support:
        try:
            support = normalize_email(support)
        except ValidationFailed as error:
            errors["support_email"] = str(error)
    if errors:
        raise BrandingInvalid(errors)
    return Fields(slug=clean_slug, display_name=name, primary_color=normalize_color(primary_color) or "",
                  accent_color=normalize_color(accent_color) or "", welcome_text=welcome, support_email=support)


# --- who edits which branding ----------------------------------------------------------------------

def _reseller_for(session: Session, *, actor: User, reseller_id: int | None) -> User:
    """The reseller whose branding `actor` edits: their own, or (admins, superusers) the one named."""
    if reseller_id is None or reseller_id == actor.id:
        if actor.role is not Role.RESELLER:
            raise PermissionDenied("Only reseller accounts have a branding of their own.")
        return actor
    access.require_role(actor, Role.ADMIN)
    target = session.get(User, reseller_id)
    if target is None or target.role is not Role.RESELLER:
        raise NotFound("There is no reseller account with that id.")
    access.require_can_manage(session, actor=actor, target=target)
    return target


def resellers(session: Session, *, actor: User, limit: int = 500) -> list[tuple[int, str, str]]:
    """(id, username, display name) of the active resellers whose branding `actor` (an admin or
    superuser) may edit, by username."""
    access.require_role(actor, Role.ADMIN)
    rows = session.exec(select(User).where(User.role == Role.RESELLER, User.is_active == True)  # noqa: E712
                        .order_by(User.username_key).limit(limit)).all()
    return [(row.id, row.username, row.name) for row in rows
            if row.id is not None and access.can_manage(session, actor=actor, target=row)]


def branding_of(session: Session, *, actor: User, reseller_id: int | None = None) -> Branding | None:
    """The branding `actor` may edit (their own, or a reseller's for admins), None before the first save."""
    reseller = _reseller_for(session, actor=actor, reseller_id=reseller_id)
    return session.exec(select(Branding).where(Branding.reseller_id == reseller.id)).first()


def save(session: Session, *, actor: User, client: Client, reseller_id: int | None = None, slug: object,
         display_name: object, primary_color: object, accent_color: object, welcome_text: object,
         support_email: object) -> Branding:
    """Create or update a reseller's branding; audited. Raises BrandingInvalid (every refused field),
    PermissionDenied, NotFound."""
    reseller = _reseller_for(session, actor=actor, reseller_id=reseller_id)
    fields = check_fields(slug=slug, display_name=display_name, primary_color=primary_color,
                          accent_color=accent_color, welcome_text=welcome_text, support_email=support_email)
    row = session.exec(select(Branding).where(Branding.reseller_id == reseller.id)).first()
    taken = session.exec(select(Branding.id).where(Branding.slug == fields.slug)).first()
    if taken is not None and (row is None or taken != row.id):
        raise BrandingInvalid({"slug": f"The link name “{fields.slug}” is taken. Choose another."})
    created = row is None
    before = {} if row is None else {name: getattr(row, name) for name in Fields.__dataclass_fields__}
    if row is None:
        row = Branding(reseller_id=reseller.id, **vars(fields))  # type: ignore[arg-type]
    else:
        for name, value in vars(fields).items():
            setattr(row, name, value)
        row.updated_at = utc_now()
    changed = {name: value for name, value in vars(fields).items() if before.get(name) != value}
    session.add(row)
    audit.record(session, action=AuditAction.BRANDING_CREATED if created else AuditAction.BRANDING_UPDATED,
                 actor=actor, target=reseller, ip=client.ip, user_agent=client.user_agent,
                 details={"changed": sorted(changed), "slug": fields.slug})
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise BrandingInvalid({"slug": f"The link name “{fields.slug}” was just taken. Choose another."}) from None
    session.refresh(row)
    return row


# --- the logo ---------------------------------------------------------------------------------------

def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def check_logo_size(size: int) -> None:
    """Refuse an upload over LOGO_MAX_BYTES before reading it all (or an empty one)."""
    if size > LOGO_MAX_BYTES:
        raise ValidationFailed(f"This file is {_megabytes(size)}; the limit for a logo is "
                               f"{_megabytes(LOGO_MAX_BYTES)}.", field="logo")
    if size == 0:
        raise ValidationFailed("This file is empty. Choose a PNG, JPEG or WebP picture.", field="logo")


def logo_png(data: bytes, *, filename: str) -> bytes:
    """Our own PNG of the picture in `data`: checked like any uploaded image, upright, at most
    LOGO_SIZE px on its longer side, transparency kept, metadata dropped. Raises ValidationFailed.
    CPU-bound: call it from a worker thread."""
    check_logo_size(len(data))
    name = Path(filename or "logo").name[:120] or "logo"
    with tempfile.TemporaryDirectory(prefix="mediashare-logo-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        try:
            inspection.inspect(path, filename=name, max_pixels=LOGO_MAX_PIXELS, allowed=LOGO_TYPES)
        except inspection.InvalidUpload as error:
            raise ValidationFailed(str(error), field="logo") from None
        try:
            with Image.open(path) as image:
                if image.format == "JPEG":
                    image.draft("RGB", (LOGO_SIZE * 2, LOGO_SIZE * 2))  # large photos decode scaled down
                picture = ImageOps.exif_transpose(image)
                has_alpha = picture.mode in ("RGBA", "LA", "PA", "P") or "transparency" in picture.info
                picture = picture.convert("RGBA" if has_alpha else "RGB")
                picture.thumbnail((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
                clean = Image.new(picture.mode, picture.size)  # pixels only: no EXIF, ICC, text chunks
                clean.paste(picture)
                out = io.BytesIO()
                clean.save(out, format="PNG", optimize=True)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise ValidationFailed(f"{name}: the image is damaged and cannot be read.", field="logo") from None
    return out.getvalue()


def _storage() -> LocalStorage:
    return LocalStorage(get_settings().resolved_media_root)


def set_logo(session: Session, *, actor: User, client: Client, upload: bytes, filename: str,
             reseller_id: int | None = None) -> Branding:
    """Make the picture in `upload` the branding's logo (save the branding first); audited.
    Raises ValidationFailed, PermissionDenied, NotFound. CPU-bound: call it from a worker thread."""
    reseller = _reseller_for(session, actor=actor, reseller_id=reseller_id)
    row = session.exec(select(Branding).where(Branding.reseller_id == reseller.id)).first()
    if row is None:
        raise ValidationFailed("Save your link name and colors first, then add a logo.", field="logo")
    picture = logo_png(upload, filename=filename)
    storage = _storage()
    key = storage.put(io.BytesIO(picture), area=AREA, suffix=_SUFFIX)
    old = row.logo_key
    try:
        row.logo_key, row.logo_hash = key, hashlib.sha256(picture).hexdigest()[:16]
        row.updated_at = utc_now()
        session.add(row)
        audit.record(session, action=AuditAction.BRANDING_UPDATED, actor=actor, target=reseller, ip=client.ip,
                     user_agent=client.user_agent, details={"changed": ["logo"], "slug": row.slug})
        session.commit()
    except BaseException:
        storage.delete(key, area=AREA)
        raise
    if old:
        _forget(storage, old)
    session.refresh(row)
    return row


def remove_logo(session: Session, *, actor: User, client: Client, reseller_id: int | None = None) -> Branding:
    """Back to the name alone; the stored logo is deleted. Audited."""
    reseller = _reseller_for(session, actor=actor, reseller_id=reseller_id)
    row = session.exec(select(Branding).where(Branding.reseller_id == reseller.id)).first()
    if row is None or row.logo_key is None:
        raise NotFound("There is no logo to remove.")
    old = row.logo_key
    row.logo_key, row.logo_hash, row.updated_at = None, None, utc_now()
    session.add(row)
    audit.record(session, action=AuditAction.BRANDING_UPDATED, actor=actor, target=reseller, ip=client.ip,
                 user_agent=client.user_agent, details={"changed": ["logo"], "slug": row.slug})
    session.commit()
    _forget(_storage(), old)
    session.refresh(row)
    return row


def _forget(storage: LocalStorage, key: str) -> None:
    try:
        storage.delete(key, area=AREA)
    except (StorageError, OSError) as error:  # an orphaned file is harmless; reconcile removes it
        log.warning("Could not delete old logo %s: %s", key, error)


def read_logo(session: Session, *, branding_id: int) -> tuple[bytes, str]:
    """The logo of branding `branding_id` and its content hash; public (login pages show it).
    Raises NotFound."""
    row = session.get(Branding, branding_id)
    if row is None or row.logo_key is None or row.logo_hash is None:
        raise NotFound("There is no such logo.")
    try:
        with _storage().open(row.logo_key, area=AREA) as handle:
            return handle.read(), row.logo_hash
    except (StorageError, OSError):
        log.error("Logo file %s of branding %s is missing", row.logo_key, row.id)
        raise NotFound("There is no such logo.") from None


def logo_keys(session: Session) -> set[str]:
    """Every stored logo key (reconcile keeps these files)."""
    return {key for key in session.exec(select(Branding.logo_key)).all() if key}


# --- what people see --------------------------------------------------------------------------------

def brand_of(row: Branding) -> Brand:
    """The view of one branding row."""
    return Brand(
        name=row.display_name,
        primary=row.primary_color,
        accent=row.accent_color,
        on_primary=text_on(row.primary_color),
        logo_url=routes.brand_logo_url(row.id, row.logo_hash) if row.id and row.logo_hash else "",
        welcome=row.welcome_text,
        support_email=row.support_email,
        slug=row.slug,
        reseller_id=row.reseller_id,
    )


def effective(session: Session, user: User | None) -> Brand:
    """The branding `user` sees: the nearest active reseller on the way up its parents (itself
    included) that has one, else the platform's own. One query (a recursive walk up the tree)."""
    if user is None or user.id is None:
        return platform_brand(session)
    users = User.__table__
    chain = (
        sa.select(users.c.id, users.c.parent_id, sa.literal(0).label("depth"))
        .where(users.c.id == user.id)
        .cte("chain", recursive=True)
    )
    parents = users.alias("parents")
    chain = chain.union_all(
        sa.select(parents.c.id, parents.c.parent_id, (chain.c.depth + 1).label("depth"))
        .where(parents.c.id == chain.c.parent_id, chain.c.depth < _MAX_DEPTH)
    )
    brandings = Branding.__table__
    query = (
        sa.select(brandings)
        .join(chain, chain.c.id == brandings.c.reseller_id)
        .join(users, users.c.id == brandings.c.reseller_id)
        .where(users.c.role == Role.RESELLER.value, users.c.is_active.is_(True))
        .order_by(chain.c.depth)
        .limit(1)
    )
    found = session.execute(query).mappings().first()
    return brand_of(Branding(**found)) if found is not None else platform_brand(session)


def platform_brand(session: Session) -> Brand:
    """The platform's own branding, named by the platform setting `site_name`."""
    name = str(platform.get(session, "site_name")).strip()
    return DEFAULT if name in ("", PLATFORM_NAME) else replace(DEFAULT, name=name)


def for_slug(session: Session, slug: object) -> Brand:
    """The branding behind the link /r/<slug> (its reseller must be an active reseller). Raises NotFound."""
    clean = normalize_slug(slug)
    missing = NotFound("We don't know this link. It may have been mistyped, or it is no longer in use.")
    if slug_error(clean) is not None:
        raise missing
    row = session.exec(select(Branding).where(Branding.slug == clean)).first()
    if row is None:
        raise missing
    owner = session.get(User, row.reseller_id)
    if owner is None or owner.role is not Role.RESELLER or not owner.is_active:
        raise missing
    return brand_of(row)


def reseller_for_slug(session: Session, slug: object) -> User | None:
    """The active reseller behind /r/<slug>, or None (sign-ups through an unknown link go to the default place)."""
    try:
        brand = for_slug(session, slug)
    except NotFound:
        return None
    return session.get(User, brand.reseller_id) if brand.reseller_id is not None else None
