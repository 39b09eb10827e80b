"""The sessions & devices page's view data, and signing sessions out from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError
from mediashare.services import auth
from mediashare.services import sessions as sessions_service
from mediashare.state import acting, arguments, guard
from mediashare.state.session import SessionState


@dataclass
class SessionRow:
    id: int
    device: str
    ip: str
    signed_in: str
    last_active: str
    current: bool


@dataclass
class DeviceRow:
    name: str
    ip: str
    first_seen: str
    last_seen: str


def when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y, %H:%M UTC")


class SessionsState(SessionState):
    sessions: list[SessionRow] = []
    devices: list[DeviceRow] = []

    def _refresh(self, session, user) -> None:
        self.sessions = [
            SessionRow(id=s.id, device=s.device, ip=s.ip, signed_in=when(s.created_at),
                       last_active=when(s.last_seen_at), current=s.current)
            for s in sessions_service.active(session, actor=user, current_token=self._session_token())
        ]
        self.devices = [
            DeviceRow(name=d.name, ip=d.last_ip or "unknown", first_seen=when(d.first_seen_at),
                      last_seen=when(d.last_seen_at))
            for d in sessions_service.devices(session, actor=user)
        ]

    @rx.var
    def other_sessions(self) -> int:
        return sum(1 for row in self.sessions if not row.current)

    @rx.event
    @guard.signed_in
    def load(self):
        return acting.fill_signed_in(self, self._refresh)

    @rx.event
    @guard.signed_in
    def revoke(self, session_id: int):
        try:
            session_id = arguments.as_strict_id(session_id, field="session_id")
            with db.session_scope() as session:
                user = self._actor(session)
                sessions_service.revoke(session, actor=user, session_id=session_id, client=self._client())
                if auth.resolve(session, self._session_token()) is None:  # it was this browser's session
                    self._show(None)
                    return rx.redirect(routes.LOGIN)
                self._refresh(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("That session is signed out.")

    @rx.event
    @guard.signed_in
    def revoke_others(self):
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                count = sessions_service.revoke_others(
                    session, actor=user, current_token=self._session_token(), client=self._client()
                )
                self._refresh(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        if count == 0:
            return rx.toast.info("There were no other sessions to sign out.")
        return rx.toast.success("Signed out 1 other session." if count == 1 else f"Signed out {count} other sessions.")
