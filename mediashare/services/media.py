"""Looking at media: who may see an item, its details, the URLs of its bytes, and where each
viewer left off (playback positions, which double as the "recently viewed" history).

Everyone sees their own items; an account that may manage the owner (access.can_manage) sees the
owner's items too. Anything else is NotFound, never PermissionDenied: a stranger learns nothing
about which ids exist. Trashed items are shown only when asked for (`include_trashed`), and pending
ones (still being received) never.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mediashare import routes
from mediashare.errors import NotFound, ValidationFailed
from mediashare.imaging import derivatives
from mediashare.models import (
    AuditAction,
    MediaItem,
    MediaKind,
    MediaStatus,
    MediaVersion,
    PlaybackPosition,
    User,
    VersionStatus,
    utc_now,
)
from mediashare.services import access, audit, ingest, search, signed_urls, transcode
from mediashare.services.auth import Client

VARIANTS = ("original", "preview", "preview_jpeg", "thumbnail", "download", *transcode.VARIANT_OF.values())
MAX_TITLE = 200
MAX_DESCRIPTION = 5000
RESUME_MIN_SECONDS = 5.0  # positions closer than this to either end are "from the start" / "finished"
NOT_FOUND = "That item does not exist."


def _as_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2**63 - 1:
        raise NotFound(NOT_FOUND)
    return value


def viewable(session: Session, *, actor: User, media_id: int, include_trashed: bool = False) -> MediaItem:
    """The item, if `actor` owns it or may manage its owner; NotFound otherwise (and for pending
    items, and trashed ones unless `include_trashed`)."""
    item = session.get(MediaItem, _as_id(media_id))
    if item is None or item.status is MediaStatus.PENDING:
        raise NotFound(NOT_FOUND)
    if item.trashed_at is not None and not include_trashed:
        raise NotFound(NOT_FOUND)
    if item.owner_id != actor.id:
        owner = session.get(User, item.owner_id)
        if owner is None or not access.can_manage(session, actor=actor, target=owner):
            raise NotFound(NOT_FOUND)
    elif not actor.is_active:
        raise NotFound(NOT_FOUND)
    return item


def neighbours(session: Session, *, actor: User, media_id: int) -> tuple[int | None, int | None]:
    """(previous, next) item ids in the owner's library, newest first, skipping trash and pending."""
    item = viewable(session, actor=actor, media_id=media_id)
    base = select(MediaItem.id).where(
        MediaItem.owner_id == item.owner_id,
        col(MediaItem.trashed_at).is_(None),
        MediaItem.status != MediaStatus.PENDING,
    )
    newer = or_(MediaItem.sort_at > item.sort_at, (MediaItem.sort_at == item.sort_at) & (MediaItem.id > item.id))
    older = or_(MediaItem.sort_at < item.sort_at, (MediaItem.sort_at == item.sort_at) & (MediaItem.id < item.id))
    previous = session.exec(base.where(newer).order_by(col(MediaItem.sort_at).asc(), col(MediaItem.id).asc())).first()
    following = session.exec(base.where(older).order_by(col(MediaItem.sort_at).desc(),
                                                        col(MediaItem.id).desc())).first()
    return previous, following


