"""The login, two-factor and logout form routes: HttpOnly cookies, origin check, safe redirects."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import build_api
from mediashare.api.auth import PENDING_COOKIE
from mediashare.models import Role
from mediashare.services import auth, platform, throttle, two_factor
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


def _query(response) -> tuple[str, dict[str, list[str]]]:
    location = urlsplit(response.headers["location"])
    return location.path, parse_qs(location.query)


def test_an_address_that_failed_too_often_is_sent_back_with_the_throttled_message(
    client: TestClient, session: Session
) -> None:
    user = make_user(session)
    for number in range(throttle.FAILURE_LIMIT):
        _login(client, f"nobody-{number}", "wrong password")
    response = _login(client, user.username, PASSWORD)
    path, query = _query(response)
    assert path == routes.LOGIN and query["error"] == ["throttled"] and query["minutes"] == ["10"]
    assert not response.headers.get_list("set-cookie")


def test_with_two_factor_the_password_leads_to_the_code_page_and_only_the_code_signs_in(
    client: TestClient, session: Session
) -> None:
    user = make_user(session)
    setup = two_factor.begin_setup(session, actor=user)
    totp = pyotp.TOTP(setup.secret)
    two_factor.confirm_setup(session, actor=user, code=totp.now(), client=auth.Client())

    response = _login(client, user.username, PASSWORD, next_path="/account")
    path, query = _query(response)
    assert path == routes.LOGIN_2FA and query["next"] == ["/account"]
    cookies = response.headers.get_list("set-cookie")
    assert not any(c.startswith(f"{routes.SESSION_COOKIE}=") for c in cookies)
    pending = next(c for c in cookies if c.startswith(f"{PENDING_COOKIE}="))
    assert "HttpOnly" in pending and f"Path={routes.API_LOGIN_2FA}" in pending and "SameSite=strict" in pending

    wrong = client.post(routes.API_LOGIN_2FA, data={"code": totp.at(time.time() + 300), "next": "/account"},
                        headers={"Origin": ORIGIN})
    assert _query(wrong) == (routes.LOGIN_2FA, {"error": ["wrong_code"], "next": ["/account"]})

    right = client.post(routes.API_LOGIN_2FA, data={"code": totp.at(time.time() + 30), "next": "/account"},
                        headers={"Origin": ORIGIN})
    assert right.status_code == 303 and right.headers["location"] == "/account"
    assert auth.resolve(session, right.cookies[routes.SESSION_COOKIE]).id == user.id
    assert any(c.startswith(f"{PENDING_COOKIE}=") and "Max-Age=0" in c for c in right.headers.get_list("set-cookie"))


def test_the_code_step_without_a_pending_sign_in_goes_back_to_the_login_page(client: TestClient) -> None:
    response = client.post(routes.API_LOGIN_2FA, data={"code": "123456"}, headers={"Origin": ORIGIN})
    assert _query(response) == (routes.LOGIN, {"error": ["two_factor_expired"], "next": ["/"]})
    client.cookies.set(PENDING_COOKIE, "forged")
    forged = client.post(routes.API_LOGIN_2FA, data={"code": "123456"}, headers={"Origin": ORIGIN})
    assert _query(forged)[1]["error"] == ["two_factor_expired"]
    foreign = client.post(routes.API_LOGIN_2FA, data={"code": "123456"}, headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403


def test_a_superuser_who_must_use_two_factor_is_sent_to_set_it_up(client: TestClient, session: Session) -> None:
    root = make_user(session, role=Role.SUPERUSER)
    platform.set_value(session, actor=root, key="require_2fa_for_superusers", value=True)
    response = _login(client, root.username, PASSWORD, next_path="/admin/system")
    assert response.headers["location"] == routes.SECURITY
