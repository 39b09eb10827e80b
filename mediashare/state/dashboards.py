"""The live dashboards: the platform's (/admin, admins and superusers) and one's own (/dashboard).

Each open dashboard gets one push loop (`push`, a background event) that re-reads the figures every
REFRESH_SECONDS and sends them to the browser without a reload. Every turn re-authorizes from our
own session cookie (a sign-out, deactivation or role change stops it), and the loop ends as soon
as the page is not showing any more: the tab's websocket is gone from this server, the browser
went to another page (`stop` on unmount, or the router's path changed), or a newer loop for the
same tab took over (the tab and takeover checks are `live_loops`', shared with the bell).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError, NotSignedIn
from mediashare.models import MediaKind, Role, User
from mediashare.services import auth, dashboards
from mediashare.state import acting, guard, live_loops
from mediashare.state.session import SessionState

REFRESH_SECONDS = 3.0

_KIND_LABELS = {MediaKind.IMAGE: "Photos", MediaKind.VIDEO: "Videos", MediaKind.AUDIO: "Audio"}
_ROLE_LABELS = {Role.SUPERUSER: "Superusers", Role.ADMIN: "Admins", Role.RESELLER: "Resellers", Role.USER: "Users"}


@dataclass
class ActivityRow:
    id: int
    when: str  # "21 Nov 14:03"
    action: str  # "auth.login_succeeded"
    actor: str
    target: str


@dataclass
class RoleRow:
    role: str
    active: int
    inactive: int


@dataclass
class FailureRow:
    job: str
    error: str
    when: str


@dataclass
class RecentRow:
    id: int
    title: str
    kind: str
    size: str
    when: str
    href: str


def size_text(size: int) -> str:
    """Bytes as people read them: "0 B", "340 KB", "12.5 MB", "1.21 GB"."""
    for unit, scale in (("TB", 1024**4), ("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            digits = 2 if value < 10 else 1 if value < 100 else 0
            return f"{value:.{digits}f} {unit}"
    return f"{size} B"


def _day(value: date) -> str:
    return value.strftime("%d %b").lstrip("0")


def _when(value: datetime | None) -> str:
    return value.strftime("%d %b %H:%M").lstrip("0") if value else ""


def _activity(rows: list[dashboards.Activity]) -> list[ActivityRow]:
    return [ActivityRow(id=row.id, when=_when(row.created_at), action=row.action, actor=row.actor_label or "—",
                        target=row.target_label) for row in rows]


def _authorized(cookie: str | None, fetch: Callable[[Any, User], Any]) -> Any:
    """Resolve our session from the cookie and fetch the figures as that person (in a thread)."""
    with db.session_scope() as session:
        actor = auth.resolve(session, cookie)
        if actor is None:
            raise NotSignedIn()
        return fetch(session, actor)


def _admin_fetch(session: Any, actor: User) -> dashboards.AdminDashboard:
    # Every open admin dashboard shows the same figures: one computation per turn serves them all.
    return dashboards.admin_dashboard(session, actor=actor, max_age=REFRESH_SECONDS * 0.8)


def _user_fetch(session: Any, actor: User) -> dashboards.UserDashboard:
    return dashboards.user_dashboard(session, actor=actor)


def _load(state: Any, fetch: Callable[[Any, User], Any], push: Any):
    """The body of a dashboard's `load`: the figures now, then `push` (its loop); a visitor goes to sign
    in, and a refusal (an admin demoted meanwhile, say) becomes the page's notice."""
    try:
        redirect = acting.load(state, lambda session, user: state._apply(fetch(session, user)))
    except MediashareError as error:
        state.loaded, state.notice = False, str(error)
        return rx.toast.error(str(error))
    return push if redirect is None else redirect


async def _push_loop(state: Any, route: str, fetch: Callable[[Any, User], Any]) -> None:
    """The body of a dashboard's `push` handler: refresh `state` until its page is gone."""
    async with state:
        state._generation += 1
        generation = state._generation
        token = state.router.session.client_token
        state.live = True
    with live_loops.running(type(state).__name__, token, feeds=route) as loop:
        try:
            await _refresh_while_showing(state, route, fetch, generation, loop)
        finally:
            try:
                async with state:
                    if state._generation == generation:
                        state.live = False
            except Exception:  # the state is gone with its client: nothing left to tell
                pass


async def _refresh_while_showing(state: Any, route: str, fetch: Callable[[Any, User], Any], generation: int,
                                 loop: live_loops.Loop) -> None:
    def still_showing() -> bool:
        return (state._generation == generation and loop.wanted()
                and (state.router.url.path or "").rstrip("/") == route.rstrip("/"))

    while True:
        await asyncio.sleep(REFRESH_SECONDS)
        async with state:
            if not still_showing():
                return
            cookie = state._session_token()
        try:
            board = await asyncio.to_thread(_authorized, cookie, fetch)
        except MediashareError as error:  # signed out, deactivated, demoted: stop showing figures
            async with state:
                if state._generation == generation:
                    state.loaded, state.notice = False, str(error)
            return
        async with state:
            if not still_showing():
                return
            state._apply(board)


