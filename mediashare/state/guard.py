"""Who may call which event handler: every handler of ours declares it, one middleware enforces it.

Any browser can call any event handler by name with any arguments, so access is deny-by-default:

    @rx.event
    @guard.requires(Role.ADMIN)
    def load(self): ...

A handler with no declaration (including Reflex's generated `setvar`) is refused for everyone. The
middleware re-reads our session from the cookie on every event, so a revoked session, a lockout,
a deactivation or a role change takes effect on the very next event. Services still check
ownership themselves: this gate only answers "is this person allowed to call this at all?".

Staff who must set up two-factor authentication first (platform settings `require_2fa_for_superusers`,
`_admins`, `_resellers`: services/two_factor.py) are sent to the security page by every signed-in handler except the
few marked `@guard.allowed_before_2fa_setup` (the set-up itself).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import BaseState, StateUpdate
from reflex_base.event import Event, EventHandler

from mediashare import db, routes
from mediashare.models import Role, User
from mediashare.services import auth, two_factor

if TYPE_CHECKING:
    from reflex.app import App

log = logging.getLogger(__name__)

_ATTRIBUTE = "_mediashare_access"
_SETUP_ATTRIBUTE = "_mediashare_allowed_before_2fa_setup"
_PUBLIC = "public"
F = TypeVar("F", bound=Callable[..., Any])


def public(fn: F) -> F:
    """Anyone may call this handler, signed in or not (pages for visitors, the login page)."""
    setattr(fn, _ATTRIBUTE, _PUBLIC)
    return fn


def requires(role: Role) -> Callable[[F], F]:
    """Only a signed-in, active account with `role` or a higher one may call this handler."""

    def decorate(fn: F) -> F:
        setattr(fn, _ATTRIBUTE, role)
        return fn

    return decorate


signed_in = requires(Role.USER)


def allowed_before_2fa_setup(fn: F) -> F:
    """This handler is part of setting up two-factor, so it stays open to staff who must set it up
    before anything else."""
    setattr(fn, _SETUP_ATTRIBUTE, True)
    return fn


def declared_access(handler: EventHandler) -> Role | str | None:
    """What a handler declared: a Role, "public", or None (undeclared: refused)."""
    return getattr(handler.fn, _ATTRIBUTE, None)


def is_ours(state_cls: type[BaseState]) -> bool:
    return state_cls.__module__.startswith("mediashare.")


def session_token(cookie_header: str) -> str | None:
    """Our session token from a Cookie header (the websocket handshake's, seen by the server)."""
    if not cookie_header:
        return None
    try:
        morsel = SimpleCookie(cookie_header).get(routes.SESSION_COOKIE)
    except CookieError:
        return None
    return morsel.value if morsel is not None else None


def find_handler(root: type[BaseState], event_name: str) -> tuple[type[BaseState], EventHandler] | None:
    """The state class and handler an event name points at, or None when there is none."""
    path, _, name = event_name.rpartition(".")
    parts = path.split(".")
    if not parts or parts[0] != root.get_name():
        return None
    try:
        state_cls = root.get_class_substate(tuple(parts[1:])) if len(parts) > 1 else root
    except (ValueError, KeyError, AttributeError):
        return None
    handler = state_cls.event_handlers.get(name)
    return (state_cls, handler) if handler is not None else None


@dataclass(frozen=True)
class Decision:
    """The gate's answer for one event: allowed, or refused with what the browser should do."""

    allowed: bool
    reason: str = ""
    events: tuple[Any, ...] = ()


ALLOW = Decision(allowed=True)


def decide(state: BaseState, event_name: str) -> Decision:
    """Allow or refuse `event_name` for the person behind `state`'s connection."""
    root = type(state._get_root_state()) if hasattr(state, "_get_root_state") else type(state)
    found = find_handler(root, event_name)
    if found is None:
        return Decision(False, "unknown handler")
    state_cls, handler = found
    if not is_ours(state_cls):
        return ALLOW  # Reflex's own plumbing: hydrate, on_load_internal, update_vars_internal, …
    access = declared_access(handler)
    if access == _PUBLIC:
        return ALLOW
    if not isinstance(access, Role):
        log.error("refused undeclared event handler %s", event_name)
        return Decision(False, "undeclared handler", (rx.toast.error("That action is not available."),))
    with db.session_scope() as session:
        user: User | None = auth.resolve(session, session_token(state.router.headers.cookie))
        if user is None:
            here = quote(state.router.url.path or routes.HOME)
            return Decision(
                False,
                "not signed in",
                (rx.toast.info("Please sign in to continue."), rx.redirect(f"{routes.LOGIN}?next={here}")),
            )
        if user.role.rank < access.rank:
            return Decision(False, "role too low", (rx.toast.error("You don't have permission to do that."),))
        if not getattr(handler.fn, _SETUP_ATTRIBUTE, False) and two_factor.setup_required(session, user=user):
            return Decision(
                False,
                "two-factor set-up required",
                (rx.toast.info("Set up two-factor authentication to continue."), rx.redirect(routes.SECURITY)),
            )
    return ALLOW


class AccessMiddleware(Middleware):
    """Refuses every event the caller may not send, before any handler runs."""

    async def preprocess(self, app: App, state: BaseState, event: Event) -> StateUpdate | None:
        import asyncio

        try:
            decision = await asyncio.to_thread(decide, state, event.name)
        except Exception:  # fail closed: an error in the gate never lets an event through
            log.exception("access check failed for %s", event.name)
            decision = Decision(False, "error", (rx.toast.error("Something went wrong. Please try again."),))
        if decision.allowed:
            return None
        return StateUpdate(events=Event.from_event_type(list(decision.events)))
