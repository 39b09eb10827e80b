"""GET /api/studio/{id}/preview/{seq}: only the session that rendered a preview gets it back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import build_api
from mediashare.models import User
from mediashare.services import auth, studio_preview
from tests.factories import PASSWORD, make_user
from tests.services.test_media import stored

ORIGIN = "http://localhost:8000"
CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    studio_preview.forget_all()
    with TestClient(build_api(), base_url=ORIGIN, follow_redirects=False) as client:
        yield client
    studio_preview.forget_all()


def _sign_in(client: TestClient, session: Session, user: User) -> str:
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT).token
    client.cookies.set(routes.SESSION_COOKIE, token)
    return token


def test_the_session_that_rendered_a_preview_gets_a_private_jpeg(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    token = _sign_in(client, session, owner)
    rendered = studio_preview.render(session, actor=owner, session_key=auth.token_hash(token), media_id=item.id,
                                     raw_ops=[{"op": "brightness", "value": 30}])
    response = client.get(routes.studio_preview(item.id, rendered.seq))
    assert response.status_code == 200 and response.content[:3] == b"\xff\xd8\xff"
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get(routes.studio_preview(item.id, rendered.seq + 1)).status_code == 404
    client.cookies.clear()
    assert client.get(routes.studio_preview(item.id, rendered.seq)).status_code == 401


def test_another_user_or_another_session_gets_404(client: TestClient, session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    token = auth.login(session, identifier=owner.username, password=PASSWORD, client=CLIENT).token
    rendered = studio_preview.render(session, actor=owner, session_key=auth.token_hash(token), media_id=item.id,
                                     raw_ops=[])
    path = routes.studio_preview(item.id, rendered.seq)
    _sign_in(client, session, make_user(session))
    assert client.get(path).status_code == 404
    _sign_in(client, session, owner)  # the owner, signed in again: a different session
    assert client.get(path).status_code == 404
    client.cookies.set(routes.SESSION_COOKIE, token)
    assert client.get(path).status_code == 200
    for hostile in (f"/api/studio/{item.id}/preview/-1", f"/api/studio/{item.id}/preview/1e3",
                    f"/api/studio/0/preview/{rendered.seq}", f"/api/studio/x/preview/{rendered.seq}",
                    f"/api/studio/{item.id}/preview/{'9' * 40}"):
        assert client.get(hostile).status_code == 404
