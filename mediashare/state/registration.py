"""The register page's view data: whether sign-up is open, and the fields to put back after an error."""

from __future__ import annotations

import reflex as rx

from mediashare import db, routes
from mediashare.services import auth, registration
from mediashare.state import guard
from mediashare.state.notice import NoticeState


class RegisterState(NoticeState):
    registration_open: bool = True
    form_username: str = ""
    form_email: str = ""
    form_referral: str = ""
    form_reseller: str = ""  # the link name of the reseller page the visitor came from (/r/<slug>)

    @rx.event
    @guard.public
    def load(self):
        self._take_notice()
        self.form_username = self._query("username", 32)
        self.form_email = self._query("email", 254)
        self.form_referral = self._query("ref", 32)
        self.form_reseller = self._query("r", 40)
        with db.session_scope() as session:
            user = auth.resolve(session, self._session_token())
            self._show(user, session)
            self.registration_open = registration.is_open(session)
        if user is not None:
            return rx.redirect(routes.HOME)
        return None
