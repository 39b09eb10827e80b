"""The account page: profile, picture, email address and password.

The display name and the picture travel over the websocket; anything with a password (changing the
password or the email address) is a form the browser posts to our routes.
"""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from mediashare import db
from mediashare.errors import MediashareError
from mediashare.services import avatars, profile, verification
from mediashare.state import guard
from mediashare.state.notice import NoticeState

AVATAR_UPLOAD_ID = "avatar-upload"
AVATAR_MAX_BYTES = avatars.MAX_BYTES


class AccountState(NoticeState):
    email: str = ""
    pending_email: str = ""
    verified: bool = False
    display_name: str = ""
    member_since: str = ""
    last_login: str = ""
    form_email: str = ""  # the new address typed before an error, put back into the form
    saving_avatar: bool = False
    loaded: bool = False  # the forms mount only once their values are here (default values apply at mount)

    def _fill(self, user) -> None:
        self._show(user)
        self.email = user.email
        self.pending_email = user.pending_email or ""
        self.verified = user.is_verified
        self.display_name = user.display_name
        self.member_since = user.created_at.strftime("%d %b %Y")
        self.last_login = user.last_login_at.strftime("%d %b %Y %H:%M UTC") if user.last_login_at else "—"

    @rx.event
    @guard.signed_in
    def load(self):
        self._take_notice()
        self.form_email = self._query("email", 254)
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                self.loaded = False
                return redirect
            self._fill(user)
        self.loaded = True
        return None

    @rx.event
    @guard.signed_in
    def save_display_name(self, form_data: dict[str, Any]):
        value = form_data.get("display_name") if isinstance(form_data, dict) else None
        if not isinstance(value, str) or len(value) > 1000:
            return rx.toast.error("Enter a display name of at most 80 characters.")
        try:
            with db.session_scope() as session:
                user = profile.update_display_name(session, actor=self._actor(session), display_name=value,
                                                   client=self._client())
                self._fill(user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("Your display name is saved.")

    @rx.event
    @guard.signed_in
    async def upload_avatar(self, files: list[rx.UploadFile]):
        # Reflex's upload endpoint accepts any size for any client token, and the websocket can
        # send fake "files": authorize from our session and check what arrived ourselves.
        if not isinstance(files, list) or len(files) != 1 or not isinstance(files[0], rx.UploadFile):
            yield rx.toast.error("Choose one picture: a JPEG, PNG or WebP file.")
            return
        upload = files[0]
        declared = upload.size if isinstance(upload.size, int) else 0
        try:
            with db.session_scope() as session:
                self._actor(session)  # before reading a single byte
            if declared > AVATAR_MAX_BYTES:
                avatars.check_size(declared)
            data = await upload.read(AVATAR_MAX_BYTES + 1)  # never more than the limit, whatever was sent
            avatars.check_size(max(declared, len(data)))
            self.saving_avatar = True
            yield
            user = await asyncio.to_thread(self._store_avatar, data)
            self._fill(user)
        except MediashareError as error:
            yield rx.toast.error(str(error))
            return
        finally:
            self.saving_avatar = False
        yield rx.toast.success("Your new picture is saved.")

    def _store_avatar(self, data: bytes):
        with db.session_scope() as session:
            return avatars.set_avatar(session, actor=self._actor(session), upload=data, client=self._client())

    @rx.event
    @guard.signed_in
    def remove_avatar(self):
        try:
            with db.session_scope() as session:
                self._fill(avatars.remove_avatar(session, actor=self._actor(session), client=self._client()))
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("Your picture is removed.")

    @rx.event
    @guard.signed_in
    def cancel_email_change(self):
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                verification.cancel_email_change(session, actor=user, client=self._client())
                self._fill(user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("The change is cancelled; the link we sent no longer works.")
