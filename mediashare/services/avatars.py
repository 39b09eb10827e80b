"""Profile pictures: checked by really decoding them, re-encoded as a small square WebP, stored
under MEDIA_ROOT's "derived" area, and served only by our own route to signed-in people.

The upload itself is never kept: only our re-encoded thumbnail is, so nothing a browser sent us
(metadata, trailing bytes, a polyglot file) is ever served back.
"""

from __future__ import annotations

import io
import logging
import math
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlmodel import Session

from mediashare.errors import NotFound, ValidationFailed
from mediashare.models import AuditAction, User, utc_now
from mediashare.services import audit
from mediashare.services.auth import Client
from mediashare.settings import get_settings
from mediashare.storage import LocalStorage, StorageError

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50-megapixel photo decodes to ~150 MB; anything bigger is refused unread
SIZE = 256  # the stored avatar is SIZE × SIZE pixels
FORMATS = ("JPEG", "PNG", "WEBP")
AREA = "derived"
MEDIA_TYPE = "image/webp"
_SUFFIX = ".webp"


def _megabytes(size: int) -> str:
    """Rounded up to a tenth, so a file just over the limit never reads as equal to it."""
    tenths = math.ceil(size * 10 / (1024 * 1024))
    return f"{tenths / 10:.1f}".removesuffix(".0") + " MB"


def check_size(size: int) -> None:
    """Refuse a file over MAX_BYTES (callers check before reading it all) or an empty one."""
    if size > MAX_BYTES:
        raise ValidationFailed(
            f"This file is {_megabytes(size)}; the limit for a profile picture is {_megabytes(MAX_BYTES)}.",
            field="avatar",
        )
    if size == 0:
        raise ValidationFailed("This file is empty. Choose a JPEG, PNG or WebP picture.", field="avatar")


def thumbnail(data: bytes) -> bytes:
    """A SIZE × SIZE WebP of the centre of the picture in `data`, upright per its EXIF orientation.
    Raises ValidationFailed naming what is wrong (not an image, an unsupported format, too many
    pixels, damaged). CPU-bound: call it from a worker thread."""
    check_size(len(data))
    not_an_image = ValidationFailed("This file is not a picture we can use. Choose a JPEG, PNG or WebP image.",
                                    field="avatar")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # we apply our own, lower cap
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombError:
        raise ValidationFailed(
            f"This image has too many pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels.", field="avatar"
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise not_an_image from None
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ValidationFailed(
                f"This image is {width:,} × {height:,} pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels.",
                field="avatar",
            )
        if width < 1 or height < 1:
            raise not_an_image
        try:
            if image.format == "JPEG":
                image.draft("RGB", (SIZE * 2, SIZE * 2))  # let the decoder scale down large photos cheaply
            image.load()
            picture = ImageOps.exif_transpose(image)
            has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
            picture = picture.convert("RGBA" if has_alpha else "RGB")
            square = ImageOps.fit(picture, (SIZE, SIZE), method=Image.Resampling.LANCZOS)
            out = io.BytesIO()
            square.save(out, format="WEBP", quality=85, method=4)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise ValidationFailed(
                "This picture is damaged or incomplete, so it could not be read. Try another file.", field="avatar"
            ) from None
    return out.getvalue()


def _storage() -> LocalStorage:
    return LocalStorage(get_settings().resolved_media_root)


def set_avatar(session: Session, *, actor: User, upload: bytes, client: Client) -> User:
    """Make the picture in `upload` `actor`'s avatar, replacing any earlier one. Raises
    ValidationFailed (see `thumbnail`). CPU-bound: call it from a worker thread."""
    picture = thumbnail(upload)
    storage = _storage()
    key = storage.put(io.BytesIO(picture), area=AREA, suffix=_SUFFIX)
    old = actor.avatar_key
    try:
        actor.avatar_key, actor.updated_at = key, utc_now()
        audit.record(session, action=AuditAction.PROFILE_UPDATED, actor=actor, target=actor, ip=client.ip,
                     user_agent=client.user_agent, details={"avatar": "changed"})
        session.commit()
    except BaseException:
        storage.delete(key, area=AREA)
        raise
    if old:
        _forget(storage, old)
    return actor


def remove_avatar(session: Session, *, actor: User, client: Client) -> User:
    """Go back to initials; the stored picture is deleted."""
    old = actor.avatar_key
    if old is None:
        return actor
    actor.avatar_key, actor.updated_at = None, utc_now()
    audit.record(session, action=AuditAction.PROFILE_UPDATED, actor=actor, target=actor, ip=client.ip,
                 user_agent=client.user_agent, details={"avatar": "removed"})
    session.commit()
    _forget(_storage(), old)
    return actor


def _forget(storage: LocalStorage, key: str) -> None:
    try:
        storage.delete(key, area=AREA)
    except (StorageError, OSError) as error:  # an orphaned file is harmless; the pointer is gone
        log.warning("Could not delete old avatar %s: %s", key, error)


def read(session: Session, *, viewer: User, user_id: int) -> tuple[bytes, str]:
    """The avatar of account `user_id` and its version tag, for a signed-in `viewer`. Raises NotFound."""
    del viewer  # any signed-in person may see avatars: they appear next to names across the app
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.avatar_key is None:
        raise NotFound("This person has no profile picture.")
    try:
        with _storage().open(user.avatar_key, area=AREA) as handle:
            return handle.read(), user.avatar_key.removesuffix(_SUFFIX)
    except (StorageError, OSError):
        log.error("Avatar file %s of account %s is missing", user.avatar_key, user.id)
        raise NotFound("This person has no profile picture.") from None
