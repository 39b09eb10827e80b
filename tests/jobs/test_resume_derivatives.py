"""An item whose derivatives job was lost (its process died) gets it again from the periodic check."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from mediashare.jobs import media as media_jobs
from mediashare.jobs import queue
from mediashare.models import MediaItem, MediaStatus
from tests.factories import make_user
from tests.media_files import jpeg_bytes
from tests.services.test_ingest import _upload


def _lost_job(session: Session, item_id: int, age: timedelta) -> None:
    """Make the item look stored `age` ago with its derivatives never made (as after a crash)."""
    item = session.get(MediaItem, item_id)
    item.status, item.preview_key, item.thumbnail_key = MediaStatus.STORED, None, None
    item.updated_at = item.updated_at - age
    session.commit()


def test_a_stalled_item_is_processed_again_and_a_fresh_one_is_left_to_its_job(session: Session) -> None:
    user = make_user(session)
    stalled = _upload(session, user, "lost.jpg", jpeg_bytes(seed=1)).media_id
    fresh = _upload(session, user, "fresh.jpg", jpeg_bytes(seed=2)).media_id
    queue.drain_local()
    _lost_job(session, stalled, timedelta(minutes=10))
    _lost_job(session, fresh, timedelta(seconds=0))  # just stored: its job may still be queued

    assert media_jobs.resume_stalled() == 1
    queue.drain_local()
    session.expire_all()
    assert session.get(MediaItem, stalled).status is MediaStatus.READY
    assert session.get(MediaItem, stalled).thumbnail_key
    assert session.get(MediaItem, fresh).status is MediaStatus.STORED
    assert media_jobs.resume_stalled() == 0  # nothing left that is stalled


def test_the_check_is_a_registered_periodic_task() -> None:
    from mediashare.jobs import schedule

    assert schedule.TASKS["resume_derivatives"].job == "mediashare.jobs.media.resume_stalled"
