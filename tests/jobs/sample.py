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
