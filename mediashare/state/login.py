"""The login pages' view data: the message for the error code the login routes redirected with
(never text from the query itself)."""

from __future__ import annotations

import reflex as rx

from mediashare import db, routes
from mediashare.services import auth, registration, two_factor
from mediashare.state import guard
from mediashare.state.notice import NoticeState
from mediashare.state.session import SessionState

_MESSAGES = {
    "invalid": "That username or email and password do not match an account.",
    "missing": "Enter your username or email and your password.",
    "inactive": "This account has been deactivated. Please contact your administrator.",
    "two_factor_expired": "The sign-in took too long or is no longer valid. Please sign in again.",
}
_CODE_MESSAGES = {
    "wrong_code": two_factor.WRONG_CODE,
    "missing_code": "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
}


def _minutes_text(value: str) -> str:
    if value.isdigit() and 0 < int(value) < 1000:
        return "1 minute" if int(value) == 1 else f"{int(value)} minutes"
    return "a while"


def _message(code: str, params: dict[str, str], extra: dict[str, str]) -> str:
    minutes = _minutes_text(params.get("minutes", ""))
    if code == "locked":
        return f"This account is locked after too many failed sign-ins. Try again in {minutes}."
    if code == "throttled":
        return f"Too many failed sign-ins from your network. Please wait {minutes} and try again."
    return extra.get(code, "")


class LoginState(NoticeState):
    error: str = ""
    next_path: str = routes.HOME
    registration_open: bool = False

    @rx.event
    @guard.public
    def load(self):
        params = self.router.url.query_parameters
        self.error = _message(params.get("error", ""), params, _MESSAGES)
        self.next_path = routes.safe_next(params.get("next", ""))
        self._take_notice()
        with db.session_scope() as session:
            user = auth.resolve(session, self._session_token())
            self._show(user, session)
            self.registration_open = registration.is_open(session)
        if user is not None:
            return rx.redirect(self.next_path)


class TwoFactorLoginState(SessionState):
    """/login/two-factor: the code form. The pending sign-in itself lives in an HttpOnly cookie
    that only the code route receives; this page never sees it."""

    error: str = ""
    next_path: str = routes.HOME

    @rx.event
    @guard.public
    def load(self):
        params = self.router.url.query_parameters
        self.error = _message(params.get("error", ""), params, _CODE_MESSAGES)
        self.next_path = routes.safe_next(params.get("next", ""))
        with db.session_scope() as session:
            user = auth.resolve(session, self._session_token())
            self._show(user, session)
        if user is not None:
            return rx.redirect(self.next_path)
