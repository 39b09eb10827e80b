"""GET /api/faces/{tag_id}: the face crop, for the photo's owner only (session or signed URL)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import build_api
from mediashare.services import auth, people
from tests.factories import PASSWORD, make_user
from tests.services.test_media import stored

CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(build_api(), base_url="http://localhost:8000", follow_redirects=False) as client:
        yield client


def test_the_owner_gets_a_small_crop_others_get_nothing(client: TestClient, session: Session) -> None:
    owner, stranger = make_user(session), make_user(session)
    item = stored(session, owner)
    tag = people.tag(session, actor=owner, media_id=item.id, name="Eileen",
                     box={"x": 0.25, "y": 0.25, "w": 0.2, "h": 0.3})
    unboxed = people.tag(session, actor=owner, media_id=item.id, name="Bob")
    path = routes.API_FACE.format(tag_id=tag.id)
    assert client.get(path).status_code == 401
    token = auth.login(session, identifier=owner.username, password=PASSWORD, client=CLIENT).token
    client.cookies.set(routes.SESSION_COOKIE, token)
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"] == "image/webp"
    assert response.headers["cache-control"].startswith("private")
    with Image.open(io.BytesIO(response.content)) as crop:
        assert max(crop.size) <= 256 and min(crop.size) > 10
    assert client.get(path, headers={"If-None-Match": response.headers["etag"]}).status_code == 304
    assert client.get(routes.API_FACE.format(tag_id=unboxed.id)).status_code == 404
    assert client.get("/api/faces/abc").status_code == 404

    client.cookies.clear()
    assert client.get(people.face_url(tag.id, owner.id)).status_code == 200  # the signed URL alone
    assert client.get(people.face_url(tag.id, stranger.id)).status_code == 404  # signed for someone else
    forged = people.face_url(tag.id, owner.id).replace(f"/faces/{tag.id}?", f"/faces/{unboxed.id}?")
    assert client.get(forged).status_code == 403
    stranger_token = auth.login(session, identifier=stranger.username, password=PASSWORD, client=CLIENT).token
    client.cookies.set(routes.SESSION_COOKIE, stranger_token)
    assert client.get(path).status_code == 404
