"""The login and logout form routes: HttpOnly cookie, origin check, safe redirects."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import build_api
from mediashare.services import auth
from tests.factories import PASSWORD, make_user

ORIGIN = "http://localhost:8000"


@pytest.fixture
def client(database_url: str) -> TestClient:
    with TestClient(build_api(), base_url=ORIGIN, follow_redirects=False) as client:
        yield client


def _login(client: TestClient, identifier: str, password: str, *, origin: str = ORIGIN, next_path: str = "/"):
    return client.post(routes.API_LOGIN, data={"identifier": identifier, "password": password, "next": next_path},
                       headers={"Origin": origin})


def test_login_sets_an_httponly_session_cookie_that_resolves_to_the_user(client: TestClient, session: Session) -> None:
    user = make_user(session)
    response = _login(client, user.username, PASSWORD, next_path="/account")
    assert response.status_code == 303 and response.headers["location"] == "/account"
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith(f"{routes.SESSION_COOKIE}="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie and "Path=/" in session_cookie
    token = session_cookie.split(";")[0].split("=", 1)[1]
    assert auth.resolve(session, token).id == user.id


def test_wrong_password_redirects_back_with_an_error_code_and_no_cookie(client: TestClient, session: Session) -> None:
    user = make_user(session)
    response = _login(client, user.username, "wrong password")
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == routes.LOGIN
    assert parse_qs(location.query)["error"] == ["invalid"]
    assert not any(c.startswith(routes.SESSION_COOKIE) for c in response.headers.get_list("set-cookie"))


def test_a_form_posted_from_another_site_is_refused(client: TestClient, session: Session) -> None:
    user = make_user(session)
    response = _login(client, user.username, PASSWORD, origin="http://evil.example")
    assert response.status_code == 403
    assert not response.headers.get_list("set-cookie")


@pytest.mark.parametrize("next_path", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "/api/health"])
def test_login_never_redirects_off_site(client: TestClient, session: Session, next_path: str) -> None:
    user = make_user(session)
    response = _login(client, user.username, PASSWORD, next_path=next_path)
    assert response.headers["location"] == routes.HOME


def test_logout_ends_the_session_on_the_server_and_clears_the_cookie(client: TestClient, session: Session) -> None:
    user = make_user(session)
    response = _login(client, user.username, PASSWORD)
    token = response.cookies[routes.SESSION_COOKIE]
    client.cookies.set(routes.SESSION_COOKIE, token)
    out = client.post(routes.API_LOGOUT, headers={"Origin": ORIGIN})
    assert out.status_code == 303
    cleared = out.headers.get_list("set-cookie")
    assert any(c.startswith(f"{routes.SESSION_COOKIE}=") and "Max-Age=0" in c for c in cleared)
    assert auth.resolve(session, token) is None
