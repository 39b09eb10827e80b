"""Version bytes over HTTP: the gallery's thumbnail follows the current version, any version can be
downloaded under a safe name, signed URLs work, and nobody else gets anything (both databases)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import build_api
from mediashare.services import auth, gallery, ingest, media, studio_versions
from tests.api.test_media_route import CLIENT, ORIGIN
from tests.factories import PASSWORD, make_user
from tests.services.test_media import stored
from tests.services.test_studio_versions import saved

CROP = [{"op": "crop", "x": 10, "y": 10, "w": 320, "h": 200}]


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(build_api(), base_url=ORIGIN, follow_redirects=False) as client:
        yield client


def _sign_in(client: TestClient, session: Session, user) -> None:
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT).token
    client.cookies.set(routes.SESSION_COOKIE, token)


def _derived(key: str) -> bytes:
    return ingest.storage().path(key, area="derived").read_bytes()


def test_the_gallery_thumbnail_follows_the_current_version_and_the_original_stays(
        client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, "Holiday.jpg")
    version = saved(session, owner, item, CROP)
    _sign_in(client, session, owner)
    assert client.get(f"/api/media/{item.id}/thumbnail").content == _derived(item.thumbnail_key)
    studio_versions.set_current(session, owner, item.id, version.id)
    thumbnail = client.get(f"/api/media/{item.id}/thumbnail")
    assert thumbnail.content == _derived(version.thumbnail_key)
    assert client.get(f"/api/media/{item.id}/preview_jpeg").content == _derived(version.preview_jpeg_key)
    original = client.get(f"/api/media/{item.id}/download")
    assert original.content == ingest.storage().path(item.storage_key).read_bytes()
    assert 'filename="Holiday.jpg"' in original.headers["content-disposition"]
    signed = gallery.thumbnail_url(item.id, viewer_id=owner.id)  # what a gallery tile holds
    client.cookies.clear()
    assert client.get(signed).content == _derived(version.thumbnail_key)
    studio_versions.set_current(session, owner, item.id, None)
    assert client.get(signed).content == _derived(item.thumbnail_key)


def test_any_version_downloads_under_a_safe_name(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, 'a "bad"/name.jpg')
    first, second = saved(session, owner, item, CROP), saved(session, owner, item, [{"op": "flip", "axis": "vertical"}])
    _sign_in(client, session, owner)
    base = f"/api/media/{item.id}/versions"
    download = client.get(f"{base}/{first.id}/download")
    assert download.status_code == 200 and download.content == _derived(first.storage_key)
    assert download.headers["content-type"] == "image/jpeg"
    assert "attachment" in download.headers["content-disposition"]
    assert download.headers["content-disposition"].endswith("name%20%28edit%201%29.jpg")
    assert client.get(f"{base}/{second.id}/full").content == _derived(second.storage_key)
    assert "content-disposition" not in client.get(f"{base}/{second.id}/full").headers
    assert client.get(f"{base}/{second.id}/thumbnail").headers["content-type"] == "image/webp"
    for bad in (f"{base}/{first.id}/original", f"{base}/x/full", f"{base}/{first.id + 99}/full",
                f"/api/media/{item.id + 99}/versions/{first.id}/full"):
        assert client.get(bad).status_code == 404


def test_signed_version_urls_work_without_a_session_for_that_file_only(
        client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    first, second = saved(session, owner, item, CROP), saved(session, owner, item, CROP)
    detail = studio_versions.version_detail(session, owner, item.id, first.id)
    assert client.get(detail.download_url).status_code == 200  # no cookie: the signature is enough
    assert client.get(detail.thumbnail_url).content == _derived(first.thumbnail_key)
    token = detail.download_url.split("?t=")[1]
    assert client.get(f"/api/media/{item.id}/versions/{second.id}/download?t={token}").status_code == 403
    assert client.get(f"/api/media/{item.id}/versions/{first.id}/full?t={token}").status_code == 403
    assert client.get(f"/api/media/{item.id}/download?t={token}").status_code == 403
    item_token = media.url_for(item.id, "download", owner.id).split("?t=")[1]
    assert client.get(f"/api/media/{item.id}/versions/{first.id}/download?t={item_token}").status_code == 403


def test_other_users_get_not_found_for_every_version_file(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    version = saved(session, owner, item, CROP)
    assert client.get(f"/api/media/{item.id}/versions/{version.id}/full").status_code == 401
    stranger = make_user(session)
    _sign_in(client, session, stranger)
    for variant in studio_versions.VERSION_VARIANTS:
        response = client.get(f"/api/media/{item.id}/versions/{version.id}/{variant}")
        assert response.status_code == 404 and response.content == b"That item does not exist."
    # a URL signed for the stranger (who was never given one) is refused too
    forged = studio_versions.version_url(item.id, version.id, "full", stranger.id)
    assert client.get(forged).status_code == 404
