"""GET /api/health: 200 when everything is up; 503 naming the part that is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from mediashare.api import build_api
from mediashare.settings import get_settings


def _get(monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[int, dict]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    with TestClient(build_api()) as client:
        response = client.get("/api/health")
    assert response.headers["cache-control"] == "no-store"
    return response.status_code, response.json()


def test_healthy_with_database_redis_and_storage_up(
    database_url: str, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, body = _get(monkeypatch, REDIS_URL=redis_url)
    assert status == 200
    assert body == {"status": "ok", "version": body["version"], "database": "ok", "redis": "ok", "storage": "ok"}


def test_embedded_default_without_redis_is_healthy(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    status, body = _get(monkeypatch)
    assert status == 200 and body["redis"] == "not configured"


def test_unreachable_postgresql_gives_503_naming_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    status, body = _get(monkeypatch, DATABASE_URL="postgresql://mediashare@127.0.0.1:1/mediashare")
    assert status == 503
    assert body["status"] == "failing: database"
    assert body["database"].startswith("unreachable")
    assert body["storage"] == "ok"


def test_unreachable_redis_gives_503_naming_redis(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    status, body = _get(monkeypatch, REDIS_URL="redis://127.0.0.1:1/0")
    assert status == 503
    assert body["status"] == "failing: redis" and body["redis"].startswith("unreachable")


def test_unwritable_storage_gives_503_naming_storage(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media folder should be")
    status, body = _get(monkeypatch, MEDIA_ROOT=str(blocker))
    assert status == 503
    assert body["status"] == "failing: storage" and body["storage"].startswith("not writable")
