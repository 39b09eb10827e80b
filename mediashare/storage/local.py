"""Local-disk storage under MEDIA_ROOT: generated keys, atomic writes (temp file, fsync, rename)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_KEY = re.compile(r"[0-9a-f]{32}(\.[a-z0-9]{1,8})?")
_AREAS = ("originals", "derived")
_TEMPORARY = ".tmp-"  # prefix of a file being written, renamed to its key once complete


class StorageError(Exception):
    """The storage could not do what was asked (a bad key, a full or read-only disk)."""


class LocalStorage:
    """Files under `root/<area>/<k0k1>/<key>`; keys are random hex plus an allow-listed suffix."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, area: str, key: str) -> Path:
        if area not in _AREAS or not isinstance(key, str) or not _KEY.fullmatch(key):
            raise StorageError("That storage key is not valid.")
        return self.root / area / key[:2] / key

    def path(self, key: str, *, area: str = "originals") -> Path:
        """Where `key` lives on disk (for serving with sendfile and range requests)."""
        return self._path(area, key)

    @staticmethod
    def new_key(suffix: str = "") -> str:
        """A fresh key; `suffix` ("." plus 1–8 lower-case letters or digits) comes from an allow-list."""
        key = f"{uuid.uuid4().hex}{suffix}"
        if not _KEY.fullmatch(key):
            raise StorageError("That file suffix is not allowed.")
        return key

    @property
    def incoming(self) -> Path:
        """Where uploads are received before they are checked (same file system: moves are renames)."""
        return self.root / "incoming"

    def receive_path(self) -> Path:
        """A new, unique path under `incoming` for a file being received."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        return self.incoming / f"{uuid.uuid4().hex}.part"

    def adopt(self, received: Path, *, key: str, area: str = "originals") -> None:
        """Move a fully received and fsynced file under `key` (an atomic rename)."""
        final = self._path(area, key)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(received, final)

    def keys(self, area: str) -> Iterator[tuple[str, Path]]:
        """Every stored key in `area` with its path (temporary files are skipped)."""
        base = self.root / area
        if not base.is_dir():
            return
        for path in base.glob("*/*"):
            if path.is_file() and _KEY.fullmatch(path.name):
                yield path.name, path

    def leftovers(self, area: str) -> Iterator[Path]:
        """Temporary files of writes that never finished (the process died before the rename)."""
        base = self.root / area
        if area in _AREAS and base.is_dir():
            yield from (path for path in base.glob(f"*/{_TEMPORARY}*") if path.is_file())

    def put(self, source: BinaryIO, *, area: str = "originals", suffix: str = "") -> str:
        """Store `source` under a new key and return the key. `suffix` comes from an allow-list."""
        key = self.new_key(suffix)
        final = self._path(area, key)
        final.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=final.parent, prefix=_TEMPORARY, delete=False) as tmp:
            try:
                shutil.copyfileobj(source, tmp)
                tmp.flush()
                os.fsync(tmp.fileno())
            except BaseException:
                os.unlink(tmp.name)
                raise
        os.replace(tmp.name, final)
        return key

    def open(self, key: str, *, area: str = "originals") -> BinaryIO:
        return self._path(area, key).open("rb")

    def exists(self, key: str, *, area: str = "originals") -> bool:
        return self._path(area, key).is_file()

    def delete(self, key: str, *, area: str = "originals") -> None:
        self._path(area, key).unlink(missing_ok=True)

    def probe(self) -> None:
        """Prove the root is writable by writing, reading and removing a small file."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.root, prefix=".probe-") as handle:
                handle.write(b"ok")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise StorageError(f"{self.root} is not writable: {error.strerror or error}") from None
