"""The security page's view data: two-factor status, the one-time set-up display and recovery codes.

The TOTP secret and QR code sit in state only between "Set up" and "Confirm"/"Cancel"; recovery
codes only until "I have saved them" or the next page load. Codes are checked on the server.
"""

from __future__ import annotations

import reflex as rx

from mediashare import db
from mediashare.errors import MediashareError
from mediashare.services import two_factor
from mediashare.state import arguments, guard
from mediashare.state.session import SessionState

CODES_FILENAME = "mediashare-recovery-codes.txt"


class SecurityState(SessionState):
    enabled: bool = False
    enabled_since: str = ""
    codes_left: int = 0
    required: bool = False  # staff who must set it up before anything else
    loaded: bool = False

    setup_secret: str = ""  # one-time display while setting up
    setup_qr: str = ""  # data: URI of the QR code, same lifetime
    new_codes: list[str] = []  # recovery codes, shown once

    def _clear_one_time(self) -> None:
        self.setup_secret, self.setup_qr, self.new_codes = "", "", []

    def _refresh(self, session, user) -> None:
        self.enabled = user.has_totp
        self.enabled_since = user.totp_enabled_at.strftime("%d %b %Y") if user.totp_enabled_at else ""
        self.codes_left = two_factor.recovery_codes_left(session, actor=user) if user.has_totp else 0
        self.required = two_factor.setup_required(session, user=user)
        self.loaded = True

    @rx.event
    @guard.signed_in
    @guard.allowed_before_2fa_setup
    def load(self):
        self._clear_one_time()
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            self._refresh(session, user)
        return None

    @rx.event
    @guard.signed_in
    @guard.allowed_before_2fa_setup
    def start_setup(self):
        try:
            with db.session_scope() as session:
                setup = two_factor.begin_setup(session, actor=self._actor(session))
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.setup_secret, self.setup_qr, self.new_codes = setup.secret, setup.qr_data_uri, []
        return None

    @rx.event
    @guard.signed_in
    @guard.allowed_before_2fa_setup
    def cancel_setup(self):
        self._clear_one_time()

    @rx.event
    @guard.signed_in
    @guard.allowed_before_2fa_setup
    def confirm_setup(self, code: str):
        try:
            code = arguments.as_trimmed_text(code, max_length=64, field="code")
            with db.session_scope() as session:
                user = self._actor(session)
                codes = two_factor.confirm_setup(session, actor=user, code=code, client=self._client())
                self._refresh(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.setup_secret, self.setup_qr, self.new_codes = "", "", codes
        return rx.toast.success("Two-factor authentication is on.")

    @rx.event
    @guard.signed_in
    def disable(self, proof: str):
        try:
            proof = arguments.as_trimmed_text(proof, max_length=512, field="proof")
            with db.session_scope() as session:
                user = self._actor(session)
                two_factor.disable(session, actor=user, proof=proof, client=self._client())
                self._refresh(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self._clear_one_time()
        return rx.toast.success("Two-factor authentication is off.")

    @rx.event
    @guard.signed_in
    def regenerate_codes(self, proof: str):
        try:
            proof = arguments.as_trimmed_text(proof, max_length=512, field="proof")
            with db.session_scope() as session:
                user = self._actor(session)
                codes = two_factor.regenerate_recovery_codes(session, actor=user, proof=proof, client=self._client())
                self._refresh(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.new_codes = codes
        return rx.toast.success("New recovery codes are ready; the old ones no longer work.")

    @rx.event
    @guard.signed_in
    @guard.allowed_before_2fa_setup
    def codes_saved(self):
        self.new_codes = []

    @rx.event
    @guard.signed_in
    @guard.allowed_before_2fa_setup
    def download_codes(self):
        if not self.new_codes:
            return None
        text = (
            "MediaShare recovery codes\n\n"
            "Each code signs you in once when you cannot use your authenticator app.\n"
            "Keep them somewhere safe.\n\n" + "\n".join(self.new_codes) + "\n"
        )
        return rx.download(data=text, filename=CODES_FILENAME)
