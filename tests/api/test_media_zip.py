"""GET /api/media/zip: a streamed ZIP of originals, for ids the signed viewer may have."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import build_api
from mediashare.services import gallery, media_zip
from tests.factories import make_user
from tests.media_files import jpeg_bytes, png_bytes
from tests.services.test_ingest import _upload

ORIGIN = "http://localhost:8000"


@pytest.fixture
def client(database_url: str) -> TestClient:
    with TestClient(build_api(), base_url=ORIGIN, follow_redirects=False) as client:
        yield client


def test_the_zip_holds_the_originals_under_unique_safe_names(client: TestClient, session: Session) -> None:
    user = make_user(session)
    first = _upload(session, user, "photo.jpg", jpeg_bytes(seed=5))
    second = _upload(session, user, "PHOTO.jpg", jpeg_bytes(seed=6))
    third = _upload(session, user, "../x.png", png_bytes())
    token = media_zip.sign(viewer_id=user.id, ids=[first.media_id, second.media_id, third.media_id])
    response = client.get(f"{routes.API_MEDIA_ZIP}?t={token}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["photo.jpg", "PHOTO (2).jpg", "x.png"]
    assert archive.read("photo.jpg") == jpeg_bytes(seed=5) and archive.read("x.png") == png_bytes()
    assert archive.testzip() is None


def test_someone_elses_ids_and_bad_tokens_are_refused(client: TestClient, session: Session) -> None:
    alice, bob = make_user(session), make_user(session)
    mine = _upload(session, alice, "a.jpg", jpeg_bytes(seed=7))
    theirs = _upload(session, bob, "b.jpg", jpeg_bytes(seed=8))
    token = media_zip.sign(viewer_id=alice.id, ids=[mine.media_id, theirs.media_id])
    assert client.get(f"{routes.API_MEDIA_ZIP}?t={token}").status_code == 404
    assert client.get(f"{routes.API_MEDIA_ZIP}?t={token[:-2]}xx").status_code == 403
    assert client.get(routes.API_MEDIA_ZIP).status_code == 403
    gallery.trash(session, actor=alice, ids=[mine.media_id])
    alone = media_zip.sign(viewer_id=alice.id, ids=[mine.media_id])
    assert client.get(f"{routes.API_MEDIA_ZIP}?t={alone}").status_code == 404  # trashed: not offered


def test_the_stream_comes_in_pieces(tmp_path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (media_zip.CHUNK * 3))
    chunks = [chunk for chunk in media_zip.stream([media_zip.Entry("big.bin", big)]) if chunk]
    assert len(chunks) >= 3 and max(map(len, chunks)) < media_zip.CHUNK * 2
    assert zipfile.ZipFile(io.BytesIO(b"".join(chunks))).read("big.bin") == big.read_bytes()
