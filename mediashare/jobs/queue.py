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
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import redis
from rq import Queue, Retry, Worker
from rq.job import JobStatus

from mediashare.settings import get_settings

log = logging.getLogger(__name__)

_RETRY = Retry(max=3, interval=[5, 30, 120])
_WAITING = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_pending: set[Future] = set()
_local_ids: dict[str, Future] = {}  # job_id → its unfinished future, so a waiting job is not queued twice

JobArgument = int | str


@dataclass(frozen=True)
class QueueStats:
    """For dashboards: what is waiting, running and failed."""

    backend: str
    queued: int
    running: int
    failed: int


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
    try:
        return job(*args)
    except Exception:
        log.exception("job %s%r failed", getattr(job, "__qualname__", job), args)
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
        return QueueStats(backend="local", queued=unfinished - running, running=running, failed=0)
    rq_queue = queue()
    return QueueStats(
        backend="redis",
        queued=rq_queue.count,
        running=rq_queue.started_job_registry.count,
        failed=rq_queue.failed_job_registry.count,
    )


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
