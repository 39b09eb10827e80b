"""Periodic jobs: a small registry and the loop that starts each one once per period.

Every app process (a Reflex lifespan task) and every `python -m mediashare worker` runs the loop.
Each check, a task that is due is claimed in the database (`services.schedule.claim`: one winner
per period across all processes, surviving restarts) and its job is queued like any other, so the
work runs on a worker or the local pool, never on the event loop. A failing check is logged and
the loop carries on; the next check tries again.

To add a periodic task: `register(PeriodicTask("name", "mediashare.jobs.module.function", period))`
where the job takes no arguments, is idempotent, and `period` reads the interval from settings.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from mediashare import db
from mediashare.jobs import queue
from mediashare.services import schedule
from mediashare.settings import Settings, get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicTask:
    """A job (given by its dotted name, taking no arguments) run once per `period(settings)`."""

    name: str
    job: str
    period: Callable[[Settings], timedelta]


TASKS: dict[str, PeriodicTask] = {}


def register(task: PeriodicTask) -> PeriodicTask:
    TASKS[task.name] = task
    return task


register(PeriodicTask(
    "resume_derivatives", "mediashare.jobs.media.resume_stalled",
    lambda settings: timedelta(minutes=5),  # effectively every check: a lost job shows "processing"
))
register(PeriodicTask(
    "resume_renders", "mediashare.jobs.studio.resume_stalled",
    lambda settings: timedelta(minutes=5),  # a lost render holds its storage and credits until it runs
))
register(PeriodicTask(
    "resume_transcodes", "mediashare.jobs.transcode.resume_stalled",
    lambda settings: timedelta(minutes=5),  # a lost conversion leaves a video unplayable
))
register(PeriodicTask(
    "purge_trash", "mediashare.jobs.media_purge.purge_expired_trash",
    lambda settings: timedelta(hours=settings.trash_purge_every_hours),
))
register(PeriodicTask(
    # hourly, so a new month's allotments arrive within the hour; a run pays only whom it has not paid
    "plan_allotments", "mediashare.jobs.plans.grant_allotments",
    lambda settings: timedelta(hours=1),
))
register(PeriodicTask(
    "release_abandoned_holds", "mediashare.jobs.credits.release_abandoned_holds",
    lambda settings: timedelta(minutes=15),  # credits held by a request that died before settling them
))


def _start(task: PeriodicTask, now: datetime | None) -> bool:
    with db.session_scope() as session:
        granted = schedule.claim(session, name=task.name, period=task.period(get_settings()), now=now)
    if granted is None:
        return False
    try:
        queue.enqueue(task.job, job_id=f"periodic-{task.name}-{int(granted.at.timestamp())}")
    except Exception:
        with db.session_scope() as session:  # not started: the next check (here or elsewhere) retries
            schedule.release(session, granted)
        raise
    log.info("periodic task %s queued", task.name)
    return True


def tick(now: datetime | None = None) -> list[str]:
    """Claim and queue every task that is due; returns their names. One failing task does not
    keep the others from starting."""
    started = []
    for task in list(TASKS.values()):
        try:
            if _start(task, now):
                started.append(task.name)
        except Exception:
            log.exception("periodic task %s could not be started; retrying at the next check", task.name)
    return started


async def run_forever() -> None:
    """The app's lifespan task: check every SCHEDULER_CHECK_SECONDS until cancelled."""
    settings = get_settings()
    if not settings.scheduler_enabled:
        return
    while True:
        try:
            await asyncio.to_thread(tick)
        except Exception:  # e.g. the database is down: never let that end the app's task
            log.exception("periodic check failed; retrying in %s s", settings.scheduler_check_seconds)
        await asyncio.sleep(settings.scheduler_check_seconds)


def start_thread(stop: threading.Event | None = None) -> threading.Thread | None:
    """The same loop in a daemon thread (for `worker`, whose main thread belongs to RQ)."""
    settings = get_settings()
    if not settings.scheduler_enabled:
        return None
    stop = stop or threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                tick()
            except Exception:
                log.exception("periodic check failed; retrying in %s s", settings.scheduler_check_seconds)
            stop.wait(settings.scheduler_check_seconds)

    thread = threading.Thread(target=loop, name="scheduler", daemon=True)
    thread.start()
    return thread