class AdminDashboardState(SessionState):
    loaded: bool = False
    live: bool = False
    notice: str = "Loading…"
    updated: str = ""  # "14:03:09 UTC"
    total_users: int = 0
    active_users: int = 0
    roles: list[RoleRow] = []
    signups: list[dict[str, str | int]] = []  # {"day": "21 Nov", "signups": 3}
    signups_today: int = 0
    signups_30: int = 0
    uploads: list[dict[str, str | int | float]] = []  # {"day": …, "items": 4, "mb": 12.5}
    uploads_30: int = 0
    kinds: list[dict[str, str | int | float]] = []  # {"kind": "Photos", "items": 3, "mb": 2.1}
    storage_used: str = ""
    credits: list[dict[str, str | int]] = []  # {"day": …, "issued": 100, "spent": 5}
    issued_30: int = 0
    spent_30: int = 0
    circulation: int = 0
    active_sessions: int = 0
    online_now: int = 0
    queue_backend: str = ""
    queued: int = 0
    running: int = 0
    failed_jobs: int = 0
    failures: list[FailureRow] = []
    failed_items: int = 0
    audit: list[ActivityRow] = []
    _generation: int = 0

    def _apply(self, board: dashboards.AdminDashboard) -> None:
        self.updated = board.generated_at.strftime("%H:%M:%S UTC")
        self.total_users, self.active_users = board.total_users, board.active_users
        self.roles = [RoleRow(role=_ROLE_LABELS[row.role], active=row.active, inactive=row.inactive)
                      for row in board.users]
        self.signups = [{"day": _day(figure.day), "signups": figure.value} for figure in board.signups]
        self.signups_today = board.signups[-1].value
        self.signups_30 = sum(figure.value for figure in board.signups)
        self.uploads = [{"day": _day(figure.day), "items": figure.items, "mb": round(figure.bytes / 1024**2, 2)}
                        for figure in board.uploads]
        self.uploads_30 = sum(figure.items for figure in board.uploads)
        self.kinds = [{"kind": _KIND_LABELS[figure.kind], "items": figure.items,
                       "mb": round(figure.bytes / 1024**2, 2)} for figure in board.bytes_by_kind]
        self.storage_used = size_text(board.storage_used_bytes)
        self.credits = [{"day": _day(figure.day), "issued": figure.issued, "spent": figure.spent}
                        for figure in board.credits]
        self.issued_30 = sum(figure.issued for figure in board.credits)
        self.spent_30 = sum(figure.spent for figure in board.credits)
        self.circulation = board.credits_in_circulation
        self.active_sessions, self.online_now = board.active_sessions, board.online_now
        self.queue_backend = "Redis workers" if board.queue.backend == "redis" else "in-process pool"
        self.queued, self.running, self.failed_jobs = board.queue.queued, board.queue.running, board.queue.failed
        self.failures = [FailureRow(job=row.job, error=row.error, when=_when(row.failed_at))
                         for row in board.job_failures]
        self.failed_items = board.failed_items
        self.audit = _activity(board.audit)
        self.loaded = True

    @rx.event
    @guard.requires(Role.ADMIN)
    def load(self):
        """on_load of /admin: the figures now, then the push loop keeps them current."""
        return _load(self, lambda session, actor: dashboards.admin_dashboard(session, actor=actor),
                     AdminDashboardState.push)

    @rx.event(background=True)
    @guard.requires(Role.ADMIN)
    async def push(self):
        """The push loop of one open /admin page."""
        await _push_loop(self, routes.ADMIN_DASHBOARD, _admin_fetch)

    @rx.event
    @guard.requires(Role.ADMIN)
    def stop(self):
        """on_unmount: the page closed, so its loop ends at its next turn."""
        self._generation += 1
        self.live = False


class UserDashboardState(SessionState):
    loaded: bool = False
    live: bool = False
    notice: str = "Loading…"
    updated: str = ""
    storage_used: str = ""
    storage_quota: str = ""
    storage_percent: int = 0
    kinds: list[dict[str, str | int]] = []  # {"kind": "Photos", "items": 12}
    total_items: int = 0
    in_trash: int = 0
    recent: list[RecentRow] = []
    balance: int = 0
    spending: list[dict[str, str | int]] = []  # {"day": …, "credits": 5}
    spent_30: int = 0
    activity: list[ActivityRow] = []
    _generation: int = 0

    def _apply(self, board: dashboards.UserDashboard) -> None:
        self.updated = board.generated_at.strftime("%H:%M:%S UTC")
        self.storage_used = size_text(board.storage_used_bytes)
        self.storage_quota = size_text(board.storage_quota_bytes)
        quota = max(board.storage_quota_bytes, 1)
        self.storage_percent = min(100, round(board.storage_used_bytes * 100 / quota))
        self.kinds = [{"kind": _KIND_LABELS[figure.kind], "items": figure.items} for figure in board.items_by_kind]
        self.total_items = sum(figure.items for figure in board.items_by_kind)
        self.in_trash = board.in_trash
        self.recent = [RecentRow(id=item.id, title=item.title, kind=_KIND_LABELS[item.kind],
                                 size=size_text(item.size_bytes), when=_when(item.uploaded_at),
                                 href=routes.media_page(item.id))
                       for item in board.recent_uploads]
        self.balance = board.balance
        self.spending = [{"day": _day(figure.day), "credits": figure.value} for figure in board.spending]
        self.spent_30 = board.spent_30_days
        self.activity = _activity(board.activity)
        self.loaded = True

    @rx.event
    @guard.signed_in
    def load(self):
        """on_load of /dashboard."""
        return _load(self, _user_fetch, UserDashboardState.push)

    @rx.event(background=True)
    @guard.signed_in
    async def push(self):
        """The push loop of one open /dashboard page."""
        await _push_loop(self, routes.DASHBOARD, _user_fetch)

    @rx.event
    @guard.signed_in
    def stop(self):
        """on_unmount: the page closed, so its loop ends at its next turn."""
        self._generation += 1
        self.live = False
