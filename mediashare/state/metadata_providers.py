"""/admin/metadata: TMDB and OMDb keys (write-only), on/off and order, extra allowed hosts, and a test
search that shows what an import would fill (admins)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from mediashare import db
from mediashare.errors import MediashareError, ValidationFailed
from mediashare.models import Role
from mediashare.services import catalog_metadata as metadata
from mediashare.state import acting, guard
from mediashare.state.arguments import as_choice, as_flag, as_text, form_text
from mediashare.state.session import SessionState

MAX_RESULTS = 20


@dataclass
class ProviderRow:
    name: str
    label: str
    enabled: bool
    has_key: bool
    key_hint: str
    usable: bool
    message: str
    first: bool
    last: bool


@dataclass
class CandidateRow:
    ref: str
    title: str
    year: str
    kind: str
    providers: str
    overview: str
    imdb_id: str


@dataclass
class Preview:
    title: str = ""
    facts: str = ""  # "1999 · film · 136 min · R"
    plot: str = ""
    genres: str = ""
    ratings: str = ""
    cast: str = ""
    imdb_id: str = ""
    sources: str = ""
    images: str = ""  # which pictures an import would download


class MetadataAdminState(SessionState):
    allowed: bool = False
    rows: list[ProviderRow] = []
    hosts_text: str = ""
    searching: bool = False
    searched: bool = False
    results: list[CandidateRow] = []
    notices: list[str] = []
    previewing: bool = False
    preview: Preview = Preview()
    recorded_origin: str = ""  # METADATA_RECORDED_ORIGIN (test-only): imports use that recorded server

    def _fetch(self, session) -> None:
        actor = self._actor(session)
        statuses = metadata.provider_statuses(session, actor=actor)
        self.rows = [ProviderRow(name=s.name, label=s.label, enabled=s.enabled, has_key=s.has_key,
                                 key_hint=s.key_hint, usable=s.usable, message=s.message, first=index == 0,
                                 last=index == len(statuses) - 1) for index, s in enumerate(statuses)]
        self.hosts_text = "\n".join(metadata.allowed_hosts(session))

    @rx.event
    @guard.signed_in  # the page says so to anyone below admin
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            self.allowed = user.role.rank >= Role.ADMIN.rank
            self.results, self.notices, self.searched, self.preview = [], [], False, Preview()
            if self.allowed:
                self._fetch(session)
                self.recorded_origin = metadata.recorded_origin()
            else:
                self.rows, self.hosts_text, self.recorded_origin = [], "", ""
        return None

    def _change(self, apply, message: str):
        return acting.change(self, apply, fetch=self._fetch, done=message)

    @rx.event
    @guard.requires(Role.ADMIN)
    def save_key(self, form_data: dict):
        try:
            name = as_choice(form_text(form_data, "provider", max_length=10), metadata.NAMES, field="provider")
            key = form_text(form_data, "key", max_length=metadata.MAX_KEY + 10)
        except MediashareError as error:
            return rx.toast.error(str(error))
        if not key.strip():
            return rx.toast.error("Paste the key first (to remove a key, use Remove key).")
        result = self._change(lambda s, a: metadata.set_api_key(s, actor=a, name=name, key=key),
                              f"{metadata.LABELS[name]} key saved.")
        return [rx.set_value(f"key-{name}", ""), result]

    @rx.event
    @guard.requires(Role.ADMIN)
    def remove_key(self, name: str):
        try:
            name = as_choice(name, metadata.NAMES, field="provider")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._change(lambda s, a: metadata.set_api_key(s, actor=a, name=name, key=""),
                            f"{metadata.LABELS[name]} key removed; the provider is disabled.")

    @rx.event
    @guard.requires(Role.ADMIN)
    def set_provider_enabled(self, name: str, enabled: bool):
        try:
            name = as_choice(name, metadata.NAMES, field="provider")
            enabled = as_flag(enabled, field="enabled")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._change(lambda s, a: metadata.set_enabled(s, actor=a, name=name, enabled=enabled),
                            f"{metadata.LABELS[name]} turned {'on' if enabled else 'off'}.")

    @rx.event
    @guard.requires(Role.ADMIN)
    def move_provider(self, name: str, offset: int):
        try:
            name = as_choice(name, metadata.NAMES, field="provider")
            if offset not in (-1, 1) or isinstance(offset, bool):
                raise ValidationFailed("Move by one place up or down.")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._change(lambda s, a: metadata.move(s, actor=a, name=name, offset=offset), "Order saved.")

    @rx.event
    @guard.requires(Role.ADMIN)
    def save_hosts(self, form_data: dict):
        try:
            text = form_text(form_data, "hosts", max_length=4000)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._change(lambda s, a: metadata.set_allowed_hosts(s, actor=a, text=text), "Allowed hosts saved.")

    # The test search talks to the providers (seconds): background events, the network in a thread.

    @rx.event(background=True)
    @guard.requires(Role.ADMIN)
    async def search(self, form_data: dict):
        try:
            title = form_text(form_data, "title", max_length=metadata.MAX_TITLE + 20)
            year_text = form_text(form_data, "year", max_length=4).strip()
            if year_text and not year_text.isdigit():
                raise ValidationFailed("The year is four digits, such as 1999.", field="year")
            year = int(year_text) if year_text else None
        except MediashareError as error:
            return rx.toast.error(str(error))
        async with self:
            if self.searching:
                return None
            self.searching, self.preview = True, Preview()
            token = self._session_token()
        try:
            found = await asyncio.to_thread(
                acting.run_as, token, lambda s, a: metadata.search(s, actor=a, title=title, year=year))
        except MediashareError as error:
            async with self:
                self.searching = False
            return rx.toast.error(str(error))
        async with self:
            self.searching, self.searched = False, True
            self.notices = found.notices
            self.results = [CandidateRow(ref=c.ref, title=c.title, year=str(c.year or ""), kind=c.kind.value,
                                         providers=c.providers, overview=c.overview[:240], imdb_id=c.imdb_id)
                            for c in found.candidates[:MAX_RESULTS]]
        return None

    @rx.event(background=True)
    @guard.requires(Role.ADMIN)
    async def show_preview(self, ref: str):
        try:
            ref = as_text(ref, max_length=200, field="ref")
            metadata.parse_ref(ref)
        except MediashareError as error:
            return rx.toast.error(str(error))
        async with self:
            if self.previewing:
                return None
            self.previewing = True
            token = self._session_token()
        try:
            entry = await asyncio.to_thread(acting.run_as, token, lambda s, a: metadata.details(s, actor=a, ref=ref))
        except MediashareError as error:
            async with self:
                self.previewing = False
            return rx.toast.error(str(error))
        facts = [str(entry.year or ""), entry.kind.value,
                 f"{entry.runtime_minutes} min" if entry.runtime_minutes else "", entry.age_rating]
        images = [label for label, url in (("poster", entry.poster_url), ("backdrop", entry.backdrop_url)) if url]
        async with self:
            self.previewing = False
            self.preview = Preview(
                title=entry.title + (f" ({entry.original_title})" if entry.original_title not in ("", entry.title)
                                     else ""),
                facts=" · ".join(f for f in facts if f), plot=entry.plot, genres=", ".join(entry.genres),
                ratings=" · ".join(f"{r.source} {r.value:g}/{r.scale:g}" for r in entry.ratings),
                cast=", ".join(entry.cast[:8]), imdb_id=entry.imdb_id,
                sources=" + ".join(metadata.LABELS[name] for name, _ in entry.sources),
                images=" and ".join(images) or "none")
        return None
