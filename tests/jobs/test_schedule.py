"""Periodic jobs: one run per period across processes, the trash purge started by a check, and a
check that fails never ends the loop. Real databases (both kinds) and a real Redis."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from mediashare import db
from mediashare.jobs import queue, schedule
from mediashare.models import MediaItem
from mediashare.services import ingest
from mediashare.services import schedule as claims
from mediashare.settings import get_settings
from tests.factories import make_user
from tests.jobs.test_queue import _worker, redis_queue  # noqa: F401  (fixture)
from tests.media_files import jpeg_bytes
from tests.services.test_ingest import _upload

DAY = timedelta(days=1)
T0 = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)


def _race(name: str, now: datetime, claimers: int = 6) -> list[claims.Claim]:
    """`claimers` threads, each with its own session, claim `name` at the same moment."""
    start = threading.Barrier(claimers)
    won: list[claims.Claim] = []

    def claim() -> None:
        with db.session_scope() as session:
            start.wait()
            granted = claims.claim(session, name=name, period=DAY, now=now)
        if granted is not None:
            won.append(granted)

    threads = [threading.Thread(target=claim) for _ in range(claimers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return won


def test_of_concurrent_claimers_exactly_one_wins_the_first_run_and_each_later_one(database_url: str) -> None:
    assert len(_race("race", T0)) == 1  # the first run ever: concurrent INSERTs
    assert _race("race", T0 + timedelta(hours=1)) == []
    later = _race("race", T0 + DAY + timedelta(minutes=1))  # due again: concurrent UPDATEs
    assert len(later) == 1 and later[0].previous == T0


def test_a_claim_within_the_period_is_refused_and_granted_once_it_has_passed(session: Session) -> None:
    assert claims.last_run(session, "purge_trash") is None
    assert claims.claim(session, name="purge_trash", period=DAY, now=T0) is not None
    with db.session_scope() as other:  # another process, or this one after a restart
        assert claims.claim(other, name="purge_trash", period=DAY, now=T0 + DAY - timedelta(seconds=1)) is None
        assert claims.last_run(other, "purge_trash") == T0
    granted = claims.claim(session, name="purge_trash", period=DAY, now=T0 + DAY)
    assert granted is not None and granted.previous == T0
    assert claims.claim(session, name="purge_trash", period=DAY, now=T0 + DAY) is None


def test_a_released_claim_is_granted_again_at_the_next_check(session: Session) -> None:
    granted = claims.claim(session, name="release", period=DAY, now=T0)
    claims.release(session, granted)
    assert claims.last_run(session, "release") is None
    assert claims.claim(session, name="release", period=DAY, now=T0 + timedelta(minutes=10)) is not None


def _expired_item(session: Session) -> MediaItem:
    user = make_user(session)
    outcome = _upload(session, user, "old.jpg", jpeg_bytes(seed=7))
    queue.drain_local()
    item = session.get(MediaItem, outcome.media_id)
    item.trashed_at = datetime.now(UTC) - timedelta(days=31)
    session.commit()
    assert ingest.storage().path(item.storage_key).exists()
    return item


def _gone(session: Session, item: MediaItem) -> bool:
    media_id, key = item.id, item.storage_key
    session.expunge_all()
    return session.get(MediaItem, media_id) is None and not ingest.storage().path(key).exists()


def test_a_check_purges_expired_trash_once_a_day_without_anyone_running_a_command(session: Session) -> None:
    item = _expired_item(session)
    kept = _upload(session, make_user(session), "new.jpg", jpeg_bytes(seed=8))
    assert schedule.tick() == list(schedule.TASKS)  # every registered task, in order
    queue.drain_local()
    assert _gone(session, item)
    assert session.get(MediaItem, kept.media_id) is not None
    assert schedule.tick() == []  # already ran this period


def test_with_redis_the_check_queues_the_purge_once_and_a_worker_runs_it(
    session: Session, redis_queue: str  # noqa: F811
) -> None:
    item = _expired_item(session)  # its upload queued a derivatives job too
    before = queue.stats().queued
    assert schedule.tick() == list(schedule.TASKS)  # every registered task, in order
    assert schedule.tick() == []
    assert queue.stats().queued == before + len(schedule.TASKS)  # each task's job, once
    result = _worker()
    assert result.returncode == 0, result.stderr
    assert _gone(session, item)


def test_a_failing_check_does_not_stop_the_later_checks(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def period(_settings: object) -> timedelta:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the first check fails")
        return DAY

    monkeypatch.setenv("SCHEDULER_CHECK_SECONDS", "1")
    get_settings.cache_clear()
    monkeypatch.setattr(schedule, "TASKS", {})
    schedule.register(schedule.PeriodicTask("marker", "tests.jobs.sample.mark_periodic_run", period))
    marker = get_settings().data_dir / "periodic"

    async def run_until_marked() -> None:
        loop = asyncio.create_task(schedule.run_forever())
        for _ in range(200):
            if marker.exists():
                break
            await asyncio.sleep(0.05)
        assert not loop.done()  # still running after the failure
        loop.cancel()

    asyncio.run(run_until_marked())
    queue.drain_local()
    assert len(calls) >= 2 and marker.read_text() == "done\n"
