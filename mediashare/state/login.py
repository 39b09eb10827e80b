"""The login page's view data: the message for the error the login route redirected with."""

from __future__ import annotations

import reflex as rx

from mediashare import db, routes
from mediashare.services import auth, registration
from mediashare.state import guard
from mediashare.state.notice import NoticeState

_MESSAGES = {
    "invalid": "That username or email and password do not match an account.",
    "missing": "Enter your username or email and your password.",
    "inactive": "This account has been deactivated. Please contact your administrator.",
}


class LoginState(NoticeState):
    error: str = ""
    identifier: str = ""
    next_path: str = routes.HOME
    registration_open: bool = False

    @rx.event
    @guard.public
    def load(self):
        """Show the error named in the query (never text from the query itself)."""
        params = self.router.url.query_parameters
        code = params.get("error", "")
        if code == "locked":
            minutes = params.get("minutes", "")
            minutes_text = f"{int(minutes)} minutes" if minutes.isdigit() and 0 < int(minutes) < 1000 else "a while"
            self.error = f"This account is locked after too many failed sign-ins. Try again in {minutes_text}."
        else:
            self.error = _MESSAGES.get(code, "")
        self.identifier = params.get("u", "")[:254]
        self.next_path = routes.safe_next(params.get("next", ""))
        self._take_notice()
        with db.session_scope() as session:
            user = auth.resolve(session, self._session_token())
            self._show(user)
            self.registration_open = registration.is_open(session)
        if user is not None:
            return rx.redirect(self.next_path)
