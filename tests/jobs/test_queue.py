"""Background jobs: the local pool without Redis, RQ with a real Redis and a real worker process."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from mediashare.jobs import queue
from mediashare.settings import PROJECT_ROOT, get_settings
from tests.jobs import sample


def test_without_redis_jobs_run_in_the_local_pool(tmp_path: Path) -> None:
    for index in range(5):
        queue.enqueue(sample.write_marker, str(tmp_path), f"job-{index}")
    queue.drain_local()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"job-{i}" for i in range(5)]
    assert queue.stats().backend == "local" and queue.stats().queued == 0


def test_a_failing_local_job_does_not_stop_the_others(tmp_path: Path) -> None:
    queue.enqueue(sample.fail, str(tmp_path), "failed")
    queue.enqueue(sample.write_marker, str(tmp_path), "fine")
    queue.drain_local()
    assert (tmp_path / "failed").exists() and (tmp_path / "fine").exists()


def test_a_local_job_waiting_or_running_is_not_queued_twice_by_id(tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    first = queue.enqueue(sample.wait_for, str(gate), str(tmp_path), "once", job_id="same-work")
    again = queue.enqueue(sample.wait_for, str(gate), str(tmp_path), "once", job_id="same-work")
    assert again is first
    gate.touch()
    queue.drain_local()
    assert (tmp_path / "once").read_text() == "done\n"
    queue.enqueue(sample.write_marker, str(tmp_path), "once", job_id="same-work")  # finished: may run again
    queue.drain_local()
    assert (tmp_path / "once").read_text() == "done\ndone\n"


def test_jobs_take_ids_not_objects() -> None:
    with pytest.raises(TypeError, match="ids"):
        queue.enqueue(sample.write_marker, {"folder": "x"}, "y")  # type: ignore[arg-type]


@pytest.fixture
def redis_queue(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """REDIS_URL set, and a queue name of this test's own (other runs share the Redis)."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("JOB_QUEUE", name)
    get_settings.cache_clear()
    yield name
    queue.queue().empty()


def _worker() -> subprocess.CompletedProcess[str]:
    """A real `python -m mediashare worker --burst` process: runs what is queued, then exits."""
    return subprocess.run([sys.executable, "-m", "mediashare", "worker", "--burst"],
                          cwd=PROJECT_ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=120)


def test_with_redis_a_worker_process_runs_queued_jobs(redis_queue: str, tmp_path: Path) -> None:
    job_id = queue.enqueue(sample.write_marker, str(tmp_path), "from-worker", job_id=f"{redis_queue}-1")
    assert isinstance(job_id, str)
    assert queue.stats().queued == 1
    assert not (tmp_path / "from-worker").exists()  # nothing runs until a worker does
    result = _worker()
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "from-worker").read_text() == "done\n"
    assert queue.stats().queued == 0


def test_the_same_job_id_is_queued_once(redis_queue: str, tmp_path: Path) -> None:
    for _ in range(3):
        queue.enqueue(sample.write_marker, str(tmp_path), "once", job_id=f"{redis_queue}-same")
    assert queue.stats().queued == 1
    _worker()
    assert (tmp_path / "once").read_text() == "done\n"


def test_worker_without_redis_explains_itself() -> None:
    result = subprocess.run([sys.executable, "-m", "mediashare", "worker", "--burst"], cwd=PROJECT_ROOT,
                            env=dict(os.environ), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "needs REDIS_URL" in result.stderr
