"""Every event handler of every State is guarded: this finds them all, so a new handler without an
access declaration, or one that lets the wrong person through, fails the suite.

For each handler the gate (the AccessMiddleware's decision) is asked as a browser without a
session, as the role just below the one required, and as the role required. Public handlers are
listed below with the reason they are public; they must also be harmless without a session.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Iterator

import pytest
import reflex as rx
from reflex_base import constants
from sqlmodel import Session, SQLModel

import mediashare.mediashare  # noqa: F401  (registers every page and state)
from mediashare import routes
from mediashare.errors import MediashareError
from mediashare.models import Role
from mediashare.services import auth
from mediashare.state import guard
from tests.factories import PASSWORD, make_user

# "StateClass.handler" → why anyone may call it.
PUBLIC_HANDLERS: dict[str, str] = {
    "SessionState.load": "refreshes who is signed in; shows nothing but the caller's own name",
    "LoginState.load": "the login page itself; reads only the error code from the URL",
    "TwoFactorLoginState.load": "the code page; the pending sign-in lives in a cookie only the code route sees",
    "NotificationState.watch": "the bell on every page: polls the caller's own unread count; ends for visitors",
    "RegisterState.load": "the sign-up page: whether registration is open, and the form's own query values",
    "ForgotPasswordState.load": "the reset request page; the request itself is a form route answering uniformly",
    "ResetPasswordState.load": "checks (does not use) the emailed link; possession of the link is the credential",
    "VerifyEmailState.load": "uses the emailed link once; possession of the link is the credential",
    "ReferredState.load": "an invitation's landing page: the referrer's display name for a valid code, nothing else",
    "ResellerPageState.load": "a reseller's sign-in page /r/<slug>: the branding it exists to show, nothing else",
    "PublicShareState.load": "a share link's page /s/<token>: possession of the link is the credential, "
                             "the service checks it (and its password cookie) on every load",
    "PublicShareState.show": "moves the viewer within the list this tab's own load filled; reads nothing",
}

ROLES_BELOW = {Role.USER: None, Role.RESELLER: Role.USER, Role.ADMIN: Role.RESELLER, Role.SUPERUSER: Role.ADMIN}


def our_handlers() -> Iterator[tuple[type[rx.State], str]]:
    def walk(cls: type[rx.State]) -> Iterator[type[rx.State]]:
        yield cls
        for sub in cls.get_substates():
            yield from walk(sub)

    for cls in walk(rx.State):
        if guard.is_ours(cls):
            for name in cls.event_handlers:
                yield cls, name


HANDLERS = sorted(our_handlers(), key=lambda item: (item[0].__name__, item[1]))


def _state_for(cookie: str, path: str = "/") -> rx.State:
    root = rx.State(_reflex_internal_init=True)
    root.router_data = root._update_router_vars({
        constants.RouteVar.HEADERS: {"cookie": cookie, "user-agent": "pytest"},
        constants.RouteVar.CLIENT_IP: "192.0.2.10",
        constants.RouteVar.PATH: path,
        constants.RouteVar.CLIENT_TOKEN: "test-token",
    }, {})
    return root


def _event_name(cls: type[rx.State], name: str) -> str:
    return f"{cls.get_full_name()}.{name}"


def _cookie_for(session: Session, role: Role) -> str:
    user = make_user(session, role=role)
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    return f"{routes.SESSION_COOKIE}={token}"


def test_the_app_has_handlers_to_check() -> None:
    assert len(HANDLERS) >= 8  # the walk finds our states (a broken walk must not pass silently)


@pytest.mark.parametrize(("cls", "name"), HANDLERS, ids=[f"{c.__name__}.{n}" for c, n in HANDLERS])
def test_every_handler_declares_access_and_the_gate_enforces_it(
    session: Session, cls: type[rx.State], name: str
) -> None:
    key = f"{cls.__name__}.{name}"
    access = guard.declared_access(cls.event_handlers[name])
    event = _event_name(cls, name)
    anonymous = guard.decide(_state_for(""), event)
    forged = guard.decide(_state_for(f"{routes.SESSION_COOKIE}=forged-token-value"), event)

    if access == "public":
        assert key in PUBLIC_HANDLERS, f"{key} is public but not listed (with a reason) in PUBLIC_HANDLERS"
        assert anonymous.allowed
        return
    assert key not in PUBLIC_HANDLERS, f"{key} is listed as public but requires {access}"
    assert not anonymous.allowed, f"{key} let a browser without a session through"
    assert not forged.allowed, f"{key} let a forged session token through"
    if access is None:
        return  # undeclared (e.g. Reflex's generated setvar): refused for everyone, checked below
    below = ROLES_BELOW[access]
    if below is not None:
        lower = guard.decide(_state_for(_cookie_for(session, below)), event)
        assert not lower.allowed, f"{key} let a {below.value} through (needs {access.value})"
    assert guard.decide(_state_for(_cookie_for(session, access)), event).allowed


@pytest.mark.parametrize(("cls", "name"), HANDLERS, ids=[f"{c.__name__}.{n}" for c, n in HANDLERS])
def test_undeclared_handlers_are_refused_even_for_superusers(session: Session, cls: type[rx.State], name: str) -> None:
    if guard.declared_access(cls.event_handlers[name]) is not None:
        return
    decision = guard.decide(_state_for(_cookie_for(session, Role.SUPERUSER)), _event_name(cls, name))
    assert not decision.allowed and decision.reason == "undeclared handler"


def _call(handler_fn, state: rx.State) -> object:
    """Run a handler directly (bypassing the gate) with dummy arguments of the right kinds."""
    parameters = list(inspect.signature(handler_fn).parameters.values())[1:]
    dummy = {int: 1, str: "x", float: 1.0, bool: True, dict: {}, list: []}
    args = [dummy.get(p.annotation if isinstance(p.annotation, type) else str, "x") for p in parameters
            if p.default is inspect.Parameter.empty]
    result = handler_fn(state, *args)
    if inspect.isawaitable(result):
        result = asyncio.run(result)
    elif inspect.isasyncgen(result):
        async def drain():
            return [item async for item in result]
        result = asyncio.run(drain())
    elif inspect.isgenerator(result):
        result = list(result)
    return result


def _database_snapshot(session: Session) -> dict[str, list[tuple]]:
    session.expire_all()
    return {
        table.name: sorted(map(tuple, session.execute(table.select()).all()), key=repr)
        for table in SQLModel.metadata.sorted_tables
    }


@pytest.mark.parametrize(("cls", "name"), HANDLERS, ids=[f"{c.__name__}.{n}" for c, n in HANDLERS])
def test_guarded_handlers_also_refuse_when_called_past_the_gate(
    session: Session, cls: type[rx.State], name: str
) -> None:
    """Defence in depth: called directly without a session (as if the gate were gone), a guarded
    handler changes nothing in the database and puts no new data into the browser's state; it may
    refuse with an event, raise one of our errors, or only tidy its own tab's view."""
    access = guard.declared_access(cls.event_handlers[name])
    if not isinstance(access, Role):
        return
    make_user(session, role=Role.ADMIN)  # something to leak or change, were the handler careless
    root = _state_for("")
    state = root.get_substate(cls.get_full_name().split(".")[1:])
    before = state.dict()
    database_before = _database_snapshot(session)
    with contextlib.suppress(MediashareError):  # refusing by raising (NotSignedIn, …) is fine
        _call(cls.event_handlers[name].fn, state)
    assert _database_snapshot(session) == database_before, f"{cls.__name__}.{name} changed the database"
    # No data from the database reaches the browser's state (UI flags and echoed input may change).
    stored = {value for rows in database_before.values() for row in rows for value in row
              if isinstance(value, str) and len(value) >= 4}
    shown_before, shown_after = repr(before), repr(state.dict())
    leaked = sorted(value for value in stored if value in shown_after and value not in shown_before)
    assert not leaked, f"{cls.__name__}.{name} showed {leaked} to a browser without a session"
