"""/admin/media and /admin/media-types: thin adapters over `services.media_admin`.

The edit dialog acts on the row the server remembers as selected (`_selected_id`, set only from
a row of the current page); the service re-authorizes every change.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError
from mediashare.models import MediaKind, Role
from mediashare.services import media_admin
from mediashare.state import guard
from mediashare.state.arguments import as_choice, as_flag, as_id, as_page, as_text, form_text
from mediashare.state.session import SessionState

KINDS = ("all", *(kind.value for kind in MediaKind))


@dataclass
class AdminMediaRow:
    id: int
    title: str
    filename: str
    kind: str
    status: str
    size: str
    owner: str
    uploaded: str
    trashed: bool
    manageable: bool
    href: str


@dataclass
class MediaTypeRow:
    extension: str
    kind: str
    label: str
    max_mb: int
    enabled: bool


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:,.0f} KB"


def _row(item: media_admin.AdminItem) -> AdminMediaRow:
    return AdminMediaRow(
        id=item.id, title=item.title or item.filename, filename=item.filename, kind=item.kind.value,
        status=item.status, size=_size(item.size_bytes), owner=item.owner_username,
        uploaded=item.uploaded_at.strftime("%d %b %Y"), trashed=item.trashed, manageable=item.manageable,
        href=routes.media_url(item.id),
    )


class MediaAdminState(SessionState):
    rows: list[AdminMediaRow] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    loaded: bool = False
    notice: str = "Loading…"
    q: str = ""
    owner: str = ""
    kind: str = "all"

    dialog_open: bool = False
    edit_title: str = ""
    edit_description: str = ""
    edit_owner: str = ""
    _selected_id: int = 0

    def _reload(self):
        try:
            with db.session_scope() as session:
                result = media_admin.search(
                    session, actor=self._actor(session), q=self.q, owner=self.owner,
                    kind=None if self.kind == "all" else MediaKind(self.kind), page=self.page,
                )
        except MediashareError as error:
            self.rows, self.total, self.loaded, self.notice = [], 0, False, str(error)
            return rx.toast.error(str(error))
        self.rows = [_row(item) for item in result.rows]
        self.total, self.page, self.pages, self.loaded = result.total, result.page, result.pages, True
        return None

    @rx.event
    @guard.signed_in  # the service refuses anyone below admin, and the page says so
    def load(self):
        self.q, self.owner, self.kind, self.page, self.dialog_open = "", "", "all", 1, False
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
        return self._reload()

    @rx.event
    @guard.requires(Role.ADMIN)
    def search(self, value: str):
        try:
            self.q = as_text(value, max_length=100, field="search")
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.page = 1
        return self._reload()

    @rx.event
    @guard.requires(Role.ADMIN)
    def filter_owner(self, value: str):
        try:
            self.owner = as_text(value, max_length=100, field="owner")
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.page = 1
        return self._reload()

    @rx.event
    @guard.requires(Role.ADMIN)
    def filter_kind(self, value: str):
        try:
            self.kind = as_choice(value, KINDS, field="type")
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.page = 1
        return self._reload()

    @rx.event
    @guard.requires(Role.ADMIN)
    def go_to(self, page: int):
        try:
            self.page = as_page(page, last=self.pages)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._reload()

    # The edit dialog -----------------------------------------------------------------------------

    @rx.event
    @guard.requires(Role.ADMIN)
    def open_edit(self, media_id: int):
        try:
            media_id = as_id(media_id, what="item")
        except MediashareError as error:
            return rx.toast.error(str(error))
        row = next((row for row in self.rows if row.id == media_id), None)
        if row is None:
            return rx.toast.error("That item is not on this page any more.")
        try:
            with db.session_scope() as session:
                description = media_admin.description_of(session, actor=self._actor(session), media_id=media_id)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self._selected_id = media_id
        self.edit_title, self.edit_owner, self.edit_description = row.title, row.owner, description
        self.dialog_open = True
        return None

    @rx.event
    @guard.requires(Role.ADMIN)
    def close_dialog(self, _open: bool = False):
        self.dialog_open = False

    @rx.event
    @guard.requires(Role.ADMIN)
    def save(self, form: dict):
        try:
            title = form_text(form, "title", max_length=200)
            description = form_text(form, "description", max_length=5000)
            new_owner = form_text(form, "owner", max_length=100).strip()
            with db.session_scope() as session:
                actor = self._actor(session)
                media_admin.update_details(session, actor=actor, media_id=self._selected_id, title=title,
                                           description=description)
                if new_owner and new_owner.lower() != self.edit_owner.lower():
                    media_admin.move(session, actor=actor, media_id=self._selected_id, new_owner=new_owner)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.dialog_open = False
        self._reload()
        return rx.toast.success("Saved.")

    @rx.event
    @guard.requires(Role.ADMIN)
    def delete(self):
        try:
            with db.session_scope() as session:
                media_admin.delete(session, actor=self._actor(session), media_id=self._selected_id)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.dialog_open = False
        self._reload()
        return rx.toast.success("Deleted for good.")


class MediaTypesState(SessionState):
    types: list[MediaTypeRow] = []
    loaded: bool = False
    notice: str = "Loading…"

    def _reload(self):
        try:
            with db.session_scope() as session:
                rows = media_admin.list_types(session, actor=self._actor(session))
        except MediashareError as error:
            self.types, self.loaded, self.notice = [], False, str(error)
            return rx.toast.error(str(error))
        self.types = [MediaTypeRow(extension=row.extension, kind=row.kind.value, label=row.label,
                                   max_mb=max(1, row.max_bytes // (1024 * 1024)), enabled=row.enabled)
                      for row in rows]
        self.loaded = True
        return None

    @rx.event
    @guard.signed_in  # the service refuses anyone below admin, and the page says so
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
        return self._reload()

    def _change(self, extension: object, *, enabled: object = None, max_mb: object = None):
        row = next((row for row in self.types if row.extension == extension), None)
        if row is None:
            return rx.toast.error("That media type does not exist.")
        try:
            new_enabled = row.enabled if enabled is None else as_flag(enabled, field="enabled")
            if max_mb is None:
                new_max = row.max_mb
            else:
                text = as_text(str(max_mb) if isinstance(max_mb, int) else max_mb, max_length=6, field="size_limit")
                new_max = int(text) if text.strip().isdigit() else 0
            with db.session_scope() as session:
                media_admin.update_type(session, actor=self._actor(session), extension=row.extension,
                                        enabled=new_enabled, max_mb=new_max)
        except MediashareError as error:
            self._reload()
            return rx.toast.error(str(error))
        self._reload()
        return rx.toast.success(f".{row.extension} saved.")

    @rx.event
    @guard.requires(Role.ADMIN)
    def set_enabled(self, extension: str, enabled: bool):
        return self._change(extension, enabled=enabled)

    @rx.event
    @guard.requires(Role.ADMIN)
    def set_max_mb(self, extension: str, value: str):
        return self._change(extension, max_mb=value)
