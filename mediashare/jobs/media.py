"""Derivatives of a stored media item: a WebP preview and a square WebP thumbnail.

The JPEG fallback of the preview is not made here: every current browser shows WebP, so it is
made from the WebP preview on its first request (`services.media.serve`) instead of costing every
upload ~30 ms.

Images are rendered from the original; videos from a poster frame; audio gets a neutral cover.
Idempotent: running it again replaces the derivatives (old files are removed after the row points
at the new ones). Takes only an id and opens its own session.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta

from sqlmodel import Session, col, select

from mediashare import db, routes
from mediashare.imaging import derivatives
from mediashare.models import MediaItem, MediaKind, MediaStatus, User, utc_now
from mediashare.services import ingest, inspection, notifications, people, transcode

log = logging.getLogger(__name__)

STALLED_AFTER = timedelta(minutes=2)  # stored this long ago and still no derivatives: their job was lost
_RESUME_BATCH = 5000


def _render(item: MediaItem) -> derivatives.Derivatives:
    original = ingest.storage().path(item.storage_key)
    if item.kind is MediaKind.IMAGE:
        return derivatives.make(original)
    if item.kind is MediaKind.VIDEO:
        return derivatives.from_array(inspection.poster_frame(original))
    return derivatives.from_array(derivatives.audio_cover())


def make_derivatives(media_id: int) -> str:
    """Make (or remake) the derivatives of item `media_id`; returns its new status."""
    store = ingest.storage()
    with db.session_scope() as session:
        item = session.get(MediaItem, media_id)
        if item is None or item.status is MediaStatus.PENDING:
            return "missing"  # deleted meanwhile, or not stored yet (the upload will queue us again)
        try:
            made = _render(item)
            keys = {
                "preview_key": store.put(io.BytesIO(derivatives.encode(made.preview)), area="derived", suffix=".webp"),
                "thumbnail_key": store.put(io.BytesIO(derivatives.encode(made.thumbnail)), area="derived",
                                           suffix=".webp"),
            }
        except Exception as error:  # any failure is recorded on the item, not lost
            log.exception("derivatives for media %s failed", media_id)
            if item.status is not MediaStatus.FAILED:
                _announce(session, item, failed=True)
            item.status, item.error = MediaStatus.FAILED, str(error)[:500] or type(error).__name__
            item.updated_at = utc_now()
            session.commit()
            return item.status.value
        keys["preview_jpeg_key"] = None  # made again from the new preview when first asked for
        old = [getattr(item, name) for name in keys if getattr(item, name)]
        for name, key in keys.items():
            setattr(item, name, key)
        if item.status is MediaStatus.STORED:  # the first time, not a remake
            _announce(session, item, failed=False)
        item.status, item.error, item.updated_at = MediaStatus.READY, "", utc_now()
        is_image = item.kind is MediaKind.IMAGE
        session.commit()
        is_video = item.kind is MediaKind.VIDEO
    for key in old:
        store.delete(key, area="derived")
    if is_video:  # a browser may not play it: decide (and make a playable version) in the background
        transcode.queue_plan(media_id)
    if is_image:
        people.queue_detection(media_id)  # checks the owner's and the site's choice itself
    return MediaStatus.READY.value


def _announce(session: Session, item: MediaItem, *, failed: bool) -> None:
    """Tell the owner their upload is ready (grouped when many are) or could not be processed."""
    owner = session.get(User, item.owner_id)
    if owner is None:
        return
    name = f"“{item.title or item.original_filename}”"
    if failed:
        notifications.create(session, user=owner, kind="processing_failed", title=f"{name} could not be processed",
                             body="The original is kept; try uploading it again, or as another format.",
                             link=routes.media_url(item.id))  # type: ignore[arg-type]
    else:
        notifications.create(session, user=owner, kind="processing_done", title=f"{name} is ready",
                             link=routes.media_url(item.id))  # type: ignore[arg-type]


def resume_stalled() -> int:
    """Queue the derivatives job again for items stored a while ago that still have none.

    A job is lost when the process running it (the server's local pool, a worker) dies, or when
    Redis loses its queue; the item would then show "processing" for ever. Queueing is idempotent
    by job id, so an item whose job is still waiting or running is not queued twice. Periodic
    (jobs/schedule.py); returns how many were queued."""
    with db.session_scope() as session:
        cutoff = utc_now() - STALLED_AFTER
        stalled = session.exec(select(MediaItem.id).where(MediaItem.status == MediaStatus.STORED,
                                                          col(MediaItem.updated_at) < cutoff)
                               .order_by(col(MediaItem.id)).limit(_RESUME_BATCH)).all()
    for media_id in stalled:
        ingest.queue_derivatives(media_id)
    if stalled:
        log.info("queued derivatives again for %d stalled item(s)", len(stalled))
    return len(stalled)
