"""/admin/genres: the global genre list with item counts; add, rename, merge, delete (admins)."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from mediashare import db
from mediashare.errors import MediashareError
from mediashare.models import Role
from mediashare.services import genres
from mediashare.state import guard
from mediashare.state.arguments import as_choice, as_id, form_text
from mediashare.state.session import SessionState

DIALOGS = ("rename", "merge", "delete")
NO_GENRE = "none"


@dataclass
class GenreRow:
    id: int
    name: str
    slug: str
    count: int


class GenresAdminState(SessionState):
    rows: list[GenreRow] = []
    allowed: bool = False
    query: str = ""  # filters the list as typed
    dialog: str = ""  # "", "rename", "merge" or "delete"
    acting_id: int = 0  # the genre the open dialog acts on
    acting_name: str = ""
    acting_count: int = 0
    choices: list[list[str]] = []  # [id, name] of the other genres, for merge and delete

    @rx.var
    def shown(self) -> list[GenreRow]:
        needle = self.query.strip().casefold()
        return [row for row in self.rows if needle in row.name.casefold()] if needle else self.rows

    @rx.var
    def total_items(self) -> int:
        return sum(row.count for row in self.rows)

    def _fetch(self, session) -> None:
        listed = genres.list_with_counts(session, actor=self._actor(session))
        self.rows = [GenreRow(id=g.id, name=g.name, slug=g.slug, count=g.count) for g in listed]

    @rx.event
    @guard.signed_in  # the page says so to anyone below admin
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            self.allowed = user.role.rank >= Role.ADMIN.rank
            self.dialog, self.acting_id, self.query = "", 0, ""
            if self.allowed:
                self._fetch(session)
            else:
                self.rows = []
        return None

    @rx.event
    @guard.requires(Role.ADMIN)
    def set_query(self, value: str):
        self.query = value[:60] if isinstance(value, str) else ""

    @rx.event
    @guard.requires(Role.ADMIN)
    def add(self, form_data: dict):
        try:
            name = form_text(form_data, "name", max_length=genres.MAX_NAME + 20)
            with db.session_scope() as session:
                genre = genres.create(session, actor=self._actor(session), name=name)
                self._fetch(session)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return [rx.set_value("genre-new-name", ""), rx.toast.success(f"Added “{genre.name}”.")]

    @rx.event
    @guard.requires(Role.ADMIN)
    def open_dialog(self, genre_id: int, kind: str):
        try:
            kind = as_choice(kind, DIALOGS, field="action")
            wanted = as_id(genre_id, what="genre")
            with db.session_scope() as session:
                self._fetch(session)
        except MediashareError as error:
            return rx.toast.error(str(error))
        row = next((r for r in self.rows if r.id == wanted), None)
        if row is None:
            return rx.toast.error("That genre no longer exists.")
        self.acting_id, self.acting_name, self.acting_count, self.dialog = row.id, row.name, row.count, kind
        self.choices = [[str(r.id), r.name] for r in self.rows if r.id != row.id]
        return None

    @rx.event
    @guard.requires(Role.ADMIN)
    def set_dialog_open(self, is_open: bool):
        if is_open is not True:
            self.dialog, self.acting_id = "", 0

    def _done(self, session, message: str):
        self._fetch(session)
        self.dialog, self.acting_id = "", 0
        return rx.toast.success(message)

    @rx.event
    @guard.requires(Role.ADMIN)
    def rename(self, form_data: dict):
        try:
            name = form_text(form_data, "name", max_length=genres.MAX_NAME + 20)
            with db.session_scope() as session:
                old = self.acting_name
                genre = genres.rename(session, actor=self._actor(session), genre_id=as_id(self.acting_id, what="genre"),
                                      name=name)
                return self._done(session, f"“{old}” is now “{genre.name}”.")
        except MediashareError as error:
            return rx.toast.error(str(error))

    @rx.event
    @guard.requires(Role.ADMIN)
    def merge(self, form_data: dict):
        try:
            target = as_id(form_text(form_data, "target", max_length=12), what="genre")
            with db.session_scope() as session:
                name = self.acting_name
                into = genres.merge(session, actor=self._actor(session),
                                    source_id=as_id(self.acting_id, what="genre"), target_id=target)
                return self._done(session, f"“{name}” was merged into “{into.name}”.")
        except MediashareError as error:
            return rx.toast.error(str(error))

    @rx.event
    @guard.requires(Role.ADMIN)
    def delete(self, form_data: dict):
        try:
            choice = form_text(form_data, "target", max_length=12) or NO_GENRE
            target = None if choice == NO_GENRE else as_id(choice, what="genre")
            with db.session_scope() as session:
                name = self.acting_name
                moved = genres.delete(session, actor=self._actor(session), genre_id=as_id(self.acting_id, what="genre"),
                                      reassign_to=target)
                note = f" {moved} item(s) moved." if target is not None else ""
                return self._done(session, f"“{name}” was deleted.{note}")
        except MediashareError as error:
            return rx.toast.error(str(error))
