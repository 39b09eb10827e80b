"""Studio versions: saving an edit as a new version of an item, listing them, choosing the one the
gallery shows (or the original again), deleting one, and the files behind each.

Only an item's owner edits it: anyone else (managers included) gets the same NotFound as for an
item that does not exist. The original file is never touched: a version is the original rendered
through its ops by the `RENDER_JOB` (queued by id after the commit), kept as its own files in the
"derived" storage area. Saving charges `credits.Action.STUDIO_SAVE` as a hold in the same
transaction as the new row; the job captures it when the render succeeds and releases it when it
fails, so a version that never rendered costs nothing.

Storage: a version's full-resolution file counts in the owner's `storage_used_bytes`, like an
original. Its preview and thumbnail do not (an item's own previews are not counted either; they are
the platform's, a few hundred KB beside a file of several MB). Saving reserves an upper estimate
(`reserved_bytes`: the original's size, or 1 byte per pixel for a JPEG version and 3 for a PNG one,
whichever is more) in the same transaction as the row and the credit hold, and refuses the save
before anything is rendered or charged when that does not fit. The render job settles the real
size in the transaction that marks the version ready (or gives the reservation back when it
fails). `stored_bytes` is what a version holds at any moment (pending: the reservation, ready: its
file, failed: nothing): deleting a version or its item gives it back, moving the item moves it.
Each of these first writes to the item row, so they and the job's settlement happen one at a time.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from mediashare import routes
from mediashare.errors import NotFound, ValidationFailed
from mediashare.imaging import ops as imaging_ops
from mediashare.jobs import queue
from mediashare.models import AuditAction, MediaItem, MediaKind, MediaVersion, User, VersionStatus, utc_now
from mediashare.services import audit, credits, ingest, media, signed_urls
from mediashare.services.auth import Client

log = logging.getLogger(__name__)

RENDER_JOB = "mediashare.jobs.studio.render_version"
MAX_VERSIONS = 50  # per item
MAX_OPS_JSON = 512 * 1024  # characters of JSON text accepted for one edit
LOSSLESS = frozenset({"png", "tif", "tiff", "bmp"})  # originals whose versions are saved as PNG
VERSION_VARIANTS = ("full", "preview", "preview_jpeg", "thumbnail", "download")
NOT_FOUND = "That version does not exist."


@dataclass(frozen=True)
class VersionInfo:
    """One version as the history panel shows it (URLs are signed for the viewer, "" until ready)."""

    id: int
    media_id: int
    number: int
    label: str  # "Edit 2"
    status: str  # pending / ready / failed
    progress: int
    error: str
    current: bool
    created_at: datetime
    width: int | None
    height: int | None
    size_bytes: int | None
    ops: list[dict[str, Any]]
    thumbnail_url: str
    preview_url: str
    download_url: str


def _as_id(value: object, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2**63 - 1:
        raise NotFound(message)
    return value


def reserved_bytes(item: MediaItem, extension: str) -> int:
    """What saving a version of `item` reserves in the owner's storage until its render settles."""
    pixels = (item.width or 0) * (item.height or 0)
    return max(item.size_bytes, pixels * (3 if extension == "png" else 1))


def stored_bytes(item: MediaItem, status: VersionStatus, size_bytes: int | None, extension: str) -> int:
    """What one version of `item` counts in its owner's storage in this state."""
    if status is VersionStatus.PENDING:
        return reserved_bytes(item, extension)
    if status is VersionStatus.READY:
        return size_bytes or 0
    return 0


def stored_bytes_of_items(session: Session, items: list[MediaItem]) -> dict[int, int]:
    """media id → the bytes its versions hold in its owner's storage, read fresh from the database
    (call after `lock_item`)."""
    by_id = {item.id: item for item in items}
    if not by_id:
        return {}
    totals = dict.fromkeys(by_id, 0)
    rows = session.exec(select(MediaVersion.media_id, MediaVersion.status, MediaVersion.size_bytes,
                               MediaVersion.extension).where(col(MediaVersion.media_id).in_(list(by_id)))).all()
    for media_id, status, size, extension in rows:
        totals[media_id] += stored_bytes(by_id[media_id], VersionStatus(status), size, extension)
    return totals  # type: ignore[return-value]


