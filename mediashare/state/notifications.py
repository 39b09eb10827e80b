"""The bell's live unread count, the notifications page, and the notification settings page.

The bell starts `watch` when it mounts: a background loop per tab that re-reads the unread count
(re-authorizing from our session cookie each time, without keeping an idle session alive) every
`POLL_SECONDS`, and pushes it only when it changed. It stops when the tab disconnects, when the
person is no longer signed in, or when a newer loop of the same tab (the bell mounted again on
another page) takes over (`live_loops` keeps the last two checks, shared with the dashboards).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError
from mediashare.models import utc_now
from mediashare.services import auth, notifications
from mediashare.state import arguments, guard, live_loops
from mediashare.state.session import SessionState

POLL_SECONDS = 1.0  # a count appears in an open tab at most about this late (one indexed count per tab)



@dataclass
class NotificationRow:
    id: int
    kind: str
    title: str
    body: str
    link: str
    ago: str  # "5 min ago"
    created: str  # the exact time, as a tooltip
    unread: bool


@dataclass
class PreferenceRow:
    kind: str
    label: str
    description: str
    in_app: bool
    email: bool
    emailable: bool


def ago(moment: datetime, now: datetime) -> str:
    """A short relative time: "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", or the date."""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    days = seconds // 86400
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return moment.strftime("%d %b %Y")


def _unread_for(token: str | None) -> int | None:
    """The unread count of whoever `token` signs in, or None when nobody (the loop then stops)."""
    with db.session_scope() as session:
        user = auth.resolve(session, token, touch=False)
        return notifications.unread_count(session, actor=user) if user is not None else None


class NotificationState(SessionState):
    unread: int = 0
    items: list[NotificationRow] = []
    unread_only: bool = False
    page: int = 1
    pages: int = 1
    total: int = 0
    loaded: bool = False

    def _refresh(self, session, user) -> None:
        found = notifications.page(session, actor=user, unread_only=self.unread_only, page=self.page)
        now = utc_now()
        self.unread, self.page, self.pages, self.total = found.unread, found.page, found.pages, found.total
        self.items = [
            NotificationRow(id=n.id, kind=n.kind, title=n.title, body=n.body, link=n.link,  # type: ignore[arg-type]
                            ago=ago(n.created_at, now), created=n.created_at.strftime("%d %b %Y, %H:%M UTC"),
                            unread=n.read_at is None)
            for n in found.items
        ]

    def _act(self, work) -> rx.event.EventSpec | None:
        """Run `work(session, user)` then refresh the list; a problem becomes a toast."""
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                work(session, user)
                self._refresh(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event(background=True)
    @guard.public
    async def watch(self):
        """on_mount of the bell: keep the unread count current while this tab stays open."""
        async with self:
            token = self._session_token()
            tab = self.router.session.client_token
        shown: int | None = -1
        with live_loops.running("bell", tab, feeds="bell") as loop:
            while loop.wanted():
                count = await asyncio.to_thread(_unread_for, token)
                if count != shown and not loop.superseded():
                    async with self:
                        self.unread = count or 0
                        if shown != -1 and self.loaded and self.router.url.path == routes.NOTIFICATIONS:
                            await asyncio.to_thread(self._reload)
                    shown = count
                if count is None:
                    return
                await asyncio.sleep(POLL_SECONDS)

    def _reload(self) -> None:
        with db.session_scope() as session:
            user = auth.resolve(session, self._session_token(), touch=False)
            if user is not None:
                self._refresh(session, user)

    @rx.event
    @guard.signed_in
    def load(self):
        """/notifications?show=unread&page=N"""
        query = self.router.url.query_parameters
        self.unread_only = query.get("show") == "unread"
        raw_page = query.get("page", "1")
        self.page = int(raw_page) if isinstance(raw_page, str) and raw_page.isdigit() and len(raw_page) < 7 else 1
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                self.loaded = False
                return redirect
            self._refresh(session, user)
        self.loaded = True
        return None

    @rx.event
    @guard.signed_in
    def show(self, which: str | list[str]):
        """Filter the list: "unread" or "all" (the segmented control's value); back to the first page."""
        if not isinstance(which, str) or which not in ("unread", "all"):
            return rx.toast.error("Choose unread or all notifications.")
        self.unread_only, self.page = which == "unread", 1
        return self._act(lambda session, user: None)

    @rx.event
    @guard.signed_in
    def go_to_page(self, number: int):
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 10**6:
            return rx.toast.error("That page does not exist.")
        self.page = number
        return self._act(lambda session, user: None)

    @rx.event
    @guard.signed_in
    def mark_all_read(self):
        return self._act(lambda session, user: notifications.mark_read(session, actor=user))

    @rx.event
    @guard.signed_in
    def mark_read(self, notification_id: int):
        try:
            notification_id = arguments.as_strict_id(notification_id, field="notification_id")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._act(lambda session, user: notifications.mark_read(session, actor=user,
                                                                        notification_id=notification_id))

    @rx.event
    @guard.signed_in
    def open_item(self, notification_id: int):
        """Mark one notification read and go to what it is about."""
        try:
            notification_id = arguments.as_strict_id(notification_id, field="notification_id")
        except MediashareError as error:
            return rx.toast.error(str(error))
        link = next((item.link for item in self.items if item.id == notification_id), "")
        problem = self._act(lambda session, user: notifications.mark_read(session, actor=user,
                                                                           notification_id=notification_id))
        if problem is not None:
            return problem
        return rx.redirect(routes.safe_next(link)) if link else None


class NotificationSettingsState(SessionState):
    rows: list[PreferenceRow] = []
    loaded: bool = False

    def _fill(self, session, user) -> None:
        self.rows = [PreferenceRow(kind=p.kind, label=p.label, description=p.description, in_app=p.in_app,
                                   email=p.email, emailable=p.emailable)
                     for p in notifications.preferences(session, actor=user)]

    @rx.event
    @guard.signed_in
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                self.loaded = False
                return redirect
            self._fill(session, user)
        self.loaded = True
        return None

    @rx.event
    @guard.signed_in
    def choose(self, kind: str, channel: str, enabled: bool):
        """Turn one kind on or off in the app ("in_app") or by email ("email")."""
        if not isinstance(kind, str) or len(kind) > 32 or channel not in ("in_app", "email") \
                or not isinstance(enabled, bool):
            return rx.toast.error("That choice is not valid.")
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                chosen = notifications.set_preference(session, actor=user, kind=kind, **{channel: enabled})
                self._fill(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        where = "in the app" if channel == "in_app" else "by email"
        return rx.toast.success(f"{chosen.label}: {'on' if enabled else 'off'} {where}.")
