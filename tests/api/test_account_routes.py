"""The account form routes: passwords only by form post, signed notices, uniform answers."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import accounts, build_api
from mediashare.models import Role, User
from mediashare.services import auth, credentials, notices, platform, users
from tests.conftest import Mailbox
from tests.factories import PASSWORD, make_user

ORIGIN = "http://localhost:8000"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def client(database_url: str) -> TestClient:
    with TestClient(build_api(), base_url=ORIGIN, follow_redirects=False) as client:
        yield client


@pytest.fixture
def root(session: Session) -> User:
    return make_user(session, role=Role.SUPERUSER, username="root")


def _post(client: TestClient, path: str, data: dict[str, str], *, origin: str = ORIGIN):
    return client.post(path, data=data, headers={"Origin": origin})


def _landing(response) -> tuple[str, dict[str, str], notices.Notice | None]:
    """Where a 303 goes, its query, and the notice it carries."""
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    return location.path, query, notices.unseal(query.get("notice"))


def _sign_in(client: TestClient, user: User, password: str = PASSWORD) -> str:
    response = _post(client, routes.API_LOGIN, {"identifier": user.username, "password": password})
    token = response.cookies[routes.SESSION_COOKIE]
    client.cookies.set(routes.SESSION_COOKIE, token)
    return token


def test_registering_leads_to_sign_in_with_a_success_notice(
    client: TestClient, session: Session, root: User, smtp_server: Mailbox
) -> None:
    response = _post(client, routes.API_REGISTER, {"username": "newbie", "email": "newbie@example.com",
                                                   "password": "a long new password", "referral_code": ""})
    path, query, notice = _landing(response)
    assert path == routes.LOGIN and query["u"] == "newbie"
    assert notice.kind == "success" and "newbie@example.com" in notice.text
    smtp_server.wait_for(to="newbie@example.com", subject="Confirm your email address")
    assert not response.headers.get_list("set-cookie")  # no sign-in by registering


def test_a_refused_registration_returns_to_the_form_keeping_everything_but_the_password(
    client: TestClient, root: User
) -> None:
    response = _post(client, routes.API_REGISTER, {"username": "newbie", "email": "newbie@example.com",
                                                   "password": "password1", "referral_code": "FRIEND"})
    path, query, notice = _landing(response)
    assert path == routes.REGISTER
    assert query["username"] == "newbie" and query["email"] == "newbie@example.com" and query["ref"] == "FRIEND"
    assert "password1" not in response.headers["location"]
    assert notice.kind == "error" and "most common passwords" in notice.text


def test_closed_registration_is_refused_by_the_route_too(client: TestClient, session: Session, root: User) -> None:
    platform.set_value(session, actor=root, key="registration_open", value=False)
    response = _post(client, routes.API_REGISTER, {"username": "newbie", "email": "newbie@example.com",
                                                   "password": "a long new password"})
    assert _landing(response)[2].text.startswith("Registration is closed")
    assert users.find_by_login(session, "newbie") is None


def test_forms_posted_from_another_site_are_refused(client: TestClient, root: User) -> None:
    for path in (routes.API_REGISTER, routes.API_FORGOT_PASSWORD, routes.API_RESET_PASSWORD,
                 routes.API_CHANGE_PASSWORD, routes.API_CHANGE_EMAIL):
        assert _post(client, path, {"email": "a@example.com"}, origin="http://evil.example").status_code == 403


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(
    client: TestClient, session: Session, smtp_server: Mailbox
) -> None:
    user = make_user(session)
    known = _landing(_post(client, routes.API_FORGOT_PASSWORD, {"email": user.email}))
    unknown = _landing(_post(client, routes.API_FORGOT_PASSWORD, {"email": "nobody@example.com"}))
    assert known[0] == unknown[0] == routes.FORGOT_PASSWORD
    assert known[2] == unknown[2] == notices.Notice(kind="success", text=credentials.RESET_REQUESTED)
    smtp_server.wait_for(to=user.email, subject="Choose a new password")
    assert len(smtp_server.messages) == 1


def _reset_token(smtp_server: Mailbox, user: User) -> str:
    message = smtp_server.wait_for(to=user.email, subject="Choose a new password")
    link = next(link for link in Mailbox.links(message) if routes.RESET_PASSWORD in link)
    return parse_qs(urlsplit(link).query)["token"][0]


def test_a_reset_signs_out_everywhere_and_leads_to_sign_in(
    client: TestClient, session: Session, smtp_server: Mailbox
) -> None:
    user = make_user(session)
    old_token = _sign_in(client, user)
    _post(client, routes.API_FORGOT_PASSWORD, {"email": user.email})
    token = _reset_token(smtp_server, user)

    differ = _landing(_post(client, routes.API_RESET_PASSWORD,
                            {"token": token, "password": NEW_PASSWORD, "password_confirm": "something else"}))
    assert differ[0] == routes.RESET_PASSWORD and differ[1]["token"] == token
    assert differ[2].text == accounts.PASSWORDS_DIFFER

    response = _post(client, routes.API_RESET_PASSWORD,
                     {"token": token, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    path, query, notice = _landing(response)
    assert path == routes.LOGIN and query["u"] == user.username and "signed out" in notice.text
    assert auth.resolve(session, old_token) is None
    other = "another passphrase"
    again = _landing(_post(client, routes.API_RESET_PASSWORD,
                           {"token": token, "password": other, "password_confirm": other}))
    assert again[0] == routes.RESET_PASSWORD and "already been used" in again[2].text


def test_changing_the_password_needs_a_session_and_the_current_password(
    client: TestClient, session: Session
) -> None:
    user = make_user(session)
    form = {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert _landing(_post(client, routes.API_CHANGE_PASSWORD, form))[0] == routes.LOGIN  # not signed in
    token = _sign_in(client, user)
    wrong = _landing(_post(client, routes.API_CHANGE_PASSWORD, {**form, "current_password": "guess"}))
    assert wrong[0] == routes.ACCOUNT and wrong[2].text == "That is not your current password."
    response = _post(client, routes.API_CHANGE_PASSWORD, form)
    path, query, notice = _landing(response)
    assert path == routes.LOGIN and query["next"] == routes.ACCOUNT and notice.kind == "success"
    assert any(c.startswith(f"{routes.SESSION_COOKIE}=") and "Max-Age=0" in c
               for c in response.headers.get_list("set-cookie"))
    assert auth.resolve(session, token) is None


def test_changing_the_email_sends_a_link_to_the_new_address(
    client: TestClient, session: Session, smtp_server: Mailbox
) -> None:
    user = make_user(session)
    _sign_in(client, user)
    response = _post(client, routes.API_CHANGE_EMAIL, {"email": "fresh@example.org", "current_password": PASSWORD})
    path, _, notice = _landing(response)
    assert path == routes.ACCOUNT and notice.kind == "success" and "fresh@example.org" in notice.text
    smtp_server.wait_for(to="fresh@example.org", subject="Confirm your new email address")
    session.refresh(user)
    assert user.pending_email == "fresh@example.org" and user.email != "fresh@example.org"

