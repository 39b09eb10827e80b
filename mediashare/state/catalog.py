"""The catalog's pages: /catalog (home rows, poster grid, search and filters, a series' seasons),
/catalog/[entry_id] (details, pay-per-view play, the player), /catalog/manage (a publisher's entries),
and the "Publish to catalog" dialog of the media viewer and the management list.

Every handler re-authorizes through services/catalog.py from our own session: an entry the caller
may not see is NotFound, whatever id a browser sends. Posters and streams are signed byte URLs;
the byte route checks the audience (and the play window) again on every request.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from mediashare import db, routes
from mediashare.errors import InsufficientCredits, MediashareError, NotFound, ValidationFailed
from mediashare.models import CatalogEntry, EntryKind, MediaItem, MediaKind, Role
from mediashare.services import (
    catalog,
    catalog_albums,
    catalog_history,
    catalog_import,
    credits,
    ledger,
    media,
    transcode,
)
from mediashare.state import acting, arguments, guard
from mediashare.state.session import SessionState

KINDS = [kind.value for kind in EntryKind]
KIND_LABELS = {"film": "Film", "episode": "Episode", "music": "Music", "other": "Other"}
FORM_FIELDS = catalog.FORM_FIELDS
MAX_FIELD = 6000
MAX_FOUND = 12


def entry_href(entry_id: int) -> str:
    return routes.CATALOG_ENTRY.replace("[entry_id]", str(int(entry_id)))


def series_href(series: str) -> str:
    from urllib.parse import quote
    return f"{routes.CATALOG}?series={quote(series, safe='')}"


def price_label(price: int) -> str:
    return "Free" if price == 0 else f"{price:,} credit{'s' if price != 1 else ''}"


@dataclass
class Tile:
    """A poster in a row or grid."""

    id: int
    title: str
    subtitle: str
    poster_url: str
    href: str
    price: str
    percent: int  # progress for "continue watching" (0: none)
    kind: str


def _subtitle(entry: CatalogEntry) -> str:
    if entry.kind is EntryKind.EPISODE:
        return f"{entry.series_title} · S{entry.season or 0}E{entry.episode or 0}"
    if entry.kind is EntryKind.MUSIC and (entry.artist or entry.album):
        return " · ".join(part for part in (entry.artist, entry.album) if part)
    return " · ".join(part for part in (str(entry.year) if entry.year else "", KIND_LABELS[entry.kind.value]) if part)


def _tile(card: catalog.Card, viewer_id: int, percent: int = 0) -> Tile:
    entry = card.entry
    poster = (routes.catalog_art_url(entry.id, "poster", entry.poster_key) if entry.poster_key  # type: ignore[arg-type]
              else media.url_for(card.art_media_id, "thumbnail", viewer_id) if card.art_media_id else "")
    return Tile(id=entry.id, title=entry.title, subtitle=_subtitle(entry), poster_url=poster,  # type: ignore[arg-type]
                href=entry_href(entry.id), price=price_label(entry.price), percent=percent,  # type: ignore[arg-type]
                kind=entry.kind.value)


def album_tile(found: catalog_albums.Album, viewer_id: int) -> Tile:
    """An album's poster: the first song's picture, leading to the album's page."""
    songs = f"{len(found.tracks)} song{'s' if len(found.tracks) != 1 else ''}"
    return Tile(id=found.cover.entry.id, title=found.title,  # type: ignore[arg-type]
                subtitle=" · ".join(part for part in (found.artist, songs) if part),
                poster_url=_tile(found.cover, viewer_id).poster_url, href=routes.catalog_album_url(found.key),
                price="", percent=0, kind="album")


@dataclass
class Row:
    key: str
    title: str
    tiles: list[Tile]
    playable: bool = False  # has songs: "Play all" puts them in the music queue


@dataclass
class GenreOption:
    id: str
    name: str


@dataclass
class FoundRow:
    """A "Find details" search result in the editor."""

    ref: str
    title: str
    year: str
    kind: str
    providers: str
    poster_url: str


@dataclass
class Season:
    number: int
    title: str
    tiles: list[Tile]


