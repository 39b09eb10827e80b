"""The sessions page's state: it lists the signed-in person's own sessions, this browser's marked, and
sends a visitor to sign in (coming back here)."""

from __future__ import annotations

from urllib.parse import quote

import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.services import auth
from mediashare.state.sessions import SessionsState
from tests.factories import PASSWORD, make_user


def _state(cookie: str) -> SessionsState:
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": {"cookie": cookie}, "pathname": routes.SESSIONS,
                                              "asPath": routes.SESSIONS})
    return root.get_substate(SessionsState.get_full_name().split(".")[1:])


def _sign_in(session: Session, username: str, browser: str) -> str:
    client = auth.Client(ip="203.0.113.7", user_agent=browser)
    return auth.login(session, identifier=username, password=PASSWORD, client=client).token


def test_the_page_lists_only_ones_own_sessions_with_this_one_marked(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    token = _sign_in(session, user.username, "Firefox on the laptop")
    _sign_in(session, user.username, "Chromium on the phone")
    _sign_in(session, other.username, "Someone else's browser")
    state = _state(f"{routes.SESSION_COOKIE}={token}")

    assert SessionsState.load.fn(state) is None
    assert len(state.sessions) == 2
    assert [row.current for row in state.sessions].count(True) == 1
    assert state.other_sessions == 1
    assert state.username == user.username


def test_a_visitor_is_sent_to_sign_in_and_comes_back_here(session: Session) -> None:
    make_user(session)
    state = _state("")

    sent = repr(SessionsState.load.fn(state))

    assert f"{routes.LOGIN}?next={quote(routes.SESSIONS)}" in sent
    assert state.sessions == [] and state.username == ""
