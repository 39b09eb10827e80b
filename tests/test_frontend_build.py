"""The frontend is rebuilt exactly when what it is made from changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mediashare import frontend_build


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mediashare" / "pages").mkdir(parents=True)
    (tmp_path / "mediashare" / "pages" / "home.py").write_text("TITLE = 'Home'\n")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.svg").write_text("<svg/>")
    (tmp_path / "rxconfig.py").write_text("config = None\n")
    monkeypatch.setattr(frontend_build, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(frontend_build, "WEB_DIR", tmp_path / ".web")
    monkeypatch.setattr(frontend_build, "STAMP", tmp_path / ".web" / "mediashare-build.json")
    return tmp_path


def _record_build(project: Path, port: int) -> None:
    (project / ".web" / "build" / "client").mkdir(parents=True)
    frontend_build.STAMP.write_text(json.dumps({"key": frontend_build.build_key(port), "port": port}))


def test_a_recorded_build_is_reused_until_a_source_or_the_port_changes(project: Path) -> None:
    assert not frontend_build.is_current(8000)  # never built
    _record_build(project, 8000)
    assert frontend_build.is_current(8000)
    assert not frontend_build.is_current(8001)  # the port is written into the bundle

    (project / "mediashare" / "pages" / "home.py").write_text("TITLE = 'Welcome'\n")
    assert not frontend_build.is_current(8000)


def test_new_assets_and_compiled_bytecode(project: Path) -> None:
    _record_build(project, 8000)
    cache = project / "mediashare" / "pages" / "__pycache__"
    cache.mkdir()
    (cache / "home.cpython-311.pyc").write_bytes(b"\0" * 16)
    assert frontend_build.is_current(8000)  # bytecode is not a source

    (project / "assets" / "banner.png").write_bytes(b"png")
    assert not frontend_build.is_current(8000)


def test_an_unfinished_or_damaged_build_is_not_current(project: Path) -> None:
    _record_build(project, 8000)
    (project / ".web" / "build" / "client").rmdir()
    assert not frontend_build.is_current(8000)  # the stamp without the bundle

    (project / ".web" / "build" / "client").mkdir()
    frontend_build.STAMP.write_text("{not json")
    assert not frontend_build.is_current(8000)
