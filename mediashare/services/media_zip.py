"""Downloading chosen originals as one ZIP, streamed: built chunk by chunk, never whole in memory.

The browser gets a short-lived token bound to the viewer and the ids (`sign`); the route checks it
(`verify`), then `entries` authorizes every id again against the current rows (the owner, or
someone who can manage the owner; trashed items are left out) and `stream` writes the ZIP
through `zipfile` into a small buffer that is emptied after every chunk.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session

from mediashare.errors import InvalidToken, NotFound
from mediashare.models import MediaStatus, User
from mediashare.services import gallery, ingest
from mediashare.settings import get_settings

TTL_SECONDS = 15 * 60
CHUNK = 256 * 1024
_SALT = "mediashare.media-zip"


@dataclass(frozen=True)
class Entry:
    name: str  # inside the ZIP: safe and unique
    path: Path


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret(), salt=_SALT)


def sign(*, viewer_id: int, ids: Sequence[int]) -> str:
    return _serializer().dumps([viewer_id, gallery.clean_ids(list(ids))])


def verify(token: str, *, max_age: int = TTL_SECONDS) -> tuple[int, list[int]]:
    """(viewer id, media ids) from `token`; raises InvalidToken."""
    if not isinstance(token, str) or not token or len(token) > 8192:
        raise InvalidToken("This download link is not valid.")
    try:
        viewer_id, ids = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise InvalidToken("This download link has expired. Choose the items again.") from None
    except (BadSignature, ValueError, TypeError):
        raise InvalidToken("This download link is not valid.") from None
    if not isinstance(viewer_id, int) or not isinstance(ids, list):
        raise InvalidToken("This download link is not valid.")
    return viewer_id, gallery.clean_ids(ids)


def safe_names(names: Sequence[str]) -> list[str]:
    """Display names without folders or control characters, made unique ("a (2).jpg")."""
    taken: set[str] = set()
    result = []
    for raw in names:
        name = ingest.display_name(raw).replace("/", "_").lstrip(".") or "unnamed"
        stem, ext = os.path.splitext(name)
        candidate, n = name, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem} ({n}){ext}"
        taken.add(candidate.lower())
        result.append(candidate)
    return result


def entries(session: Session, *, viewer_id: int, ids: Sequence[int]) -> list[Entry]:
    """What goes in the ZIP; NotFound when the viewer may not have every one of `ids`."""
    viewer = session.get(User, viewer_id)
    if viewer is None or not viewer.is_active:
        raise NotFound("Some of those items do not exist.")
    items = gallery.authorized_items(session, actor=viewer, ids=ids)
    items = [item for item in items if item.trashed_at is None and item.status is not MediaStatus.PENDING]
    store = ingest.storage()
    names = safe_names([item.original_filename for item in items])
    return [Entry(name=name, path=store.path(item.storage_key)) for name, item in zip(names, items, strict=True)]


class _Buffer:
    """A write-only, unseekable sink that hands its bytes over and forgets them."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._written = 0

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self._written += len(data)
        return len(data)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def stream(files: Sequence[Entry]) -> Iterator[bytes]:
    """The ZIP of `files` (stored, not compressed: media is compressed already), chunk by chunk."""
    sink = _Buffer()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:  # type: ignore[arg-type]
        for entry in files:
            info = zipfile.ZipInfo.from_file(entry.path, arcname=entry.name)
            info.compress_type = zipfile.ZIP_STORED
            with entry.path.open("rb") as source, archive.open(info, mode="w", force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.take()
            yield sink.take()
    yield sink.take()
