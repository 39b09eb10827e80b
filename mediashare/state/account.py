"""The account page's view data."""

from __future__ import annotations

import reflex as rx

from mediashare import db
from mediashare.state import guard
from mediashare.state.session import SessionState


class AccountState(SessionState):
    email: str = ""
    verified: bool = False
    member_since: str = ""
    last_login: str = ""

    @rx.event
    @guard.signed_in
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            self.email = user.email
            self.verified = user.is_verified
            self.member_since = user.created_at.strftime("%d %b %Y")
            self.last_login = user.last_login_at.strftime("%d %b %Y %H:%M UTC") if user.last_login_at else "—"
        return None