class CatalogState(SessionState):
    """/catalog: rows like a streaming app, and a poster grid with search and filters; with
    ?series=<title>, that series' episodes by season."""

    rows: list[Row] = []
    grid: list[Tile] = []
    albums: list[Tile] = []  # while filtering: the albums with a song that matches
    years: list[str] = []
    query: str = ""
    kind: str = ""
    year: str = ""
    series: str = ""
    seasons: list[Season] = []
    loaded: bool = False
    genre: str = ""  # a genre id, as text ("": all)
    genre_options: list[GenreOption] = []  # genres that have entries the viewer can see

    @rx.var
    def filtering(self) -> bool:
        return bool(self.query or self.kind or self.year or self.genre)

    def _fill(self, session, user) -> None:
        viewer = user.id
        self.years = [str(year) for year in catalog.years(session, viewer=user)]
        if self.series:
            found = catalog.series_seasons(session, viewer=user, series=self.series)
            self.seasons = [Season(number=number, title=f"Season {number}" if number else "Episodes",
                                   tiles=[_tile(card, viewer) for card in cards]) for number, cards in found.items()]
            return
        self.seasons = []
        year = int(self.year) if self.year.isdigit() else None
        genre_rows = catalog_import.rows(session, viewer=user)
        self.genre_options = [GenreOption(id=str(genre.id), name=genre.name) for genre, _ in genre_rows]
        if self.genre and self.genre not in {option.id for option in self.genre_options}:
            self.genre = ""
        genre = int(self.genre) if self.genre else None
        cards = catalog.browse(session, viewer=user, query=self.query, kind=self.kind, year=year, genre=genre,
                               limit=120)
        self.grid = [_tile(card, viewer) for card in cards]
        if self.query or self.kind or self.year or self.genre:
            self.rows = []
            self.albums = [album_tile(found, viewer) for found in catalog_albums.albums(
                session, viewer=user, query=self.query, year=year, genre=genre)] if self.kind in ("", "music") else []
            return
        self.albums = []
        singles = [_tile(card, viewer) for card in cards
                   if card.entry.kind is EntryKind.MUSIC and not card.entry.album_key]
        albums = [album_tile(found, viewer) for found in catalog_albums.albums(session, viewer=user)]
        watching = [_tile(p.card, viewer, int(100 * p.position_seconds / p.duration_seconds)
                          if p.duration_seconds else 0) for p in catalog.continue_watching(session, viewer=user)]
        mine = [_tile(card, viewer) for card in catalog.watchlist(session, viewer=user)]
        liked = [_tile(card, viewer) for card in catalog_history.favorites(session, viewer=user)]
        rows = [Row("continue", "Continue watching", watching), Row("list", "My list", mine),
                Row("favorites", "Favorites", liked), Row("new", "New", self.grid[:20])]
        for kind, title in (("film", "Films"), ("episode", "Series"), ("music", "Music")):
            tiles = [tile for tile in self.grid if tile.kind == kind]
            if kind == "episode":  # one poster per series, leading to its page
                seen: dict[str, Tile] = {}
                for tile in tiles:
                    name = tile.subtitle.rsplit(" · ", 1)[0]
                    if name not in seen:
                        seen[name] = Tile(id=tile.id, title=name, subtitle="Series", poster_url=tile.poster_url,
                                          href=series_href(name), price="", percent=0, kind="series")
                tiles = list(seen.values())
            if kind == "music":  # its albums, then the songs on no album
                tiles = albums + singles
            rows.append(Row(kind, title, tiles[:20], playable=kind == "music"))
        for genre, cards in genre_rows:
            tiles = [_tile(card, viewer) for card in cards]
            rows.append(Row(f"genre-{genre.id}", genre.name, tiles,
                            playable=any(tile.kind == "music" for tile in tiles)))
        self.rows = [row for row in rows if row.tiles]

    def _reload(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            try:
                self._fill(session, user)
            except MediashareError as error:
                return rx.toast.error(str(error))
        self.loaded = True
        return None

    @rx.event
    @guard.signed_in
    def load(self):
        series = self.router.url.query_parameters.get("series", "")
        self.series = series[:200] if isinstance(series, str) else ""
        return self._reload()

    @rx.event
    @guard.signed_in
    def search(self, form_data: dict):
        try:
            self.query = arguments.form_text(form_data, "query", max_length=200).strip()
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._reload()

    @rx.event
    @guard.signed_in
    def set_kind(self, value: str):
        try:
            self.kind = "" if value == "all" else arguments.as_choice(value, KINDS, field="kind")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._reload()

    @rx.event
    @guard.signed_in
    def set_year(self, value: str):
        if value == "all":
            self.year = ""
        elif isinstance(value, str) and value.isdigit() and len(value) == 4:
            self.year = value
        else:
            return rx.toast.error("That is not a year.")
        return self._reload()

    @rx.event
    @guard.signed_in
    def set_genre(self, value: str):
        if value == "all":
            self.genre = ""
        elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
            self.genre = value  # _fill drops a genre the viewer has no entries in
        else:
            return rx.toast.error("That is not a genre.")
        return self._reload()

    @rx.event
    @guard.signed_in
    def clear_filters(self):
        self.query, self.kind, self.year, self.genre = "", "", "", ""
        return self._reload()


class CatalogEntryState(SessionState):
    """/catalog/[entry_id]: one entry, its price and play window, the player."""

    entry_id: int = 0
    missing: bool = False
    title: str = ""
    original_title: str = ""
    kind: str = ""
    media_kind: str = ""
    facts: list[str] = []  # year, runtime, age rating, rating…
    plot: str = ""
    cast: list[str] = []
    genres: list[str] = []
    series_title: str = ""
    series_link: str = ""
    episode_label: str = ""
    artist: str = ""
    album: str = ""
    album_link: str = ""
    track_label: str = ""  # "Disc 2 · Track 3"
    backdrop_url: str = ""
    poster_url: str = ""
    price: int = 0
    window_label: str = ""  # "Paid · you can watch until …" while a window is open
    balance: int = 0
    on_list: bool = False
    favorite: bool = False
    confirming: bool = False
    playing: bool = False
    stream_url: str = ""
    resume_at: float = 0.0
    play_error: str = ""

    @rx.var
    def price_text(self) -> str:
        return price_label(self.price)

    def _fill(self, session, user, entry: CatalogEntry, item: MediaItem) -> None:
        self.missing = False
        self.entry_id, self.title, self.original_title = entry.id, entry.title, entry.original_title  # type: ignore[assignment]
        self.kind, self.media_kind, self.plot, self.cast = entry.kind.value, item.kind.value, entry.plot, entry.cast
        self.series_title = entry.series_title
        self.series_link = series_href(entry.series_title) if entry.series_title else ""
        self.episode_label = (f"Season {entry.season or 0} · Episode {entry.episode or 0}"
                              if entry.kind is EntryKind.EPISODE else "")
        self.artist, self.album = entry.artist, entry.album
        self.album_link = routes.catalog_album_url(entry.album_key) if entry.album_key else ""
        self.track_label = " · ".join(part for part in (
            f"Disc {entry.disc_number}" if entry.disc_number else "",
            f"Track {entry.track_number}" if entry.track_number else "") if part)
        runtime = entry.runtime_minutes or (round(item.duration_seconds / 60) if item.duration_seconds else None)
        self.facts = [fact for fact in (
            str(entry.year) if entry.year else "", KIND_LABELS[entry.kind.value],
            f"{runtime // 60} h {runtime % 60} min" if runtime and runtime >= 60 else (f"{runtime} min" if runtime
                                                                                     else ""),
            entry.age_rating, f"★ {entry.rating:g}/10" if entry.rating is not None else "") if fact]
        self.genres = catalog_import.names_of(session, [item.id]).get(item.id, [])  # type: ignore[list-item]
        backdrop = entry.backdrop_media_id or entry.poster_media_id or (item.id if item.preview_key else None)
        self.backdrop_url = media.url_for(backdrop, "preview", user.id) if backdrop else ""
        if entry.backdrop_key:
            self.backdrop_url = routes.catalog_art_url(entry.id, "backdrop", entry.backdrop_key)  # type: ignore[arg-type]
        poster = entry.poster_media_id or (item.id if item.thumbnail_key else None)
        self.poster_url = media.url_for(poster, "thumbnail", user.id) if poster else ""
        if entry.poster_key:
            self.poster_url = routes.catalog_art_url(entry.id, "poster", entry.poster_key)  # type: ignore[arg-type]
        self.price = entry.price
        window = catalog.open_window(session, user=user, entry_id=entry.id)  # type: ignore[arg-type]
        self.window_label = (f"Paid · you can watch until {window.expires_at.strftime('%d %b %Y, %H:%M UTC')}"
                             if window is not None else "")
        self.balance = ledger.balance(session, user=user)
        self.on_list = entry.id in catalog.on_list(session, user=user, entry_ids=[entry.id])  # type: ignore[list-item]
        self.favorite = entry.id in catalog_history.favorite_ids(session, user=user, entry_ids=[entry.id])  # type: ignore[list-item]

    def _clear(self) -> None:
        self.missing, self.entry_id, self.title, self.plot, self.cast, self.facts = True, 0, "", "", [], []
        self.genres = []
        self.backdrop_url = self.poster_url = self.stream_url = self.window_label = self.play_error = ""
        self.playing = self.confirming = self.on_list = self.favorite = False
        self.series_title = self.series_link = self.episode_label = self.original_title = ""
        self.artist = self.album = self.album_link = self.track_label = ""

    @rx.event
    @guard.signed_in
    def load(self):
        raw = self.router.page.params.get("entry_id", "")
        self.playing, self.confirming, self.stream_url, self.play_error = False, False, "", ""
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            try:
                entry_id = arguments.as_id(raw if isinstance(raw, str) else "", what="title")
                entry, item = catalog.visible(session, viewer=user, entry_id=entry_id)
                self._fill(session, user, entry, item)
            except MediashareError:
                self._clear()
        return None

    @rx.event
    @guard.signed_in
    def ask_play(self):
        """The Play button: priced entries without an open window confirm the price first."""
        if self.price > 0 and not self.window_label:
            self.play_error, self.confirming = "", True
            return None
        return CatalogEntryState.start_play

    @rx.event
    @guard.signed_in
    def cancel_play(self):
        self.confirming = False

    @rx.event
    @guard.signed_in
    def start_play(self):
        """Open (and pay for, once) the play window, then play from the saved position."""
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                play = catalog.start_play(session, actor=user, entry_id=self.entry_id)
                entry, item = catalog.visible(session, viewer=user, entry_id=self.entry_id)
                self._fill(session, user, entry, item)
                self.stream_url = media.url_for(item.id, transcode.stream_variant(session, item.id),  # type: ignore[arg-type]
                                                user.id)  # type: ignore[arg-type]
        except InsufficientCredits as error:
            self.play_error = str(error)
            self.confirming = True
            return rx.toast.error(str(error))
        except MediashareError as error:
            self.confirming = False
            return rx.toast.error(str(error))
        self.confirming, self.playing, self.play_error = False, True, ""
        self.resume_at = play.resume_at or 0.0
        done = [rx.call_script(
            "setTimeout(() => { const p = document.getElementById('catalog-player'); if (!p) return;"
            f" p.currentTime = {float(self.resume_at)}; p.play().catch(() => {{}}); }}, 300)")]
        if play.charged:
            done.append(rx.toast.success(f"{play.charged:,} credits paid. Enjoy the show."))
        return done

    @rx.event
    @guard.signed_in
    def playback_failed(self):
        """The player could not play the stream: give back a window that just opened."""
        if not self.playing or not self.entry_id:
            return None
        try:
            with db.session_scope() as session:
                refunded = catalog.report_failed_start(session, actor=self._actor(session), entry_id=self.entry_id)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.playing = False
        if refunded:
            self.window_label = ""
            return rx.toast.error("This title could not be played; your credits were given back.")
        return rx.toast.error("This title could not be played. Try again in a moment.")

    @rx.event
    @guard.signed_in
    def toggle_list(self):
        try:
            with db.session_scope() as session:
                self.on_list = catalog.set_on_list(session, actor=self._actor(session), entry_id=self.entry_id,
                                                   on=not self.on_list)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("Added to My list." if self.on_list else "Removed from My list.")

    @rx.event
    @guard.signed_in
    def toggle_favorite(self):
        try:
            with db.session_scope() as session:
                self.favorite = catalog_history.set_favorite(session, actor=self._actor(session),
                                                             entry_id=self.entry_id, on=not self.favorite)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("Added to Favorites." if self.favorite else "Removed from Favorites.")

    @rx.event
    @guard.signed_in
    def save_position(self, position: float, duration: float):
        if not self.entry_id or not self.playing:
            return None
        try:
            with db.session_scope() as session:
                catalog.save_position(session, actor=self._actor(session), entry_id=self.entry_id,
                                      position=position, duration=duration)
        except NotFound:
            return None
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None


@dataclass
class ManagedTile:
    id: int
    title: str
    subtitle: str
    thumb_url: str
    href: str
    media_href: str
    price: str
    published: bool
    publisher: str


class CatalogManageState(SessionState):
    """/catalog/manage: the entries a reseller or admin published (and may edit or take down)."""

    entries: list[ManagedTile] = []
    loaded: bool = False

    def _fill(self, session, user) -> None:
        self.entries = [ManagedTile(
            id=row.entry.id, title=row.entry.title, subtitle=_subtitle(row.entry),  # type: ignore[arg-type]
            thumb_url=media.url_for(row.item.id, "thumbnail", user.id) if row.item.thumbnail_key else "",  # type: ignore[arg-type]
            href=entry_href(row.entry.id), media_href=routes.media_page(row.item.id),  # type: ignore[arg-type]
            price=price_label(row.entry.price), published=row.entry.published, publisher=row.publisher,
        ) for row in catalog.manage_list(session, actor=user)]

    @rx.event
    @guard.requires(Role.RESELLER)
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            try:
                self._fill(session, user)
            except MediashareError as error:
                return rx.toast.error(str(error))
        self.loaded = True
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def unpublish(self, entry_id: int):
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                catalog.unpublish(session, actor=user, entry_id=arguments.as_id(entry_id, what="title"),
                                  client=self._client())
                self._fill(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("Taken out of the catalog.")


class CatalogEditorState(SessionState):
    """The publish/edit dialog: publish item `media_id`, or edit entry `entry_id`."""

    open: bool = False
    media_id: int = 0
    entry_id: int = 0
    heading: str = ""
    values: dict[str, str] = {}
    kind: str = "film"
    form_key: int = 0
    genre_choices: list[GenreOption] = []
    genre_ids: list[str] = []  # picked genres (ids as text)
    # "Find details": provider search results, and the picked title's artwork to download on save
    find_title: str = ""
    find_year: str = ""
    found: list[FoundRow] = []
    find_notices: list[str] = []
    finding: bool = False
    importing: bool = False
    imported_from: str = ""  # "Details from TMDB, OMDb" once a result was picked
    poster_url: str = ""  # the provider's image addresses (downloaded by save_art)
    backdrop_url: str = ""

    def _open_with(self, entry: CatalogEntry | None, item: MediaItem, session) -> None:
        default_price = credits.price(session, credits.Action.CATALOG_PLAY)
        if entry is None:
            self.values = {"title": item.title or item.original_filename.rsplit(".", 1)[0],
                           "kind": "music" if item.kind is MediaKind.AUDIO else "film", "price": str(default_price),
                           "plot": item.description,
                           "runtime_minutes": str(max(1, round(item.duration_seconds / 60)))
                           if item.duration_seconds else ""}
        else:
            self.values = catalog.form_values(entry)
        self.values = {name: self.values.get(name, "") for name in FORM_FIELDS}
        self.kind = self.values["kind"] or "film"
        user = self._actor(session)
        self.genre_choices = [GenreOption(id=str(g.id), name=g.name)
                              for g in catalog_import.choices(session, actor=user)]
        self.genre_ids = ([str(i) for i in catalog_import.ids_of(session, item.id)]  # type: ignore[arg-type]
                          if entry is not None else [])
        self.find_title, self.find_year = self.values["title"], self.values["year"]
        self.found, self.find_notices, self.imported_from, self.poster_url, self.backdrop_url = [], [], "", "", ""
        self.finding = self.importing = False
        self.form_key += 1
        self.open = True

    @rx.event
    @guard.requires(Role.RESELLER)
    def open_for_media(self, media_id: int):
        """From the media viewer: publish this item, or edit its entry if it has one."""
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                item = media.viewable(session, actor=user, media_id=arguments.as_id(media_id, what="item"))
                if not catalog.may_publish(session, actor=user, item=item):
                    return rx.toast.error("Only videos and audio can be published to the catalog.")
                entry = catalog.entry_for_media(session, actor=user, media_id=item.id)  # type: ignore[arg-type]
                self.media_id = item.id  # type: ignore[assignment]
                self.entry_id = entry.id if entry is not None and entry.published else 0  # type: ignore[assignment]
                self.heading = "Edit catalog entry" if self.entry_id else "Publish to catalog"
                self._open_with(entry, item, session)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def open_for_entry(self, entry_id: int):
        """From the management list: edit one entry (or publish it again)."""
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                entry = catalog.managed(session, actor=user, entry_id=arguments.as_id(entry_id, what="title"))
                item = session.get(MediaItem, entry.media_id)
                if item is None:
                    raise NotFound(catalog.NOT_FOUND)
                self.media_id, self.entry_id = item.id, (entry.id if entry.published else 0)  # type: ignore[assignment]
                self.heading = "Edit catalog entry" if entry.published else "Publish again"
                self._open_with(entry, item, session)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def set_open(self, value: bool):
        if value is not True:
            self.open = False

    @rx.event
    @guard.requires(Role.RESELLER)
    def set_kind(self, value: str):
        try:
            self.kind = arguments.as_choice(value, KINDS, field="kind")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def toggle_genre(self, genre_id: str):
        """Pick or unpick one of the offered genres (saved with the form)."""
        if not isinstance(genre_id, str) or genre_id not in {choice.id for choice in self.genre_choices}:
            return rx.toast.error("That genre is not on offer; reopen the dialog.")
        self.genre_ids = ([i for i in self.genre_ids if i != genre_id] if genre_id in self.genre_ids
                          else [*self.genre_ids, genre_id])
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def remember(self, name: str, value: str):
        """A field the publisher left: kept, so filling the form from "Find details" never loses what was typed."""
        if name in FORM_FIELDS and name != "kind" and isinstance(value, str) and len(value) <= MAX_FIELD:
            self.values = {**self.values, name: value}

    @rx.event
    @guard.requires(Role.RESELLER)
    def drop_artwork(self):
        """Keep the entry's pictures: do not download the picked title's poster and backdrop."""
        self.poster_url = self.backdrop_url = ""

    # "Find details" talks to the providers (seconds): background events, the network in a thread.

    @rx.event(background=True)
    @guard.requires(Role.RESELLER)
    async def find_details(self, form_data: dict):
        try:
            title = arguments.form_text(form_data, "find_title", max_length=catalog.MAX_TITLE).strip()
            year = arguments.form_text(form_data, "find_year", max_length=4).strip()
            if not title:
                raise ValidationFailed("Type a title to look for.", field="find_title")
            if year and not (year.isascii() and year.isdigit()):
                raise ValidationFailed("The year is four digits, such as 1999.", field="find_year")
        except MediashareError as error:
            return rx.toast.error(str(error))
        async with self:
            if self.finding:
                return None
            self.finding, self.find_title, self.find_year, self.find_notices = True, title, year, []
            token = self._session_token()
        try:
            found, notices = await asyncio.to_thread(
                acting.run_as, token, lambda s, a: catalog_import.find(s, actor=a, title=title, year=year or None))
        except MediashareError as error:
            async with self:
                self.finding, self.found, self.find_notices = False, [], [str(error)]
            return None
        async with self:
            self.finding, self.find_notices = False, notices
            self.found = [FoundRow(ref=f.ref, title=f.title, year=str(f.year or ""), kind=f.kind,
                                   providers=f.providers, poster_url=f.poster_url) for f in found[:MAX_FOUND]]
        return None

    @rx.event(background=True)
    @guard.requires(Role.RESELLER)
    async def pick_details(self, ref: str):
        """Fill the form from one search result (the typed form stays as it was if this fails)."""
        async with self:
            if self.importing or not isinstance(ref, str) or ref not in {row.ref for row in self.found}:
                return None if self.importing else rx.toast.error("Pick one of the search results.")
            self.importing = True
            token = self._session_token()
        try:
            filled = await asyncio.to_thread(acting.run_as, token,
                                             lambda s, a: catalog_import.prefill(s, actor=a, ref=ref))
        except MediashareError as error:
            async with self:
                self.importing = False
                self.find_notices = [f"Could not get the details: {error}"]
            return None
        async with self:
            self.importing = False
            self.values = {**self.values, **{k: v for k, v in filled.values.items() if k in FORM_FIELDS and v}}
            self.kind = self.values["kind"] or "film"
            known = {choice.id for choice in self.genre_choices}
            new_choices = [GenreOption(id=str(i), name=n) for i, n in zip(filled.genre_ids, filled.genre_names,
                                                                            strict=True) if str(i) not in known]
            self.genre_choices = sorted([*self.genre_choices, *new_choices], key=lambda c: c.name.casefold())
            self.genre_ids = [*self.genre_ids, *(str(i) for i in filled.genre_ids if str(i) not in self.genre_ids)]
            self.poster_url, self.backdrop_url = filled.poster_url, filled.backdrop_url
            self.imported_from = "Details from " + next((row.providers for row in self.found if row.ref == ref), "")
            self.find_notices = filled.notices
            self.found = []
            self.form_key += 1
        return None

    @rx.event(background=True)
    @guard.requires(Role.RESELLER)
    async def save_art(self):
        """After saving: download the picked title's poster and backdrop and store them on the entry."""
        async with self:
            entry_id, poster, backdrop = self.entry_id, self.poster_url, self.backdrop_url
            self.poster_url = self.backdrop_url = ""
            token = self._session_token()
        if not entry_id or not (poster or backdrop):
            return None
        try:
            problems = await asyncio.to_thread(acting.run_as, token, lambda s, a: catalog_import.store_art(
                s, actor=a, entry_id=entry_id, poster_url=poster, backdrop_url=backdrop))
        except MediashareError as error:
            return rx.toast.error(f"The pictures could not be imported: {error}")
        if problems:
            return [rx.toast.warning(" ".join(problems)), CatalogManageState.load]
        return [rx.toast.success("Poster and backdrop imported."), CatalogManageState.load]

    @rx.event
    @guard.requires(Role.RESELLER)
    def submit(self, form_data: dict):
        try:
            values = {name: arguments.form_text(form_data, name, max_length=MAX_FIELD) for name in FORM_FIELDS
                      if name != "kind"}
            values["kind"] = self.kind
            with db.session_scope() as session:
                user = self._actor(session)
                if self.entry_id:
                    entry = catalog.update(session, actor=user, entry_id=self.entry_id, values=values,
                                           client=self._client())
                    done = "Catalog entry saved."
                elif self.media_id:
                    entry = catalog.publish(session, actor=user, media_id=self.media_id, values=values,
                                            client=self._client())
                    done = "Published to the catalog."
                else:
                    return rx.toast.error("Choose an item to publish first.")
                self.entry_id = entry.id  # type: ignore[assignment]
                self.values = {**values, "kind": self.kind}
                catalog_import.set_genres(session, actor=user, entry_id=entry.id,  # type: ignore[arg-type]
                                          genre_ids=list(self.genre_ids))
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.open = False
        events = [rx.toast.success(done), CatalogManageState.load]
        if self.poster_url or self.backdrop_url:
            events.append(CatalogEditorState.save_art)
        return events
