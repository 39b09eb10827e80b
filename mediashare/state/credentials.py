"""View data of the forgot-password and reset-password pages (the forms post to our routes)."""

from __future__ import annotations

import reflex as rx

from mediashare import db
from mediashare.errors import MediashareError
from mediashare.services import auth, credentials
from mediashare.state import guard
from mediashare.state.notice import NoticeState


class ForgotPasswordState(NoticeState):
    form_email: str = ""

    @rx.event
    @guard.public
    def load(self):
        self._take_notice()
        self.form_email = self._query("email", 254)
        with db.session_scope() as session:
            self._show(auth.resolve(session, self._session_token()), session)


class ResetPasswordState(NoticeState):
    """The link is checked (not used) on load, so a dead link says so before anyone types."""

    link_ok: bool = False
    link_error: str = ""
    account: str = ""  # whose password is being reset, so nobody resets the wrong one
    token: str = ""  # the link's own code, for the form's hidden field while the page is open

    @rx.event
    @guard.public
    def load(self):
        self._take_notice()
        token = self._query("token", 2048)
        self.link_ok, self.link_error, self.account, self.token = False, "", "", ""
        with db.session_scope() as session:
            self._show(auth.resolve(session, self._session_token()), session)
            if not token:
                self.link_error = "This address is missing its link code. Open the link from the email we sent you."
                return
            try:
                user = credentials.check_reset_token(session, token=token)
            except MediashareError as error:
                self.link_error = str(error)
                return
        self.link_ok, self.account, self.token = True, user.username, token
