"""Email verification in the interface: the /verify-email page and the banner's "send a new link"."""

from __future__ import annotations

import asyncio

import reflex as rx

from mediashare import db
from mediashare.errors import MediashareError
from mediashare.services import auth, verification
from mediashare.state import guard
from mediashare.state.session import SessionState


class VerificationState(SessionState):
    """The banner shown while the signed-in account's address is unconfirmed."""

    @rx.event
    @guard.signed_in
    async def resend(self):
        def send() -> str:
            with db.session_scope() as session:
                return verification.resend_verification(session, actor=self._actor(session), client=self._client())

        try:
            address = await asyncio.to_thread(send)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success(f"We sent a new link to {address}. It works for 24 hours.")


class VerifyEmailState(SessionState):
    """/verify-email?token=…: uses the link once and says what happened."""

    outcome: str = ""  # "", "verified", "changed" or "error"
    message: str = ""

    @rx.event
    @guard.public
    def load(self):
        token = self.router.url.query_parameters.get("token", "")
        with db.session_scope() as session:
            if not isinstance(token, str) or not token:
                self.outcome = "error"
                self.message = "This address is missing its link code. Open the link from the email we sent you."
            else:
                try:
                    result = verification.verify_email(session, token=token[:2048], client=self._client())
                except MediashareError as error:
                    self.outcome, self.message = "error", str(error)
                else:
                    self.outcome = result.kind
                    self.message = (
                        f"Thank you: {result.email} is confirmed."
                        if result.kind == "verified"
                        else f"Your account now uses {result.email}. We told your old address about the change."
                    )
            self._show(auth.resolve(session, self._session_token()), session)
