"""The bell's unread count and the notifications page's list."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError
from mediashare.services import auth, notifications
from mediashare.state import args, guard
from mediashare.state.session import SessionState
from mediashare.state.sessions import when


@dataclass
class NotificationRow:
    id: int
    title: str
    body: str
    link: str
    created: str
    unread: bool


class NotificationState(SessionState):
    unread: int = 0
    items: list[NotificationRow] = []

    def _refresh(self, session, user) -> None:
        self.unread = notifications.unread_count(session, actor=user)
        self.items = [
            NotificationRow(id=n.id, title=n.title, body=n.body, link=n.link, created=when(n.created_at),  # type: ignore[arg-type]
                            unread=n.read_at is None)
            for n in notifications.recent(session, actor=user)
        ]

    @rx.event
    @guard.public
    def refresh_count(self):
        """on_mount of the bell: the unread count for whoever is signed in (0 for visitors)."""
        with db.session_scope() as session:
            user = auth.resolve(session, self._session_token())
            self.unread = notifications.unread_count(session, actor=user) if user is not None else 0

    @rx.event
    @guard.signed_in
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            self._refresh(session, user)
        return None

    @rx.event
    @guard.signed_in
    def mark_all_read(self):
        with db.session_scope() as session:
            user = self._actor(session)
            notifications.mark_read(session, actor=user)
            self._refresh(session, user)

    @rx.event
    @guard.signed_in
    def open_item(self, notification_id: int):
        """Mark one notification read and go to what it is about."""
        try:
            notification_id = args.identifier(notification_id, field="notification_id")
            with db.session_scope() as session:
                user = self._actor(session)
                notifications.mark_read(session, actor=user, notification_id=notification_id)
                self._refresh(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        link = next((item.link for item in self.items if item.id == notification_id), "")
        return rx.redirect(routes.safe_next(link)) if link else None