def lock_item(session: Session, media_id: int) -> None:
    """Write to the item row (changing nothing): it stays locked (PostgreSQL) or the database write
    lock is held (SQLite) until the transaction ends, so saves, deletes, moves and the render job's
    settlement of one item's storage happen one after the other."""
    session.execute(update(MediaItem).where(MediaItem.id == media_id).values(updated_at=MediaItem.updated_at))


def owned_item(session: Session, *, actor: User, media_id: int) -> MediaItem:
    """The photo `actor` owns (not trashed, not pending); NotFound for anything else."""
    item = media.viewable(session, actor=actor, media_id=media_id)
    if item.owner_id != actor.id:
        raise NotFound(media.NOT_FOUND)
    if item.kind is not MediaKind.IMAGE:
        raise ValidationFailed("Only photos can be edited in the studio.")
    return item


def _version(session: Session, item: MediaItem, version_id: object) -> MediaVersion:
    version = session.get(MediaVersion, _as_id(version_id, NOT_FOUND))
    if version is None or version.media_id != item.id:
        raise NotFound(NOT_FOUND)
    return version


def _parse(ops_json: object) -> list[dict[str, Any]]:
    """The ops as JSON text or as already-decoded JSON, validated and normalized."""
    raw = ops_json
    if isinstance(ops_json, str):
        if len(ops_json) > MAX_OPS_JSON:
            raise ValidationFailed("This edit is too large to save.", field="ops")
        try:
            raw = json.loads(ops_json)
        except json.JSONDecodeError:
            raise ValidationFailed("The edit could not be read; reload the studio and try again.",
                                   field="ops") from None
    try:
        parsed = imaging_ops.parse_ops(raw)
    except ValueError as error:
        raise ValidationFailed(str(error), field="ops") from None
    if not parsed:
        raise ValidationFailed("There are no edits to save yet.", field="ops")
    return imaging_ops.dump_ops(parsed)


def version_url(media_id: int, version_id: int, variant: str, viewer_id: int | None) -> str:
    """/api/media/{id}/versions/{version_id}/{variant}?t=…: signed for this viewer and file only."""
    if variant not in VERSION_VARIANTS:
        raise ValidationFailed("That is not a version file.")
    token = signed_urls.sign(media_id=media_id, variant=_grant_variant(version_id, variant), viewer_id=viewer_id)
    return routes.API_MEDIA_VERSION.format(media_id=media_id, version_id=version_id, variant=variant) + f"?t={token}"


def _grant_variant(version_id: int, variant: str) -> str:
    """What a signed URL grants: one file of one version (never the item's own variants)."""
    return f"version:{version_id}:{variant}"


def grant_matches(grant: signed_urls.Grant, *, media_id: int, version_id: int, variant: str) -> bool:
    return grant.media_id == media_id and grant.variant == _grant_variant(version_id, variant)


def _info(item: MediaItem, version: MediaVersion, viewer_id: int, *, with_ops: bool = True) -> VersionInfo:
    ready = version.status is VersionStatus.READY

    def url(variant: str) -> str:
        return version_url(item.id, version.id, variant, viewer_id) if ready else ""  # type: ignore[arg-type]

    return VersionInfo(
        id=version.id, media_id=item.id, number=version.number, label=f"Edit {version.number}",  # type: ignore[arg-type]
        status=version.status.value, progress=version.progress, error=version.error,
        current=item.current_version_id == version.id, created_at=version.created_at,
        width=version.width, height=version.height, size_bytes=version.size_bytes,
        ops=list(version.ops) if with_ops else [],
        thumbnail_url=url("thumbnail"), preview_url=url("preview"), download_url=url("download"),
    )


def _audit(session: Session, action: AuditAction, actor: User, client: Client | None, **details: object) -> None:
    audit.record(session, action=action, actor=actor, target=actor, ip=client.ip if client else "",
                 user_agent=client.user_agent if client else "", details=details)


# ---- the public functions: primitives in, each one transaction ----------------------------------

