"""/admin/settings: the superuser's platform settings (services/site_settings.py does the checking)."""

from __future__ import annotations

import asyncio

import reflex as rx

from mediashare import db
from mediashare.errors import MediashareError
from mediashare.models import Role
from mediashare.services import site_settings as service
from mediashare.services import transcode
from mediashare.state import acting, guard
from mediashare.state.arguments import as_choice, as_flag, form_text
from mediashare.state.session import SessionState

FIELDS = service.FIELDS
PRESETS = transcode.PRESETS
ProfileRow = service.ProfileRow
TEXT_KEYS = tuple(f.key for f in FIELDS if f.is_text)
_NO_ERRORS = {key: "" for key in TEXT_KEYS}


class SiteSettingsState(SessionState):
    allowed: bool = False
    loaded: bool = False  # the forms mount once their values are here (default values apply at mount)
    texts: dict[str, str] = {}
    flags: dict[str, bool] = {}
    choices: dict[str, str] = {}
    secrets_set: dict[str, bool] = {}
    hints: dict[str, str] = {}
    errors: dict[str, str] = dict(_NO_ERRORS)
    profiles: list[service.ProfileRow] = []
    profile_error: str = ""
    profile_error_label: str = ""
    testing_email: bool = False
    test_message: str = ""
    test_failed: bool = False

    def _fetch(self, session) -> None:
        shown = service.snapshot(session, actor=self._actor(session))
        self.texts, self.flags, self.choices = shown.texts, shown.flags, shown.choices
        self.secrets_set, self.hints = shown.secrets_set, shown.hints
        self.profiles = service.profiles(session, actor=self._actor(session))

    def _fetch_shown(self, session) -> None:
        """The page's values, and the site name and banner every page shows (a change shows at once)."""
        self._fetch(session)
        self._show(self._actor(session), session)

    @rx.event
    @guard.signed_in  # the page says so to anyone below superuser
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            self.allowed = user.role is Role.SUPERUSER
            self.errors, self.test_message, self.test_failed = dict(_NO_ERRORS), "", False
            if self.allowed:
                self._fetch(session)
            self.loaded = self.allowed
        return None

    def _change(self, apply, message: str):
        return acting.change(self, apply, fetch=self._fetch_shown, done=message)

    @rx.event
    @guard.requires(Role.SUPERUSER)
    def save_section(self, form_data: dict):
        try:
            section = as_choice(form_text(form_data, "section", max_length=20), service.SECTIONS, field="section")
            typed = {key: form_text(form_data, key, max_length=2000) for key in TEXT_KEYS
                     if isinstance(form_data, dict) and key in form_data}
        except MediashareError as error:
            return rx.toast.error(str(error))
        changed: list[str] = []
        try:
            with db.session_scope() as session:
                changed = service.save_section(session, actor=self._actor(session), section=section, form=typed)
                self._fetch_shown(session)
        except service.SettingsInvalid as error:
            self.errors = {**_NO_ERRORS, **error.errors}
            return rx.toast.error("Some values need fixing: see the messages under the fields.")
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.errors = dict(_NO_ERRORS)
        events = [rx.set_value("setting-smtp_password", "")] if "smtp_password" in typed else []
        note = f"Saved {len(changed)} change{'s' if len(changed) != 1 else ''}." if changed else "Nothing changed."
        return [*events, rx.toast.success(note)]

    @rx.event
    @guard.requires(Role.SUPERUSER)
    def set_switch(self, key: str, on: bool):
        try:
            key = as_choice(key, [f.key for f in FIELDS if f.kind == "switch"], field="key")
            on = as_flag(on, field=key)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._change(lambda s, a: service.set_switch(s, actor=a, key=key, on=on),
                            f"{service.BY_KEY[key].label}: {'on' if on else 'off'}.")

    @rx.event
    @guard.requires(Role.SUPERUSER)
    def set_choice(self, key: str, value: str):
        try:
            key = as_choice(key, [f.key for f in FIELDS if f.kind == "choice"], field="key")
            value = as_choice(value, service.BY_KEY[key].choices, field=key)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._change(lambda s, a: service.set_choice(s, actor=a, key=key, value=value),
                            f"{service.BY_KEY[key].label}: {value}.")

    @rx.event
    @guard.requires(Role.SUPERUSER)
    def set_quality(self, label: str, on: bool):
        try:
            label = as_choice(label, service.BY_KEY["transcode_extra_qualities"].choices, field="label")
            on = as_flag(on, field="label")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._change(lambda s, a: service.set_quality(s, actor=a, label=label, on=on),
                            f"{label} versions {'on' if on else 'off'}.")

    @rx.event
    @guard.requires(Role.SUPERUSER)
    def save_profile(self, form_data: dict):
        try:
            label = as_choice(form_text(form_data, "label", max_length=20), transcode.LABELS, field="label")
            typed = {name: form_text(form_data, name, max_length=20)
                     for name in ("max_height", "crf", "audio_kbps", "preset")}
        except MediashareError as error:
            return rx.toast.error(str(error))
        try:
            with db.session_scope() as session:
                service.save_profile(session, actor=self._actor(session), label=label, form=typed)
                self._fetch(session)
        except MediashareError as error:
            self.profile_error, self.profile_error_label = str(error), label
            return rx.toast.error(str(error))
        self.profile_error, self.profile_error_label = "", ""
        return rx.toast.success(f"The {label} version settings are saved.")

    @rx.event
    @guard.requires(Role.SUPERUSER)
    def clear_secret(self, key: str):
        try:
            key = as_choice(key, [f.key for f in FIELDS if f.kind == "password"], field="key")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._change(lambda s, a: service.clear_secret(s, actor=a, key=key), "Password removed.")

    # The test email talks to the mail server (up to 20 s): a background event, the network in a thread.

    @rx.event(background=True)
    @guard.requires(Role.SUPERUSER)
    async def send_test_email(self):
        async with self:
            if self.testing_email:
                return None
            self.testing_email, self.test_message, self.test_failed = True, "", False
            token = self._session_token()
        try:
            message = await asyncio.to_thread(acting.run_as, token, lambda s, a: service.send_test_email(s, actor=a))
        except MediashareError as error:
            async with self:
                self.testing_email, self.test_message, self.test_failed = False, str(error), True
            return rx.toast.error("The test email was not sent.")
        async with self:
            self.testing_email, self.test_message, self.test_failed = False, message, False
        return rx.toast.success("Test email handed over.")
