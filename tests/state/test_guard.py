"""The access gate: every handler declares who may call it, and a superuser who must set up
two-factor can do nothing else first."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import reflex as rx
from sqlmodel import Session

import mediashare.pages  # noqa: F401  (imports every state)
from mediashare import routes
from mediashare.models import Role
from mediashare.services import auth, platform
from mediashare.state import guard
from mediashare.state.account import AccountState
from mediashare.state.notifications import NotificationState
from mediashare.state.security import SecurityState
from mediashare.state.sessions import SessionsState
from tests.factories import PASSWORD, make_user


def _connection(token: str | None) -> SimpleNamespace:
    """What the gate reads from a websocket connection: the root state and the handshake cookie."""
    root = object.__new__(rx.State)
    cookie = f"{routes.SESSION_COOKIE}={token}" if token else ""
    router = SimpleNamespace(headers=SimpleNamespace(cookie=cookie), url=SimpleNamespace(path="/account"))
    return SimpleNamespace(router=router, _get_root_state=lambda: root)


def _event(state: type[rx.State], handler: str) -> str:
    return f"{state.get_full_name()}.{handler}"


def test_every_handler_of_ours_declares_who_may_call_it() -> None:
    undeclared = [
        f"{state.__name__}.{name}"
        for state in _all_states(rx.State)
        if guard.is_ours(state)
        for name, handler in state.event_handlers.items()
        if name != "setvar" and guard.declared_access(handler) is None  # setvar: Reflex's, refused by the gate
    ]
    assert undeclared == []


def _all_states(state: type[rx.State]) -> list[type[rx.State]]:
    found = [state]
    for child in state.get_substates():
        found.extend(_all_states(child))
    return found


@pytest.fixture
def superuser_token(session: Session) -> str:
    root = make_user(session, role=Role.SUPERUSER, username="boss")
    platform.set_value(session, actor=root, key="require_2fa_for_superusers", value=True)
    return auth.login(session, identifier="boss", password=PASSWORD, client=auth.Client()).token


def test_a_superuser_who_must_set_up_two_factor_is_sent_to_the_security_page(superuser_token: str) -> None:
    connection = _connection(superuser_token)
    for state, handler in ((AccountState, "load"), (SessionsState, "revoke_others"), (NotificationState, "load")):
        decision = guard.decide(connection, _event(state, handler))
        assert not decision.allowed and decision.reason == "two-factor set-up required"
        assert any(routes.SECURITY in repr(event) for event in decision.events)
    for handler in ("load", "start_setup", "confirm_setup"):
        assert guard.decide(connection, _event(SecurityState, handler)).allowed
    assert not guard.decide(connection, _event(SecurityState, "disable")).allowed


def test_other_roles_are_not_held_back_by_the_superuser_rule(session: Session, superuser_token: str) -> None:
    make_user(session, username="member")
    token = auth.login(session, identifier="member", password=PASSWORD, client=auth.Client()).token
    assert guard.decide(_connection(token), _event(AccountState, "load")).allowed


def test_a_revoked_session_is_refused_on_its_next_event(session: Session) -> None:
    make_user(session, username="member")
    token = auth.login(session, identifier="member", password=PASSWORD, client=auth.Client()).token
    assert guard.decide(_connection(token), _event(SessionsState, "load")).allowed
    auth.logout(session, token=token, client=auth.Client())
    decision = guard.decide(_connection(token), _event(SessionsState, "load"))
    assert not decision.allowed and decision.reason == "not signed in"