def save_version(session: Session, actor: User, media_id: int, ops_json: object, *,
                 client: Client | None = None) -> VersionInfo:
    """Save `ops_json` (a JSON list of ops, as text or decoded) as the item's next version, pending
    until the queued render finishes. Raises NotFound, ValidationFailed (with the reason the ops
    were refused), InsufficientCredits; then nothing is stored and nothing is charged."""
    item = owned_item(session, actor=actor, media_id=media_id)
    ops = _parse(ops_json)
    try:
        # Write to the item row first: that locks it (PostgreSQL) or takes the write lock (SQLite)
        # before the highest number is read, so concurrent saves get numbers one after the other.
        session.execute(update(MediaItem).where(MediaItem.id == item.id).values(updated_at=utc_now()))
        count, highest = session.exec(select(func.count(), func.max(MediaVersion.number))
                                      .where(MediaVersion.media_id == item.id)).one()
        if count >= MAX_VERSIONS:
            raise ValidationFailed(f"An item can have at most {MAX_VERSIONS} versions; delete one first.")
        extension = "png" if item.extension in LOSSLESS else "jpg"
        needed = reserved_bytes(item, extension)
        if not ingest.reserve_storage(session, actor, needed):
            free, quota = ingest.free_storage(session, actor)
            raise ValidationFailed(
                f"There is not enough storage left to save this edit: it needs up to {ingest.megabytes(needed)} "
                f"and {ingest.megabytes(free)} of your {ingest.megabytes(quota)} is free. "
                "Delete some photos or versions first.")
        version = MediaVersion(media_id=item.id, number=(highest or 0) + 1, ops=ops,  # type: ignore[arg-type]
                               extension=extension, created_by_id=actor.id)
        session.add(version)
        session.flush()
        paid = credits.charge(session, actor, credits.Action.STUDIO_SAVE, media_id=item.id,
                              reference=f"media_version:{version.id}", hold=True)
        version.charge_id = paid.id
        _audit(session, AuditAction.VERSION_SAVED, actor, client, media_id=item.id, version_id=version.id,
               number=version.number, ops=len(ops), credits=paid.amount)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    try:
        queue.enqueue(RENDER_JOB, version.id, job_id=f"studio-render-{version.id}")  # type: ignore[arg-type]
    except Exception:  # the queue is down: say so on the version instead of leaving it pending forever
        log.exception("could not queue the render of version %s", version.id)
        _fail(session, version.id, "The render could not be started; delete this version and save again.")  # type: ignore[arg-type]
        session.refresh(version)
    return _info(item, version, actor.id)  # type: ignore[arg-type]


def _fail(session: Session, version_id: int, message: str) -> None:
    version = session.get(MediaVersion, version_id)
    if version is None:
        return
    lock_item(session, version.media_id)
    session.refresh(version)
    if version.status is VersionStatus.PENDING:
        give_back_reservation(session, version)
        version.status, version.error, version.finished_at = VersionStatus.FAILED, message[:500], utc_now()
        credits.release(session, version.charge_id)
        session.add(version)
    session.commit()


def give_back_reservation(session: Session, version: MediaVersion) -> None:
    """Return a pending version's reservation to its item's owner (the caller holds `lock_item`
    and ends the version's pending state in the same transaction)."""
    item = session.get(MediaItem, version.media_id)
    if item is not None:
        owner_id = session.exec(select(MediaItem.owner_id).where(MediaItem.id == item.id)).one()
        ingest.release_storage(session, owner_id, reserved_bytes(item, version.extension))


def list_versions(session: Session, actor: User, media_id: int) -> list[VersionInfo]:
    """The item's versions, newest first (ops left out: `version_detail` has them)."""
    item = owned_item(session, actor=actor, media_id=media_id)
    rows = session.exec(select(MediaVersion).where(MediaVersion.media_id == item.id)
                        .order_by(col(MediaVersion.number).desc())).all()
    return [_info(item, row, actor.id, with_ops=False) for row in rows]  # type: ignore[arg-type]


def version_detail(session: Session, actor: User, media_id: int, version_id: int) -> VersionInfo:
    """One version with its ops (to keep editing from it) and, once ready, its file URLs."""
    item = owned_item(session, actor=actor, media_id=media_id)
    return _info(item, _version(session, item, version_id), actor.id)  # type: ignore[arg-type]


