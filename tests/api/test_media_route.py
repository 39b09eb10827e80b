"""GET /api/media/{id}/{variant}: who gets the bytes, ranges, validators, headers, hostile paths."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import build_api
from mediashare.models import MediaItem, User, utc_now
from mediashare.services import auth, media, signed_urls
from tests.factories import PASSWORD, make_user
from tests.services.test_media import stored

ORIGIN = "http://localhost:8000"
CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(build_api(), base_url=ORIGIN, follow_redirects=False) as client:
        yield client


def _sign_in(client: TestClient, session: Session, user: User) -> None:
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT).token
    client.cookies.set(routes.SESSION_COOKIE, token)


def _path(item: MediaItem, variant: str = "original") -> str:
    return f"/api/media/{item.id}/{variant}"


def test_the_owner_gets_the_original_with_safe_private_headers(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    assert client.get(_path(item)).status_code == 401
    _sign_in(client, session, owner)
    response = client.get(_path(item))
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    assert len(response.content) == item.size_bytes
    assert response.headers["cache-control"].startswith("private")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["accept-ranges"] == "bytes" and response.headers["etag"].startswith('"')
    assert "last-modified" in response.headers and "content-disposition" not in response.headers
    assert client.get(_path(item, "preview")).headers["content-type"] == "image/webp"
    assert client.get(_path(item, "preview_jpeg")).headers["content-type"] == "image/jpeg"
    assert client.get(_path(item, "thumbnail")).status_code == 200


def test_ranges_give_206_and_bad_ranges_416(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    _sign_in(client, session, owner)
    whole = client.get(_path(item)).content
    part = client.get(_path(item), headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == whole[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(whole)}"
    tail = client.get(_path(item), headers={"Range": "bytes=-5"})
    assert tail.status_code == 206 and tail.content == whole[-5:]
    bad = client.get(_path(item), headers={"Range": f"bytes={len(whole) + 10}-"})
    assert bad.status_code == 416 and bad.headers["content-range"] == f"bytes */{len(whole)}"


def test_validators_answer_304(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    _sign_in(client, session, owner)
    first = client.get(_path(item))
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get(_path(item), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(_path(item), headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(_path(item), headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(_path(item), headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200


def test_download_is_an_attachment_with_a_safe_name(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, "Été à Zürich.jpg")
    media.update_details(session, actor=owner, media_id=item.id, title='evil"/../name\r\nX: y', description="")
    _sign_in(client, session, owner)
    disposition = client.get(_path(item, "download")).headers["content-disposition"]
    assert disposition == 'attachment; filename="evil..name X y.jpg"; filename*=UTF-8\'\'evil..name%20X%20y.jpg'
    assert "/" not in disposition.split("filename*=")[1] and "\r" not in disposition and "\n" not in disposition
    item2 = stored(session, owner, "Été à Zürich2.jpg")
    disposition = client.get(_path(item2, "download")).headers["content-disposition"]
    assert "filename*=UTF-8''%C3%89t%C3%A9%20%C3%A0%20Z%C3%BCrich2.jpg" in disposition


def test_another_users_item_is_404_and_trash_is_for_the_owner(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    _sign_in(client, session, make_user(session))
    assert client.get(_path(item)).status_code == 404
    assert client.get(f"/api/media/{item.id + 100}/original").status_code == 404
    session.get(MediaItem, item.id).trashed_at = utc_now()
    session.commit()
    _sign_in(client, session, owner)
    assert client.get(_path(item)).status_code == 200


def test_signed_urls_work_without_a_cookie_but_only_as_granted(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    other = stored(session, owner, "other.jpg")
    url = media.media_url(item, "thumbnail", owner.id)
    assert client.get(url).status_code == 200
    token = url.split("t=", 1)[1]
    assert client.get(f"{_path(item, 'original')}?t={token}").status_code == 403  # another variant
    assert client.get(f"{_path(other, 'thumbnail')}?t={token}").status_code == 403  # another item
    stranger = make_user(session)
    foreign = signed_urls.sign(media_id=item.id, variant="thumbnail", viewer_id=stranger.id)
    assert client.get(f"{_path(item, 'thumbnail')}?t={foreign}").status_code == 404  # viewer may not see it
    assert client.get(f"{_path(item, 'thumbnail')}?t={token}x").status_code == 403  # altered


def test_expired_signed_urls_are_refused(client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    url = media.media_url(item, "original", owner.id)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + signed_urls.DEFAULT_TTL_SECONDS + 60)
    response = client.get(url)
    assert response.status_code == 403 and "expired" in response.text
    _sign_in(client, session, owner)  # a page left open: its session still lets the owner in
    assert client.get(url).status_code == 200
    _sign_in(client, session, make_user(session))  # but never someone else
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("path", [
    "/api/media/1/..%2f..%2fetc%2fpasswd", "/api/media/%2e%2e/original", "/api/media/1%5c..%5c/original",
    "/api/media/1%00/original", "/api/media/1/original%00", "/api/media/..%2f1/original",
    "/api/media/%2fetc%2fpasswd/original", "/api/media/1/%2fetc%2fpasswd", "/api/media/-1/original",
    "/api/media/1/storage_key", "/api/media/1/../../originals",
])
def test_traversal_looking_paths_never_reach_the_disk(client: TestClient, session: Session, path: str) -> None:
    owner = make_user(session)
    stored(session, owner)
    _sign_in(client, session, owner)
    assert client.get(path).status_code in (400, 404)
