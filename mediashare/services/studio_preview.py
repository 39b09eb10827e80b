"""The studio's live preview: a small working copy of a photo per signed-in session, rendered with
the user's ops list on every change, and the JPEG bytes of the latest renders for our preview route.

Working copies (~1200 px on the long side, EXIF-oriented, decoded at a reduced JPEG DCT scale so a
12 MP photo opens in tens of milliseconds) live in a process-wide LRU bounded by bytes (`MAX_CACHE_BYTES`),
keyed by (session key, media id): the session key is the hash of our session cookie, so another
browser, or the same person signed in elsewhere, never shares an entry. Each entry holds the
imaging pipeline's `PreviewRenderer`, which caches stages so a tone-only change is cheap.

The cache is per process. In production Reflex runs several worker processes (with Redis): a tab's
websocket stays on one worker, where renders happen, but the browser's GET of the preview may land
on any worker. So rendered bytes are also written to Redis (short TTL) when it is configured, and the
route looks there when its own process does not have them. A working copy missing from this process
(evicted, or after a reconnect to another worker) is re-opened transparently by `render`, after
authorizing again; nothing is lost because the ops list lives in the tab's state.

Only the owner of an item may open it here; anyone else gets the same NotFound as everywhere else.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import redis
from PIL import Image
from sqlmodel import Session

from mediashare.errors import NotFound, ValidationFailed
from mediashare.imaging import ops as ops_module
from mediashare.imaging import pipeline
from mediashare.models import MediaItem, MediaKind, User
from mediashare.services import ingest, media
from mediashare.settings import get_settings

WORKING_LONG_SIDE = 1200
MAX_CACHE_BYTES = 200 * 1024 * 1024
KEEP_RENDERS = 3  # rendered previews kept per entry (the newest ones), besides the "before" image
REDIS_TTL_SECONDS = 15 * 60
JPEG_QUALITY = 80
STAGES = 4  # intermediate images the renderer keeps per photo (the latest geometry/restoration prefixes)
_STAGE_FACTOR = STAGES + 1  # an entry counts as this many working copies besides its own (+1: a render)



@dataclass(frozen=True)
class Opened:
    """What the editor needs to lay out a photo: sizes and the seq of the unedited ("before") preview."""

    media_id: int
    title: str
    original_size: tuple[int, int]  # (w, h) after EXIF orientation, at full resolution
    working_size: tuple[int, int]  # (w, h) of the working copy the preview is rendered from
    before_seq: int


@dataclass(frozen=True)
class Rendered:
    """One rendered preview: its sequence number (for the URL) and its pixel size."""

    seq: int
    size: tuple[int, int]  # (w, h)


@dataclass
class _Entry:
    owner_id: int
    original_size: tuple[int, int]
    working_size: tuple[int, int]
    renderer: pipeline.PreviewRenderer
    nbytes: int
    before_seq: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


_Key = tuple[str, int]
_entries: OrderedDict[_Key, _Entry] = OrderedDict()
_renders: dict[_Key, OrderedDict[int, tuple[bytes, tuple[int, int]]]] = {}
_cache_lock = threading.Lock()
# Unique across processes in practice (microseconds at start), increasing within one.
_sequence = itertools.count(time.time_ns() // 1000)


def _editable(session: Session, *, actor: User, media_id: int) -> MediaItem:
    """The photo, if `actor` owns it (not trashed, not pending); NotFound for anyone else."""
    item = media.viewable(session, actor=actor, media_id=media_id)
    if item.owner_id != actor.id:
        raise NotFound(media.NOT_FOUND)
    if item.kind is not MediaKind.IMAGE:
        raise ValidationFailed("Only photos can be edited in the studio.")
    return item


def _load_working(path: Path) -> tuple[np.ndarray, tuple[int, int]]:
    """The EXIF-upright RGB working copy (long side ≤ WORKING_LONG_SIDE) and the upright full size,
    decoded by the same code as the full-resolution render so the two agree."""
    try:
        return pipeline.load_oriented(path, max_side=WORKING_LONG_SIDE), pipeline.oriented_size(path)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationFailed("This photo cannot be opened in the studio.") from error


def _entry(session: Session, *, actor: User, session_key: str, media_id: int) -> _Entry:
    """The cached entry for this session and photo, (re)opened after authorizing `actor`."""
    item = _editable(session, actor=actor, media_id=media_id)
    key = (session_key, item.id)
    with _cache_lock:
        found = _entries.get(key)
        if found is not None and found.owner_id == actor.id:
            _entries.move_to_end(key)
            return found
    if not item.storage_key:
        raise NotFound(media.NOT_FOUND)
    working, original = _load_working(ingest.storage().path(item.storage_key, area="originals"))
    height, width = working.shape[:2]
    entry = _Entry(owner_id=actor.id, original_size=original, working_size=(width, height),  # type: ignore[arg-type]
                   renderer=pipeline.PreviewRenderer(working, width / original[0], max_stages=STAGES),
                   nbytes=working.nbytes * (1 + _STAGE_FACTOR))
    entry.before_seq = _store(key, entry, entry.renderer.render(()), pinned=True)
    with _cache_lock:
        _entries[key] = entry
        _entries.move_to_end(key)
        _evict()
    return entry


def _evict() -> None:
    """Drop the least recently used working copies until the cache fits (keeps the newest one)."""
    total = sum(entry.nbytes for entry in _entries.values())
    while total > MAX_CACHE_BYTES and len(_entries) > 1:
        key, entry = _entries.popitem(last=False)
        total -= entry.nbytes
        _renders.pop(key, None)


def _store(key: _Key, entry: _Entry, image: np.ndarray, *, pinned: bool = False) -> int:
    """Encode `image`, keep it under a new seq (locally and in Redis when configured), return the seq."""
    data = pipeline.encode_jpeg(image, quality=JPEG_QUALITY)
    size = (int(image.shape[1]), int(image.shape[0]))
    seq = next(_sequence)
    with _cache_lock:
        kept = _renders.setdefault(key, OrderedDict())
        kept[seq] = (data, size)
        recent = [s for s in kept if s != entry.before_seq and not (pinned and s == seq)]
        for old in recent[:-KEEP_RENDERS]:
            del kept[old]
    client = _redis()
    if client is not None:
        # On failure this process still serves it; another worker answers 404 and the page re-renders.
        with contextlib.suppress(redis.RedisError):
            client.set(_redis_key(key, seq), data, ex=REDIS_TTL_SECONDS * (4 if pinned else 1))
    return seq


@functools.cache
def _client_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def _redis() -> redis.Redis | None:
    url = get_settings().redis_url
    return _client_for(url) if url else None


def _redis_key(key: _Key, seq: int) -> str:
    return f"mediashare:studio:{key[0]}:{key[1]}:{seq}"


def parse(raw_ops: object) -> tuple[ops_module.Op, ...]:
    """The ops list from the browser, validated; ValidationFailed with the pipeline's reason."""
    try:
        return ops_module.parse_ops(raw_ops)
    except ValueError as error:
        raise ValidationFailed(f"That edit cannot be applied: {error}") from error


