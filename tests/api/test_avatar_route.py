"""GET /api/avatars/{id}: signed-in people only, from our storage, with safe headers."""

from __future__ import annotations

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import build_api
from mediashare.services import auth, avatars
from tests.factories import PASSWORD, make_user
from tests.services.test_avatars import picture

ORIGIN = "http://localhost:8000"
CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")


@pytest.fixture
def client(database_url: str) -> TestClient:
    with TestClient(build_api(), base_url=ORIGIN, follow_redirects=False) as client:
        yield client


def test_a_signed_in_person_gets_the_picture_with_private_caching(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    avatars.set_avatar(session, actor=owner, upload=picture(), client=CLIENT)
    viewer = make_user(session)
    url = routes.avatar_url(owner.id, owner.avatar_key)

    anonymous = client.get(url)
    assert anonymous.status_code == 401 and anonymous.headers["cache-control"] == "no-store"

    token = auth.login(session, identifier=viewer.username, password=PASSWORD, client=CLIENT).token
    client.cookies.set(routes.SESSION_COOKIE, token)
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/webp"
    assert response.headers["cache-control"].startswith("private")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content[:4] == b"RIFF" and response.content[8:12] == b"WEBP"
    again = client.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and not again.content


def test_missing_pictures_and_bad_ids_are_404(client: TestClient, session: Session) -> None:
    viewer = make_user(session)
    token = auth.login(session, identifier=viewer.username, password=PASSWORD, client=CLIENT).token
    client.cookies.set(routes.SESSION_COOKIE, token)
    for user_id in (str(viewer.id), "999999", "abc", "-1"):
        assert client.get(routes.API_AVATAR.format(user_id=user_id)).status_code == 404


def test_an_ended_session_no_longer_sees_pictures(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    avatars.set_avatar(session, actor=owner, upload=picture(), client=CLIENT)
    token = auth.login(session, identifier=owner.username, password=PASSWORD, client=CLIENT).token
    auth.logout(session, token=token, client=CLIENT)
    client.cookies.set(routes.SESSION_COOKIE, token)
    assert client.get(routes.API_AVATAR.format(user_id=owner.id)).status_code == 401
