"""Running work in the background: RQ on Redis when configured, a local pool otherwise.

With REDIS_URL set, jobs go to the `mediashare` RQ queue and any number of `python -m mediashare
worker` processes (on any machine that sees the same database, Redis and storage) run them, with
retries. Without Redis (the embedded default), a small pool inside the server process runs them.

Jobs are plain functions that take ids (ints or short strings) and open their own database
session; running one twice must be harmless, because retries and restarts do that.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from rq import Queue, Retry, Worker
from rq.job import Job, JobStatus

from mediashare.settings import get_settings

log = logging.getLogger(__name__)

_RETRY = Retry(max=3, interval=[5, 30, 120])
_WAITING = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_pending: set[Future] = set()
_local_ids: dict[str, Future] = {}  # job_id → its unfinished future, so a waiting job is not queued twice
_local_failures: deque[JobFailure] = deque(maxlen=20)  # the local pool's latest failures, newest last
_local_failed_count = 0

JobArgument = int | str


@dataclass(frozen=True)
class QueueStats:
    """For dashboards: what is waiting, running and failed."""

    backend: str
    queued: int
    running: int
    failed: int


@dataclass(frozen=True)
class JobFailure:
    """For dashboards: one job that failed for good (after its retries)."""

    job: str  # the function's name, e.g. "media.make_derivatives"
    error: str  # the exception's last line, shortened
    failed_at: datetime | None


def _short_name(function: object) -> str:
    name = getattr(function, "__module__", "") + "." + getattr(function, "__qualname__", str(function))
    return name.removeprefix("mediashare.jobs.")


def _check_arguments(args: tuple[JobArgument, ...]) -> None:
    for value in args:
        if isinstance(value, bool) or not isinstance(value, int | str) or (isinstance(value, str) and len(value) > 200):
            raise TypeError("jobs take ids (ints or short strings) only, never objects or rows")


def _redis() -> redis.Redis:
    return redis.Redis.from_url(get_settings().redis_url)  # type: ignore[arg-type]


def queue() -> Queue:
    """The RQ queue (only with REDIS_URL)."""
    return Queue(get_settings().job_queue, connection=_redis(), default_timeout=900)


def _local_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=max(1, (os.cpu_count() or 1)), thread_name_prefix="job")
        return _pool


def _run_locally(job: Callable[..., object], args: tuple[JobArgument, ...]) -> object:
    global _local_failed_count
    try:
        return job(*args)
    except Exception as error:
        log.exception("job %s%r failed", getattr(job, "__qualname__", job), args)
        with _pool_lock:
            _local_failed_count += 1
            _local_failures.append(JobFailure(job=_short_name(job), error=f"{type(error).__name__}: {error}"[:300],
                                              failed_at=datetime.now(UTC)))
        raise


def _resolve(job: Callable[..., object] | str) -> Callable[..., object]:
    """A job given as "package.module.function" (so services can queue jobs without importing them)."""
    if callable(job):
        return job
    module, _, name = job.rpartition(".")
    if not module.startswith("mediashare.jobs.") and not module.startswith("tests."):
        raise ValueError(f"{job!r} is not one of our jobs")
    return getattr(importlib.import_module(module), name)


def enqueue(job: Callable[..., object] | str, *args: JobArgument, job_id: str | None = None) -> Future | str:
    """Run `job(*args)` in the background. Returns the RQ job id, or a Future for the local pool.

    `job_id` makes enqueueing idempotent (while a job with that id waits or runs, queueing it again
    returns it instead of adding a second one), on RQ and in the local pool alike.
    """
    _check_arguments(args)
    if get_settings().redis_url:
        rq_queue = queue()
        if job_id is not None:
            existing = rq_queue.fetch_job(job_id)
            if existing is not None and existing.get_status(refresh=True) in _WAITING:
                return job_id  # already waiting or running: the same work is not queued twice
        rq_job = rq_queue.enqueue(_resolve(job), *args, job_id=job_id, retry=_RETRY,
                                  result_ttl=3600, failure_ttl=7 * 86400)
        return rq_job.id
    pool, function = _local_pool(), _resolve(job)
    with _pool_lock:
        existing_future = _local_ids.get(job_id) if job_id is not None else None
        if existing_future is not None and not existing_future.done():
            return existing_future  # already waiting or running here
        future = pool.submit(_run_locally, function, args)
        _pending.add(future)
        if job_id is not None:
            _local_ids[job_id] = future
    future.add_done_callback(lambda done: _forget(done, job_id))
    return future


def _forget(future: Future, job_id: str | None = None) -> None:
    with _pool_lock:
        _pending.discard(future)
        if job_id is not None and _local_ids.get(job_id) is future:
            del _local_ids[job_id]


def stats() -> QueueStats:
    if not get_settings().redis_url:
        with _pool_lock:
            unfinished = sum(1 for future in _pending if not future.done())
            running = sum(1 for future in _pending if future.running())
            failed = _local_failed_count
        return QueueStats(backend="local", queued=unfinished - running, running=running, failed=failed)
    rq_queue = queue()
    return QueueStats(
        backend="redis",
        queued=rq_queue.count,
        running=rq_queue.started_job_registry.count,
        failed=rq_queue.failed_job_registry.count,
    )


def recent_failures(limit: int = 5) -> list[JobFailure]:
    """The latest jobs that failed for good, newest first (RQ keeps them a week; the local pool
    remembers the last 20 since the server started)."""
    limit = max(0, min(int(limit), 20))
    if not get_settings().redis_url:
        with _pool_lock:
            return list(reversed(_local_failures))[:limit]
    registry = queue().failed_job_registry
    ids = registry.get_job_ids(0, 50)  # oldest first; few, and each fetched once
    jobs = [job for job in (Job.fetch_many(ids, connection=_redis()) if ids else []) if job is not None]
    jobs.sort(key=lambda job: job.ended_at or datetime.min.replace(tzinfo=UTC), reverse=True)
    failures = []
    for job in jobs[:limit]:
        lines = [line for line in (job.exc_info or "").strip().splitlines() if line.strip()]
        ended = job.ended_at.replace(tzinfo=UTC) if job.ended_at and job.ended_at.tzinfo is None else job.ended_at
        failures.append(JobFailure(job=(job.func_name or "").removeprefix("mediashare.jobs."),
                                   error=(lines[-1] if lines else "failed")[:300], failed_at=ended))
    return failures


def run_worker(*, burst: bool = False) -> None:
    """Process jobs until stopped (or, with `burst`, until the queue is empty)."""
    if not get_settings().redis_url:
        raise RuntimeError("A separate worker needs REDIS_URL; without it the server runs jobs itself.")
    Worker([queue()], connection=_redis()).work(burst=burst, with_scheduler=True, logging_level="INFO")


def drain_local(timeout: float = 60.0) -> None:
    """Wait until the local pool is idle, including jobs that finished jobs queued (tests, shutdown)."""
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        with _pool_lock:
            pending = [future for future in _pending if not future.done()]
        if not pending:
            return
        wait(pending, timeout=remaining)
