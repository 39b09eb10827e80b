"""Acting for the signed-in person, then showing the result: the pattern the list and detail states share.

Every function here that acts or reads for someone resolves them from our own session cookie
(`SessionState._actor`, or the token `run_as` is handed) inside the session scope it opens, so a handler
that uses them authorizes exactly as one that does it by hand; the service still checks ownership. A
MediashareError's sentence is what the user sees, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from mediashare import db
from mediashare.errors import MediashareError, NotSignedIn
from mediashare.models import User
from mediashare.services import auth
from mediashare.state.arguments import as_id
from mediashare.state.session import SessionState

Action = Callable[[Session, User], Any]  # a service call as the actor, in the scope's session
Fill = Callable[[Session, User], None]  # a state's reading of what its page shows


def attempt(state: SessionState, action: Action, *, reload: Callable[[], None] | None = None) -> str:
    """Run `action` as the signed-in person in one session scope, then `reload` (the page's data, read
    again). Returns the error's sentence for the user, or "" when everything went through."""
    try:
        with db.session_scope() as session:
            action(session, state._actor(session))
        if reload is not None:
            reload()
    except MediashareError as error:
        return str(error)
    return ""


def act(state: SessionState, action: Action, *, reload: Callable[[], None], done: str = ""):
    """`attempt` shown as a toast: the error, else `done` (nothing when it is "")."""
    error = attempt(state, action, reload=reload)
    if error:
        return rx.toast.error(error)
    return rx.toast.success(done) if done else None


def change(state: SessionState, action: Action, *, fetch: Callable[[Session], None], done: str):
    """A settings page's change: `action` as the signed-in person, then `fetch` (the page's values, read
    in the same session), shown as a toast: the error, or `done`."""
    try:
        with db.session_scope() as session:
            action(session, state._actor(session))
            fetch(session)
    except MediashareError as error:
        return rx.toast.error(str(error))
    return rx.toast.success(done)


def run_as(token: str | None, action: Action) -> Any:
    """For work a background event hands to a thread (it cannot hold the state): `action` as the person
    whose session `token` is (taken from the state beforehand), in a session of its own. Raises
    NotSignedIn when that session is no longer valid."""
    with db.session_scope() as session:
        actor = auth.resolve(session, token)
        if actor is None:
            raise NotSignedIn()
        return action(session, actor)


def refill(state: SessionState, fill: Fill) -> None:
    """Read the page's data again, as the signed-in person, in a session of its own."""
    with db.session_scope() as session:
        fill(session, state._actor(session))


def fill_signed_in(state: SessionState, fill: Fill):
    """A signed-in page's loader: `fill` for the signed-in person in one session scope and return None,
    or return the redirect that sends a visitor to the login page (which returns here)."""
    with db.session_scope() as session:
        user, redirect = state._require_signed_in(session)
        if user is None:
            return redirect
        fill(session, user)
    return None


def load(state: SessionState, fill: Fill):
    """`fill_signed_in`, then mark the state `loaded`: for a page that holds back its empty message
    until it knows."""
    redirect = fill_signed_in(state, fill)
    if redirect is None:
        state.loaded = True  # type: ignore[attr-defined]
    return redirect


def visitor_redirect(state: SessionState):
    """For a page's loader: None when someone is signed in (and shown), else the redirect to the login
    page that returns here."""
    with db.session_scope() as session:
        return state._require_signed_in(session)[1]


def page_id(state: SessionState, name: str, *, what: str) -> int:
    """The id in the page's URL parameter `name`; ValidationFailed ("That <what> does not exist.") when
    it is not one."""
    raw = state.router.page.params.get(name, "")
    return as_id(raw if isinstance(raw, str) else "", what=what)
