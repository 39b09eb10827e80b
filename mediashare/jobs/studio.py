"""The Studio save: render a version at full resolution from the untouched original.

`render_version(version_id)` loads the original EXIF-upright at full size, runs the same
`imaging.pipeline.render` as the live preview (scale 1.0), and stores a high-quality JPEG (PNG
when the original is lossless: PNG, TIFF, BMP; transparency is flattened onto white, like the
previews) plus a preview and a thumbnail, each written atomically by storage. Progress goes to
the row as it runs (10 loaded, 60 rendered, 90 stored, 100 ready) for the history panel.

Idempotent and safe to run twice or concurrently: only a `pending` version is rendered, and the
switch to `ready` is a conditional UPDATE, so exactly one run's files are kept and any other run
removes its own. A failure marks the version `failed` with a message, keeps no files, gives the
storage reserved at save back and releases the credit hold; success captures it and settles the
owner's storage from the reservation to the real size of the full file in the same transaction
(an edit bigger than its reservation that no longer fits the quota fails with the sizes said).
The original is only ever read.
"""

from __future__ import annotations

import hashlib
import io
import logging
from datetime import timedelta

import numpy as np
from PIL import Image
from sqlalchemy import update
from sqlmodel import col, select

from mediashare import db
from mediashare.imaging import derivatives, pipeline
from mediashare.imaging.ops import parse_ops
from mediashare.jobs import queue
from mediashare.models import MediaItem, MediaVersion, User, VersionStatus, utc_now
from mediashare.services import credits, ingest, studio_versions
from mediashare.storage import LocalStorage

log = logging.getLogger(__name__)

JPEG_QUALITY = 92


def encode_full(image: np.ndarray, extension: str) -> bytes:
    """The version file: JPEG at quality 92 without chroma subsampling, or a PNG."""
    buffer = io.BytesIO()
    picture = Image.fromarray(np.ascontiguousarray(image))
    if extension == "png":
        picture.save(buffer, "PNG", compress_level=6)
    else:
        try:
            picture.save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=True)
        except OSError:  # Pillow's optimize buffer is 1 byte a pixel; grainy scans can need more
            buffer = io.BytesIO()
            picture.save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    return buffer.getvalue()


def _progress(session, version_id: int, percent: int) -> None:
    session.execute(update(MediaVersion).where(MediaVersion.id == version_id,
                                               MediaVersion.status == VersionStatus.PENDING)
                    .values(progress=percent))
    session.commit()


def _store_files(store: LocalStorage, rendered: np.ndarray, extension: str, written: list[str]) -> dict:
    """Write the version's four files, appending each key to `written` as soon as it exists."""
    full = encode_full(rendered, extension)

    def put(data: bytes, suffix: str) -> str:
        key = store.put(io.BytesIO(data), area="derived", suffix=suffix)
        written.append(key)
        return key

    made = derivatives.from_array(rendered)
    return {
        "storage_key": put(full, f".{extension}"),
        "preview_key": put(derivatives.encode(made.preview), ".webp"),
        "preview_jpeg_key": put(derivatives.encode(made.preview, format="JPEG"), ".jpg"),
        "thumbnail_key": put(derivatives.encode(made.thumbnail), ".webp"),
        "size_bytes": len(full),
        "sha256": hashlib.sha256(full).hexdigest(),
        "height": int(rendered.shape[0]),
        "width": int(rendered.shape[1]),
    }


