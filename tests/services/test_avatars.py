"""Profile pictures: real decoding, specific refusals, a small square re-encoded copy."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session

from mediashare.errors import NotFound, ValidationFailed
from mediashare.services import auth, avatars
from tests.factories import make_user

CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")


def picture(fmt: str = "JPEG", size: tuple[int, int] = (800, 600), mode: str = "RGB", **save: object) -> bytes:
    out = io.BytesIO()
    colour = (200, 80, 40, 128) if mode == "RGBA" else (200, 80, 40)
    Image.new("RGB" if mode == "P" else mode, size, colour).convert(mode).save(out, format=fmt, **save)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` × `height` pixels: what a decompression bomb looks like up front."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("fmt", "mode"), [("JPEG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB")])
def test_jpeg_png_and_webp_become_a_small_square_webp(
    session: Session, isolated_settings: Path, fmt: str, mode: str
) -> None:
    user = make_user(session)
    avatars.set_avatar(session, actor=user, upload=picture(fmt, mode=mode), client=CLIENT)
    data, version = avatars.read(session, viewer=user, user_id=user.id)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "WEBP" and stored.size == (avatars.SIZE, avatars.SIZE)
    assert version and user.avatar_key.startswith(version)
    assert list((isolated_settings / "media" / "derived").rglob(user.avatar_key))


def test_nothing_from_the_upload_but_the_pixels_is_kept(session: Session) -> None:
    user = make_user(session)
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    upload = picture("JPEG", exif=exif.tobytes()) + b"<script>alert(1)</script>"
    avatars.set_avatar(session, actor=user, upload=upload, client=CLIENT)
    data, _ = avatars.read(session, viewer=user, user_id=user.id)
    assert b"Secret Camera" not in data and b"<script>" not in data


def test_a_new_picture_replaces_and_deletes_the_old_one(session: Session, isolated_settings: Path) -> None:
    user = make_user(session)
    avatars.set_avatar(session, actor=user, upload=picture(), client=CLIENT)
    first = user.avatar_key
    avatars.set_avatar(session, actor=user, upload=picture("PNG"), client=CLIENT)
    assert user.avatar_key != first
    assert not list((isolated_settings / "media").rglob(first))
    avatars.remove_avatar(session, actor=user, client=CLIENT)
    with pytest.raises(NotFound):
        avatars.read(session, viewer=user, user_id=user.id)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"%PDF-1.7 this is a document, not a picture", "not a picture we can use"),
        (b"", "This file is empty"),
        (picture("GIF", mode="P"), "not a picture we can use"),
        (picture("BMP"), "not a picture we can use"),
        (b"\0" * (avatars.MAX_BYTES + 1), r"This file is 5\.1 MB; the limit for a profile picture is 5 MB\."),
        (png_header_only(10_000, 10_000), r"This image is 10,000 × 10,000 pixels; the limit is 50 megapixels\."),
        (png_header_only(60_000, 60_000), "too many pixels; the limit is 50 megapixels"),
        (picture("JPEG")[:2000], "damaged or incomplete"),
    ],
    ids=["pdf", "empty", "gif", "bmp", "oversize", "pixel-bomb", "huge-pixel-bomb", "truncated"],
)
def test_unusable_files_are_refused_with_a_specific_sentence_and_nothing_changes(
    session: Session, isolated_settings: Path, upload: bytes, message: str
) -> None:
    user = make_user(session)
    with pytest.raises(ValidationFailed, match=message) as caught:
        avatars.set_avatar(session, actor=user, upload=upload, client=CLIENT)
    assert caught.value.field == "avatar"
    session.refresh(user)
    assert user.avatar_key is None
    assert not list((isolated_settings / "media").rglob("*.webp"))


def test_a_deactivated_accounts_picture_is_not_served(session: Session) -> None:
    user = make_user(session)
    viewer = make_user(session)
    avatars.set_avatar(session, actor=user, upload=picture(), client=CLIENT)
    assert avatars.read(session, viewer=viewer, user_id=user.id)[0]
    user.is_active = False
    session.commit()
    with pytest.raises(NotFound):
        avatars.read(session, viewer=viewer, user_id=user.id)
