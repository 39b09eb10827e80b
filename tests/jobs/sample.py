"""Jobs used by the queue tests (importable by path, as RQ workers need)."""

from __future__ import annotations

from pathlib import Path


def write_marker(folder: str, name: str) -> None:
    """Append one line to folder/name: running it twice shows up as two lines."""
    with (Path(folder) / name).open("a", encoding="utf-8") as handle:
        handle.write("done\n")


def fail(folder: str, name: str) -> None:
    write_marker(folder, name)
    raise RuntimeError("this job always fails")


def mark_periodic_run() -> None:
    """A periodic job (no arguments): one line in DATA_DIR/periodic per run."""
    from mediashare.settings import get_settings

    folder = get_settings().data_dir
    folder.mkdir(parents=True, exist_ok=True)
    write_marker(str(folder), "periodic")


def wait_for(gate: str, folder: str, name: str) -> None:
    """Block until the file `gate` exists, then write the marker (to hold a job "running")."""
    import time

    deadline = time.monotonic() + 30
    while not Path(gate).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    write_marker(folder, name)
