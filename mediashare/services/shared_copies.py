"""Copies of videos and audio without metadata, for share links.

A shared video or audio file is never sent as it is: its container can hold where it was made
(an ISO 6709 `location` / ©xyz atom), the device, dates, titles and comments. What a link sends is
a remux of the original (the same streams, not re-encoded) without any of that
(`imaging.transcoder.strip_metadata`), stored as a derivative (area "derived") under a key derived
from the original's key. It is made on the first request for it, or ahead of time by a job when
the link is created (`jobs.shares.prepare_copies`); writes are atomic (a temporary file renamed
into place), so two makers at once both end with the same complete file, and a missing copy is
made again. The copy goes with its item (`gallery.delete_items`), and the reconciler keeps the
copies of existing items (`all_keys`). The owner's own routes keep serving the original.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sqlmodel import Session, col, select

from mediashare.errors import NotFound
from mediashare.imaging import transcoder
from mediashare.models import MediaItem, MediaKind
from mediashare.services import ingest

REMUX_TIMEOUT_SECONDS = 600.0
UNAVAILABLE = "This file could not be prepared for sharing; the person who shared it can try uploading it again."
_TEMPORARY = ".tmp-"  # storage's prefix for files being written (the reconciler clears leftovers)


def needs_copy(item: MediaItem) -> bool:
    """Whether a link serves `item` through a metadata-free copy made here (videos and audio)."""
    return item.kind in (MediaKind.VIDEO, MediaKind.AUDIO)


def key_of(storage_key: str, extension: str) -> str | None:
    """The derived key of the copy of the original stored under `storage_key`, or None when files
    with `extension` cannot be copied."""
    if extension not in transcoder.REMUX_FORMATS:
        return None
    return hashlib.sha256(f"share-av:{storage_key}".encode()).hexdigest()[:32] + f".{extension}"


def ensure(item: MediaItem) -> Path:
    """The path of `item`'s copy without metadata, made now if it is missing; NotFound (with a
    sentence) when it cannot be made. Never returns the original."""
    key = key_of(item.storage_key, item.extension) if needs_copy(item) else None
    if key is None:
        raise NotFound(UNAVAILABLE)
    store = ingest.storage()
    path = store.path(key, area="derived")
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f"{_TEMPORARY}{os.urandom(8).hex()}.{item.extension}"
    try:
        transcoder.strip_metadata(store.path(item.storage_key), temporary, item.extension,
                                  timeout_seconds=REMUX_TIMEOUT_SECONDS)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except transcoder.TranscodeError:
        raise NotFound(UNAVAILABLE) from None
    finally:
        temporary.unlink(missing_ok=True)
    return path


def keys_of_items(items: list[MediaItem]) -> list[str]:
    """The copies of these items (deleted with them)."""
    keys = (key_of(item.storage_key, item.extension) for item in items if needs_copy(item))
    return [key for key in keys if key]


def all_keys(session: Session) -> set[str]:
    """The copies every existing video and audio item may have (the reconciler keeps them)."""
    rows = session.exec(select(MediaItem.storage_key, MediaItem.extension)
                        .where(col(MediaItem.kind).in_((MediaKind.VIDEO, MediaKind.AUDIO)))).all()
    keys = (key_of(storage_key, extension) for storage_key, extension in rows)
    return {key for key in keys if key}