def _clean_title(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationFailed("The title must be text.", field="title")
    title = " ".join(value.split())
    if len(title) > MAX_TITLE:
        raise ValidationFailed(f"The title can be at most {MAX_TITLE} characters long.", field="title")
    return title


def clean_description(value: object) -> str:
    """A description as typed: printable text, newlines and tabs kept, trimmed, MAX_DESCRIPTION at most."""
    if not isinstance(value, str):
        raise ValidationFailed("The description must be text.", field="description")
    text = "".join(ch for ch in value.replace("\r\n", "\n") if ch.isprintable() or ch in "\n\t").strip()
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed(f"The description can be at most {MAX_DESCRIPTION} characters long.",
                               field="description")
    return text


def update_details(session: Session, *, actor: User, media_id: int, title: object, description: object,
                   client: Client | None = None) -> MediaItem:
    """Rename an item and set its description (trimmed, length-checked); audited when something changed."""
    item = viewable(session, actor=actor, media_id=media_id)
    new_title, new_description = _clean_title(title), clean_description(description)
    changed = [name for name, old, new in (("title", item.title, new_title),
                                           ("description", item.description, new_description)) if old != new]
    if not changed:
        return item
    item.title, item.description, item.updated_at = new_title, new_description, utc_now()
    session.add(item)
    search.refresh(session, [item.id])  # type: ignore[list-item]
    audit.record(session, action=AuditAction.MEDIA_UPDATED, actor=actor, target=session.get(User, item.owner_id),
                 ip=client.ip if client else "", user_agent=client.user_agent if client else "",
                 details={"media_id": item.id, "fields": changed})
    session.commit()
    return item


# ---- bytes ---------------------------------------------------------------------------------------

def media_url(item: MediaItem, variant: str, viewer_id: int | None) -> str:
    """/api/media/{id}/{variant}?t=…: a 15-minute URL for this viewer and this variant only."""
    if item.id is None:
        raise ValidationFailed("That is not a media variant.")
    return url_for(item.id, variant, viewer_id)


def url_for(media_id: int, variant: str, viewer_id: int | None) -> str:
    """The signed byte-route URL of `variant` of item `media_id` (the one place that builds it)."""
    if variant not in VARIANTS:
        raise ValidationFailed("That is not a media variant.")
    token = signed_urls.sign(media_id=media_id, variant=variant, viewer_id=viewer_id)
    return routes.API_MEDIA.format(media_id=media_id, variant=variant) + f"?t={token}"


@dataclass(frozen=True)
class Served:
    """What the byte route sends: a file from storage, how to label it, and its validator."""

    path: Path
    content_type: str
    etag: str
    download_name: str | None  # set for the "download" variant: send as an attachment


_DERIVED = {"preview": ("preview_key", "image/webp"), "preview_jpeg": ("preview_jpeg_key", "image/jpeg"),
            "thumbnail": ("thumbnail_key", "image/webp")}


def download_name(item: MediaItem) -> str:
    """A file name for saving the original: the title (or original name) with the real extension."""
    stem = item.title or item.original_filename.rsplit(".", 1)[0]
    stem = "".join(ch for ch in stem if ch.isprintable() and ch not in '/\\:*?"<>|').strip(" .") or "media"
    return f"{stem[:150]}.{item.extension}"


def _shown_version(session: Session, item: MediaItem) -> MediaVersion | None:
    if item.current_version_id is None:
        return None
    version = session.get(MediaVersion, item.current_version_id)
    return version if version is not None and version.status is VersionStatus.READY else None


def shown_key(session: Session, item: MediaItem, field: str) -> str | None:
    """The key of derivative `field` ("preview_key", …) of what the item shows: its current edited
    version when it has a ready one (see services/studio_versions), else the original's."""
    version = _shown_version(session, item)
    if version is not None and getattr(version, field):
        return getattr(version, field)
    return getattr(item, field)


def shown_full(session: Session, item: MediaItem) -> tuple[str, str]:
    """(storage key, storage area) of the full-size file the item shows: its current edited
    version's when it has a ready one, else the original's."""
    version = _shown_version(session, item)
    if version is not None and version.storage_key:
        return version.storage_key, "derived"
    return item.storage_key, "originals"


def shown_version_number(session: Session, item: MediaItem) -> int | None:
    """The number of the edited version the item shows ("Edit 2" → 2), or None for the original."""
    version = _shown_version(session, item)
    return version.number if version is not None else None


def serve(session: Session, *, actor: User, media_id: int, variant: str) -> Served:
    """The file behind one variant of an item `actor` may see (trashed items: their owner and
    managers only), or one published to them in the catalog (services/catalog.streamable);
    NotFound when there is no such item or file, PaymentRequired for paid bytes not paid for."""
    if variant not in VARIANTS:
        raise NotFound(NOT_FOUND)
    try:
        item = viewable(session, actor=actor, media_id=media_id, include_trashed=True)
    except NotFound:  # not theirs: maybe published to them (services/catalog.py; PaymentRequired, NotFound)
        from mediashare.services import catalog
        item = catalog.streamable(session, actor=actor, media_id=media_id, variant=variant)
    if variant in _DERIVED:
        field, content_type = _DERIVED[variant]
        key = shown_key(session, item, field)
        area = "derived"
        if variant == "preview_jpeg" and not key and item.preview_key and _shown_version(session, item) is None:
            key = _jpeg_fallback(session, item)
    elif variant in transcode.LABEL_OF_VARIANT:  # a playable version (H.264/AAC MP4) of a video
        key, content_type, area = transcode.ready_key(session, item.id, variant), "video/mp4", "derived"  # type: ignore[arg-type]
    else:
        key, content_type, area = item.storage_key, item.mime, "originals"
    if not key:
        raise NotFound("That version of the item is not ready yet.")
    path = ingest.storage().path(key, area=area)
    if not path.is_file():
        raise NotFound(NOT_FOUND)
    name = download_name(item) if variant == "download" else None
    return Served(path=path, content_type=content_type, etag=f'"{key.split(".")[0]}"', download_name=name)


def _jpeg_fallback(session: Session, item: MediaItem) -> str | None:
    """Make the JPEG copy of `item`'s WebP preview on its first request and return its key.

    Two requests at once may both render it; a conditional update lets exactly one key in and the
    other file is removed, so no file is left without its row (a crash in between leaves an
    unreferenced file, which `reconcile` removes)."""
    store, preview_key = ingest.storage(), item.preview_key
    try:
        with store.open(preview_key, area="derived") as preview:  # type: ignore[arg-type]
            encoded = derivatives.jpeg_from_webp(preview)
    except (OSError, ValueError):
        return None  # the preview is missing or unreadable: NotFound, like any missing file
    key = store.put(io.BytesIO(encoded), area="derived", suffix=".jpg")
    claimed = session.exec(update(MediaItem)  # type: ignore[call-overload]
                           .where(col(MediaItem.id) == item.id, col(MediaItem.preview_key) == preview_key,
                                  col(MediaItem.preview_jpeg_key).is_(None))
                           .values(preview_jpeg_key=key)).rowcount
    session.commit()
    if claimed != 1:
        store.delete(key, area="derived")
        session.refresh(item)
        return item.preview_jpeg_key if item.preview_key == preview_key else None
    return key


# ---- playback and history ------------------------------------------------------------------------

def _seconds(value: object) -> float | None:
    """A finite, non-negative number of seconds, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and 0 <= number < 10**7 else None


def _upsert(session: Session, *, user_id: int, media_id: int, **values: object) -> PlaybackPosition:
    for _attempt in range(2):
        row = session.exec(select(PlaybackPosition).where(PlaybackPosition.user_id == user_id,
                                                          PlaybackPosition.media_id == media_id)).first()
        if row is None:
            row = PlaybackPosition(user_id=user_id, media_id=media_id)
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = utc_now()
        session.add(row)
        try:
            session.commit()
            return row
        except IntegrityError:  # a second tab inserted it first: update that row instead
            session.rollback()
    raise NotFound(NOT_FOUND)


def record_view(session: Session, *, actor: User, media_id: int) -> None:
    """Put the item at the top of `actor`'s history (a position, if any, is kept)."""
    item = viewable(session, actor=actor, media_id=media_id)
    _upsert(session, user_id=actor.id, media_id=item.id)  # type: ignore[arg-type]


def save_position(session: Session, *, actor: User, media_id: int, position: object,
                  duration: object = None) -> float | None:
    """Remember where `actor` is in a video or audio item; returns the stored position, or None when
    the numbers were not usable (negative, NaN, infinite, not numbers) and nothing was saved."""
    return store_position(session, user=actor, item=viewable(session, actor=actor, media_id=media_id),
                          position=position, duration=duration)


def store_position(session: Session, *, user: User, item: MediaItem, position: object,
                   duration: object = None) -> float | None:
    """`save_position` for an item the caller has already authorized (the catalog's player)."""
    seconds = _seconds(position)
    if seconds is None or item.kind is MediaKind.IMAGE:
        return None
    length = _seconds(duration) or item.duration_seconds
    if length:
        seconds = min(seconds, length)
    _upsert(session, user_id=user.id, media_id=item.id,  # type: ignore[arg-type]
            position_seconds=seconds, duration_seconds=length or None)
    return seconds


def _unfinished(position: float, duration: float | None) -> bool:
    return position >= RESUME_MIN_SECONDS and (duration is None or position < duration - RESUME_MIN_SECONDS)


def resume_point(session: Session, *, actor: User, media_id: int) -> float | None:
    """Where to offer resuming `actor`'s playback, or None (never played, at the start, or finished)."""
    item = viewable(session, actor=actor, media_id=media_id)
    row = session.exec(select(PlaybackPosition).where(PlaybackPosition.user_id == actor.id,
                                                      PlaybackPosition.media_id == item.id)).first()
    if row is None or item.kind is MediaKind.IMAGE:
        return None
    return row.position_seconds if _unfinished(row.position_seconds, row.duration_seconds) else None


@dataclass(frozen=True)
class HistoryEntry:
    item: MediaItem
    position_seconds: float
    duration_seconds: float | None
    viewed_at: datetime
    unfinished: bool  # a video or audio item left part-way: "continue watching"


def history(session: Session, *, actor: User, limit: int = 50) -> list[HistoryEntry]:
    """What `actor` viewed or played most recently, newest first; items no longer visible to them
    (trashed, or an owner they no longer manage) are left out."""
    limit = max(1, min(int(limit) if isinstance(limit, int) and not isinstance(limit, bool) else 50, 200))
    rows = session.exec(
        select(PlaybackPosition, MediaItem)
        .join(MediaItem, col(MediaItem.id) == PlaybackPosition.media_id)
        .where(PlaybackPosition.user_id == actor.id, col(MediaItem.trashed_at).is_(None),
               MediaItem.status != MediaStatus.PENDING)
        .order_by(col(PlaybackPosition.updated_at).desc(), col(PlaybackPosition.id).desc())
        .limit(limit * 2)
    ).all()
    entries: list[HistoryEntry] = []
    allowed: dict[int, bool] = {}
    for row, item in rows:
        if item.owner_id not in allowed:
            owner = session.get(User, item.owner_id)
            allowed[item.owner_id] = owner is not None and access.can_manage(session, actor=actor, target=owner)
        if not allowed[item.owner_id]:
            continue
        media = item.kind is not MediaKind.IMAGE
        entries.append(HistoryEntry(item=item, position_seconds=row.position_seconds,
                                    duration_seconds=row.duration_seconds or item.duration_seconds,
                                    viewed_at=row.updated_at,
                                    unfinished=media and _unfinished(row.position_seconds,
                                                                     row.duration_seconds or item.duration_seconds)))
        if len(entries) >= limit:
            break
    return entries


def continue_watching(session: Session, *, actor: User, limit: int = 12) -> list[HistoryEntry]:
    """The unfinished videos and audio in `actor`'s history, most recent first."""
    return [entry for entry in history(session, actor=actor, limit=200) if entry.unfinished][:limit]