def render_version(version_id: int) -> str:
    """Render pending version `version_id`; returns its status ("missing" when it is gone)."""
    store = ingest.storage()
    written: list[str] = []
    with db.session_scope() as session:
        version = session.get(MediaVersion, version_id)
        if version is None:
            return "missing"
        if version.status is not VersionStatus.PENDING:
            return version.status.value  # done already (or failed): running again changes nothing
        item = session.get(MediaItem, version.media_id)
        try:
            ops = parse_ops(version.ops)
            original = store.path(item.storage_key)  # type: ignore[union-attr]
            image = pipeline.load_oriented(original)
            _progress(session, version_id, 10)
            rendered = pipeline.render(image, ops, scale=1.0)
            del image
            _progress(session, version_id, 60)
            values = _store_files(store, rendered, version.extension, written)
            _progress(session, version_id, 90)
        except Exception as error:  # recorded on the version for its owner, never lost
            log.exception("render of version %s failed", version_id)
            for key in written:
                store.delete(key, area="derived")
            return _finish_failed(session, version_id, error)
        studio_versions.lock_item(session, version.media_id)  # the item first, as deletes and moves do
        owner_id = session.exec(select(MediaItem.owner_id).where(MediaItem.id == version.media_id)).first()
        done = session.execute(
            update(MediaVersion).where(MediaVersion.id == version_id, MediaVersion.status == VersionStatus.PENDING)
            .values(status=VersionStatus.READY, progress=100, error="", finished_at=utc_now(), **values)
        ).rowcount if owner_id is not None else 0
        if done != 1:  # deleted, or another run finished first: keep nothing of ours
            session.rollback()
            for key in written:
                store.delete(key, area="derived")
            session.expire_all()
            current = session.get(MediaVersion, version_id)
            return current.status.value if current is not None else "missing"
        extra = values["size_bytes"] - studio_versions.reserved_bytes(item, version.extension)  # type: ignore[arg-type]
        owner = session.get(User, owner_id)
        if extra > 0 and not ingest.reserve_storage(session, owner, extra):  # type: ignore[arg-type]
            session.rollback()
            for key in written:
                store.delete(key, area="derived")
            free, _quota = ingest.free_storage(session, owner)  # type: ignore[arg-type]
            return _finish_failed(session, version_id, StorageFull(
                f"the edited file needs {ingest.megabytes(extra)} more than was set aside and only "
                f"{ingest.megabytes(free)} of storage is free; delete some photos or versions and save again."))
        ingest.release_storage(session, owner_id, -extra)
        credits.capture(session, version.charge_id)
        session.commit()
    return VersionStatus.READY.value


STALLED_AFTER = timedelta(minutes=2)  # saved this long ago and still pending: its job may be lost
_RESUME_BATCH = 1000


def resume_stalled() -> int:
    """Queue the render again for versions saved a while ago that are still pending.

    A job is lost when the process running it dies or Redis loses its queue; the version would
    stay "pending" for ever, holding its storage reservation and credit hold. Queueing is
    idempotent by job id (a render still waiting or running is not queued twice) and the job
    itself only renders a pending version once. Periodic (jobs/schedule.py); returns how many."""
    with db.session_scope() as session:
        cutoff = utc_now() - STALLED_AFTER
        stalled = session.exec(select(MediaVersion.id).where(MediaVersion.status == VersionStatus.PENDING,
                                                             col(MediaVersion.created_at) < cutoff)
                               .order_by(col(MediaVersion.id)).limit(_RESUME_BATCH)).all()
    for version_id in stalled:
        queue.enqueue(studio_versions.RENDER_JOB, version_id, job_id=f"studio-render-{version_id}")
    if stalled:
        log.info("queued the render again for %d stalled version(s)", len(stalled))
    return len(stalled)


class StorageFull(ValueError):
    """The rendered file does not fit the owner's storage (its message is shown to the owner)."""


def _finish_failed(session, version_id: int, error: Exception) -> str:
    session.rollback()
    message = f"The edit could not be rendered: {error}" if isinstance(error, ValueError) else \
        "The edit could not be rendered; try saving it again."
    media_id = session.exec(select(MediaVersion.media_id).where(MediaVersion.id == version_id)).first()
    if media_id is not None:
        studio_versions.lock_item(session, media_id)
    failed = session.execute(
        update(MediaVersion).where(MediaVersion.id == version_id, MediaVersion.status == VersionStatus.PENDING)
        .values(status=VersionStatus.FAILED, error=message[:500], finished_at=utc_now())
    ).rowcount
    if failed == 1:
        version = session.get(MediaVersion, version_id)
        if version is not None:
            session.refresh(version)
            studio_versions.give_back_reservation(session, version)
        credits.release(session, version.charge_id if version is not None else None)
    session.commit()
    return VersionStatus.FAILED.value if failed == 1 else "missing"