def set_current(session: Session, actor: User, media_id: int, version_id: int | None, *,
                client: Client | None = None) -> None:
    """Show version `version_id` in the gallery instead of the original; None shows the original again."""
    item = owned_item(session, actor=actor, media_id=media_id)
    number = None
    if version_id is not None:
        version = _version(session, item, version_id)
        if version.status is not VersionStatus.READY:
            raise ValidationFailed("That version is not ready yet." if version.status is VersionStatus.PENDING
                                   else "That version could not be made; it cannot be shown.")
        number = version.number
    if item.current_version_id == version_id:
        return
    item.current_version_id, item.updated_at = version_id, utc_now()
    session.add(item)
    _audit(session, AuditAction.VERSION_SELECTED, actor, client, media_id=item.id, version_id=version_id,
           number=number)
    session.commit()


def delete_version(session: Session, actor: User, media_id: int, version_id: int, *,
                   client: Client | None = None) -> None:
    """Delete a version and its files; if it was the one shown, the original is shown again. A
    version still rendering is withdrawn (its hold released; the job then keeps nothing)."""
    item = owned_item(session, actor=actor, media_id=media_id)
    version = _version(session, item, version_id)
    lock_item(session, item.id)  # type: ignore[arg-type]
    version = session.exec(select(MediaVersion).where(MediaVersion.id == version.id)  # as it is now that
                           .execution_options(populate_existing=True)).first()  # no job can settle it under us
    if version is None:  # deleted meanwhile (another tab)
        session.rollback()
        raise NotFound(NOT_FOUND)
    keys = version_keys(version)
    ingest.release_storage(session, item.owner_id,
                           stored_bytes(item, version.status, version.size_bytes, version.extension))
    if item.current_version_id == version.id:
        item.current_version_id, item.updated_at = None, utc_now()
        session.add(item)
    if version.status is VersionStatus.PENDING:
        credits.release(session, version.charge_id)
    _audit(session, AuditAction.VERSION_DELETED, actor, client, media_id=item.id, version_id=version.id,
           number=version.number)
    session.delete(version)
    session.commit()  # the row goes first: a crash now leaves only orphan files, which reconcile removes
    store = ingest.storage()
    for key in keys:
        store.delete(key, area="derived")


def version_keys(version: MediaVersion) -> list[str]:
    """The storage keys (area "derived") of a version's files."""
    return [key for key in (version.storage_key, version.preview_key, version.preview_jpeg_key,
                            version.thumbnail_key) if key]


def keys_of_items(session: Session, media_ids: list[int]) -> list[str]:
    """Every version file of these items (for deleting items with their versions)."""
    if not media_ids:
        return []
    rows = session.exec(select(MediaVersion).where(col(MediaVersion.media_id).in_(media_ids))).all()
    return [key for row in rows for key in version_keys(row)]


# ---- bytes ---------------------------------------------------------------------------------------

_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}
_DERIVED = {"preview": ("preview_key", "image/webp"), "preview_jpeg": ("preview_jpeg_key", "image/jpeg"),
            "thumbnail": ("thumbnail_key", "image/webp")}


def download_name(item: MediaItem, version: MediaVersion) -> str:
    """"Holiday (edit 2).jpg": the original's download name with the version number."""
    stem = media.download_name(item).rsplit(".", 1)[0]
    return f"{stem} (edit {version.number}).{version.extension}"


def _served(path: Path, key: str, content_type: str, name: str | None) -> media.Served:
    if not path.is_file():
        raise NotFound(NOT_FOUND)
    return media.Served(path=path, content_type=content_type, etag=f'"{key.split(".")[0]}"', download_name=name)


def serve_version(session: Session, *, actor: User, media_id: int, version_id: int, variant: str) -> media.Served:
    """One file of a version of an item `actor` owns (trashed items too); NotFound otherwise."""
    if variant not in VERSION_VARIANTS:
        raise NotFound(NOT_FOUND)
    item = media.viewable(session, actor=actor, media_id=media_id, include_trashed=True)
    if item.owner_id != actor.id:
        raise NotFound(media.NOT_FOUND)
    version = _version(session, item, version_id)
    if version.status is not VersionStatus.READY:
        raise NotFound("That version is not ready yet.")
    store = ingest.storage()
    if variant in _DERIVED:
        field, content_type = _DERIVED[variant]
        key = getattr(version, field)
        return _served(store.path(key, area="derived"), key, content_type, None)
    key = version.storage_key
    name = download_name(item, version) if variant == "download" else None
    return _served(store.path(key, area="derived"), key, _CONTENT_TYPES[version.extension], name)  # type: ignore[arg-type]