def open_photo(session: Session, *, actor: User, session_key: str, media_id: int) -> Opened:
    """Open `actor`'s photo for editing in this session (cached); NotFound for anyone else."""
    entry = _entry(session, actor=actor, session_key=session_key, media_id=media_id)
    item = _editable(session, actor=actor, media_id=media_id)
    return Opened(media_id=media_id, title=item.title or item.original_filename, original_size=entry.original_size,
                  working_size=entry.working_size,
                  before_seq=entry.before_seq)


def render(session: Session, *, actor: User, session_key: str, media_id: int, raw_ops: object) -> Rendered:
    """Render the preview of `raw_ops` on the working copy; CPU-bound, so callers run it in a thread."""
    parsed = parse(raw_ops)
    entry = _entry(session, actor=actor, session_key=session_key, media_id=media_id)
    with entry.lock:  # one render at a time per entry: the renderer's stage caches are not shared
        image = entry.renderer.render(parsed)
    seq = _store((session_key, media_id), entry, image)
    return Rendered(seq=seq, size=(int(image.shape[1]), int(image.shape[0])))


def rendered_size(session_key: str, media_id: int, seq: int) -> tuple[int, int] | None:
    """The pixel size of a preview this process rendered, if it still has it."""
    with _cache_lock:
        found = _renders.get((session_key, media_id), {}).get(seq)
    return found[1] if found is not None else None


def preview_bytes(session: Session, *, actor: User, session_key: str, media_id: int, seq: int) -> bytes:
    """The JPEG of preview `seq` rendered for this session and photo; NotFound otherwise."""
    item = _editable(session, actor=actor, media_id=media_id)
    key = (session_key, item.id)
    with _cache_lock:
        found = _renders.get(key, {}).get(seq)
    if found is not None:
        return found[0]
    client = _redis()
    if client is not None:
        try:
            data = client.get(_redis_key(key, seq))
        except redis.RedisError:
            data = None
        if isinstance(data, bytes):
            return data
    raise NotFound("That preview is no longer available.")


def original_box(*, original_size: tuple[int, int], raw_ops: object, shown_size: tuple[int, int],
                 box: tuple[int, int, int, int]) -> dict[str, int]:
    """A crop op for `box` (x, y, w, h in pixels of a preview of `raw_ops` shown at `shown_size`),
    in full-resolution pixels of the image as it is after `raw_ops`. Refuses boxes outside it."""
    full_w, full_h = output_size(original_size, raw_ops)
    shown_w, shown_h = shown_size
    x, y, w, h = box
    if shown_w < 1 or shown_h < 1 or w < 1 or h < 1 or x < 0 or y < 0 or x + w > shown_w or y + h > shown_h:
        raise ValidationFailed("That crop is outside the picture.")
    sx, sy = full_w / shown_w, full_h / shown_h
    left, top = min(round(x * sx), full_w - 1), min(round(y * sy), full_h - 1)
    right, bottom = min(max(round((x + w) * sx), left + 1), full_w), min(max(round((y + h) * sy), top + 1), full_h)
    return {"op": "crop", "x": left, "y": top, "w": right - left, "h": bottom - top}


def output_size(original_size: tuple[int, int], raw_ops: object) -> tuple[int, int]:
    """The full-resolution (w, h) of the photo after `raw_ops`."""
    return pipeline.output_size(original_size, parse(raw_ops))


def close(session_key: str, media_id: int) -> None:
    """Forget this session's working copy of a photo (leaving the editor)."""
    with _cache_lock:
        _entries.pop((session_key, media_id), None)
        _renders.pop((session_key, media_id), None)


def forget_all() -> None:
    """Empty this process's cache (tests; a worker that must free memory)."""
    with _cache_lock:
        _entries.clear()
        _renders.clear()


def cached_bytes() -> int:
    """What the working copies in this process are counted as (for tests and the system page)."""
    with _cache_lock:
        return sum(entry.nbytes for entry in _entries.values())
