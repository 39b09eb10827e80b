"""Making playable versions of videos (services/transcode.py decides what and records it).

`prepare(media_id)` probes the original once and queues one `make_rendition` per rendition it
needs; `make_rendition(rendition_id)` claims the row, runs ffmpeg (imaging/transcoder: low
priority, thread-limited, time- and size-limited) into a temporary file next to storage, moves
the finished file into storage (an atomic rename) and marks the row ready. A failure is recorded
on the row with a sentence for the uploader; the original is never touched. Both jobs take ids,
open their own sessions and are harmless to run twice. `resume_stalled` (periodic) queues again
what a dead process left behind.
"""

from __future__ import annotations

import logging
import time

from mediashare import db
from mediashare.imaging import transcoder
from mediashare.services import ingest, transcode

log = logging.getLogger(__name__)


def prepare(media_id: int) -> int:
    """Plan item `media_id`'s renditions and queue the ones to make; returns how many were queued."""
    with db.session_scope() as session:
        waiting = transcode.plan(session, media_id)
    for rendition_id in waiting:
        transcode.queue_rendition(rendition_id)
    return len(waiting)


def make_rendition(rendition_id: int) -> str:
    """Make one rendition (when it still waits); returns its final status."""
    with db.session_scope() as session:
        claimed = transcode.claim(session, rendition_id)
        if claimed is None:
            return "skipped"  # made, failed, running elsewhere, or gone
        profile = transcode.profiles(session)[claimed.label] if claimed.label in transcode.LABELS else None
        limits = transcode.limits(session)
    store = ingest.storage()
    temporary = store.receive_path()
    try:
        if profile is None:
            raise transcoder.TranscodeError(f"There is no profile for {claimed.label!r}.")
        found = transcoder.probe(claimed.source)
        with db.session_scope() as session:
            problem = transcode.source_problem(session, found)
        if problem is not None:
            raise transcoder.TranscodeError(problem)
        last = [0.0]

        def progress(fraction: float) -> None:
            now = time.monotonic()
            if now - last[0] >= transcode.PROGRESS_EVERY_SECONDS:
                last[0] = now
                with db.session_scope() as session:
                    transcode.report_progress(session, claimed, fraction)

        result = transcoder.transcode(claimed.source, temporary, found, profile, limits, progress)
        key = store.new_key(".mp4")
        store.adopt(temporary, key=key, area="derived")
    except Exception as error:
        temporary.unlink(missing_ok=True)
        message = str(error) if isinstance(error, transcoder.TranscodeError) else "The conversion failed unexpectedly."
        if not isinstance(error, transcoder.TranscodeError):
            log.exception("rendition %s failed", rendition_id)
        with db.session_scope() as session:
            transcode.fail(session, claimed, message)
        return "failed"
    with db.session_scope() as session:
        kept = transcode.finish(session, claimed, key=key, result=result, duration=found.duration_seconds)
    if not kept:  # another run took it over meanwhile (ours looked lost): its file wins
        store.delete(key, area="derived")
        return "superseded"
    return "ready"


def resume_stalled() -> int:
    """Queue again renditions whose run was lost and videos never planned (periodic, jobs/schedule.py);
    queueing is idempotent by job id. Returns how many were queued."""
    with db.session_scope() as session:
        renditions, unplanned = transcode.stalled(session)
    for rendition_id in renditions:
        transcode.queue_rendition(rendition_id)
    for media_id in unplanned:
        transcode.queue_plan(media_id)
    if renditions or unplanned:
        log.info("queued %d rendition(s) and %d video(s) again", len(renditions), len(unplanned))
    return len(renditions) + len(unplanned)
