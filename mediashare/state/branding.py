"""Reseller branding: the /branding form with its live preview, and the reseller's own page /r/<slug>.

The preview follows the form as it is typed (the values travel to this state, never image bytes:
the logo is uploaded as a file and shown from our route once stored). Saving is checked again by
the service, which names every refused field.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError, NotFound, ValidationFailed
from mediashare.models import Role
from mediashare.services import auth, branding, email, registration
from mediashare.state import arguments, guard
from mediashare.state.session import SessionState

LOGO_UPLOAD_ID = "branding-logo-upload"
LOGO_MAX_BYTES = branding.LOGO_MAX_BYTES
# field → longest value the form may send (the service applies the real rules)
FIELDS = {"slug": 200, "display_name": 400, "primary_color": 20, "accent_color": 20, "welcome_text": 2000,
          "support_email": 400}


class BrandingState(SessionState):
    """/branding: the signed-in reseller's own branding; admins and superusers pick a reseller
(?reseller=<id>) and edit theirs."""

    loaded: bool = False
    saved: bool = False  # a branding exists (the logo can be added, the link works)
    slug: str = ""
    display_name: str = ""
    primary_color: str = branding.DEFAULT_PRIMARY
    accent_color: str = branding.DEFAULT_ACCENT
    welcome_text: str = ""
    support_email: str = ""
    errors: dict[str, str] = {}
    logo_url: str = ""
    link: str = ""  # the saved link, absolute
    saving_logo: bool = False
    editing_for: str = ""  # admins: the reseller whose branding this is ("" for one's own)
    picking: bool = False  # admins without ?reseller=: choose a reseller first
    choices: list[list[str]] = []  # admins: [label, href] of each reseller they may edit
    _reseller_id: int | None = None  # admins: the reseller chosen through ?reseller=<id>

    def _fill(self, row) -> None:
        self.saved = row is not None
        self.slug = row.slug if row else ""
        self.display_name = row.display_name if row else ""
        self.primary_color = row.primary_color if row else branding.DEFAULT_PRIMARY
        self.accent_color = row.accent_color if row else branding.DEFAULT_ACCENT
        self.welcome_text = row.welcome_text if row else ""
        self.support_email = row.support_email if row else ""
        self.logo_url = branding.brand_of(row).logo_url if row else ""
        self.link = email.link(routes.reseller_page(row.slug)) if row else ""

    @rx.var
    def preview_primary(self) -> str:
        """The primary color shown in the preview (the last well-formed one typed)."""
        return branding.normalize_color(self.primary_color) or branding.DEFAULT_PRIMARY

    @rx.var
    def preview_accent(self) -> str:
        return branding.normalize_color(self.accent_color) or branding.DEFAULT_ACCENT

    @rx.var
    def preview_on_primary(self) -> str:
        return branding.text_on(self.preview_primary)

    @rx.var
    def preview_name(self) -> str:
        return self.display_name.strip()[: branding.NAME_MAX] or "Your business name"

    @rx.var
    def color_advice(self) -> dict[str, str]:
        """Live contrast checks of the colors as typed (the same rules the save applies)."""
        return branding.color_errors(self.primary_color, self.accent_color)

    @rx.var
    def primary_ratio(self) -> str:
        return f"{branding.contrast(self.preview_on_primary, self.preview_primary):.2f}:1"

    @rx.var
    def accent_ratio(self) -> str:
        return f"{branding.contrast(self.preview_accent, branding.PAGE_BACKGROUND):.2f}:1"

    @rx.event
    @guard.requires(Role.RESELLER)
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                self.loaded = False
                return redirect
            self._reseller_id, self.editing_for, self.picking, self.choices = None, "", False, []
            try:
                if user.role.rank >= Role.ADMIN.rank and not self._pick_reseller(session, user):
                    self.loaded = True
                    return None
                row = branding.branding_of(session, actor=user, reseller_id=self._reseller_id)
            except MediashareError as error:
                self.loaded = False
                return rx.toast.error(str(error))
            self._fill(row)
        self.errors = {}
        self.loaded = True
        return None

    def _pick_reseller(self, session, user) -> bool:
        """Admins: take the reseller named by ?reseller=<id> (True), or list the choices (False)."""
        raw = self.router.url.query_parameters.get("reseller", "")
        if isinstance(raw, str) and raw:
            self._reseller_id = arguments.as_id(raw, what="reseller")
            reseller = next((row for row in branding.resellers(session, actor=user) if row[0] == self._reseller_id),
                            None)
            if reseller is None:
                raise NotFound("There is no reseller account with that id that you manage.")
            self.editing_for = reseller[2]
            return True
        self.picking = True
        self.choices = [[f"{name} (@{username})", f"{routes.BRANDING}?{urlencode({'reseller': reseller_id})}"]
                        for reseller_id, username, name in branding.resellers(session, actor=user)]
        return False

    @rx.event
    @guard.requires(Role.RESELLER)
    def edit(self, field: str, value: str):
        """One field changed in the form: the preview follows (nothing is saved)."""
        if not isinstance(field, str) or field not in FIELDS:
            return rx.toast.error("That input is not valid.")
        if not isinstance(value, str):
            return rx.toast.error("That input is not valid.")
        if len(value) > FIELDS[field]:
            return rx.toast.error("That input is too long.")
        setattr(self, field, value)
        if field in self.errors:
            self.errors = {name: text for name, text in self.errors.items() if name != field}
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def save(self, form_data: dict[str, Any]):
        if not isinstance(form_data, dict):
            return rx.toast.error("That input is not valid.")
        try:
            values = {name: arguments.as_trimmed_text(form_data.get(name, ""), max_length=limit, field=name)
                      for name, limit in FIELDS.items()}
        except ValidationFailed as error:
            return rx.toast.error(f"{error} ({error.field})")
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                self._fill(branding.save(session, actor=user, client=self._client(), reseller_id=self._reseller_id,
                                         **values))
                self._show_brand(branding.effective(session, user))
        except branding.BrandingInvalid as invalid:
            for name, value in values.items():
                setattr(self, name, value)
            self.errors = invalid.errors
            return rx.toast.error("Please check the fields marked below.")
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.errors = {}
        return rx.toast.success("Your branding is saved.")

    @rx.event
    @guard.requires(Role.RESELLER)
    async def upload_logo(self, files: list[rx.UploadFile]):
        # Reflex's upload endpoint accepts anything for any client token, and the websocket can send
        # fake "files": authorize from our session and check what arrived ourselves.
        if not isinstance(files, list) or len(files) != 1 or not isinstance(files[0], rx.UploadFile):
            yield rx.toast.error("Choose one picture: a PNG, JPEG or WebP file.")
            return
        upload = files[0]
        declared = upload.size if isinstance(upload.size, int) else 0
        filename = upload.filename if isinstance(upload.filename, str) else "logo"
        try:
            with db.session_scope() as session:
                self._actor(session)  # before reading a single byte
            if declared > LOGO_MAX_BYTES:
                branding.check_logo_size(declared)
            data = await upload.read(LOGO_MAX_BYTES + 1)  # never more than the limit, whatever was sent
            branding.check_logo_size(max(declared, len(data)))
            self.saving_logo = True
            yield
            await asyncio.to_thread(self._store_logo, data, filename)
        except MediashareError as error:
            yield rx.toast.error(str(error))
            return
        finally:
            self.saving_logo = False
        yield rx.toast.success("Your logo is saved.")

    def _store_logo(self, data: bytes, filename: str) -> None:
        with db.session_scope() as session:
            user = self._actor(session)
            self._fill(branding.set_logo(session, actor=user, client=self._client(), upload=data, filename=filename,
                                         reseller_id=self._reseller_id))
            self._show_brand(branding.effective(session, user))

    @rx.event
    @guard.requires(Role.RESELLER)
    def remove_logo(self):
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                self._fill(branding.remove_logo(session, actor=user, client=self._client(),
                                                reseller_id=self._reseller_id))
                self._show_brand(branding.effective(session, user))
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("Your logo is removed.")

    @rx.event
    @guard.requires(Role.RESELLER)
    def copy_link(self):
        if not self.link:
            return None
        return [rx.set_clipboard(self.link), rx.toast.success("Link copied")]


class ResellerPageState(SessionState):
    """/r/<slug>: a reseller's own sign-in page, showing its branding (public: that is its purpose)."""

    checked: bool = False
    found: bool = False
    page_name: str = ""
    page_logo: str = ""
    page_primary: str = branding.DEFAULT_PRIMARY
    page_on_primary: str = branding.DEFAULT.on_primary
    page_accent: str = branding.DEFAULT_ACCENT
    page_welcome: str = ""
    register_href: str = routes.REGISTER
    registration_open: bool = True

    @rx.event
    @guard.public
    def load(self):
        raw = self.router.page.params.get("reseller_slug", "")
        with db.session_scope() as session:
            self._show(auth.resolve(session, self._session_token()), session)
            self.registration_open = registration.is_open(session)
            try:
                brand = branding.for_slug(session, raw if isinstance(raw, str) and len(raw) <= 100 else "")
            except NotFound:
                brand = None
        self.found = brand is not None
        if brand is not None:
            self.page_name, self.page_logo, self.page_welcome = brand.name, brand.logo_url, brand.welcome
            self.page_primary, self.page_on_primary, self.page_accent = brand.primary, brand.on_primary, brand.accent
            self.register_href = f"{routes.REGISTER}?{urlencode({'r': brand.slug})}"
            if not self.signed_in:
                self._show_brand(brand)  # the visitor sees the reseller's top bar too
        else:
            self.page_name = self.page_logo = self.page_welcome = ""
            self.register_href = routes.REGISTER
        self.checked = True
