"""/gallery, /favorites and /trash: the signed-in person's media as tiles, the selection, and bulk
actions (trash, download, stars, date taken and place).

Tiles are small view dataclasses with a signed thumbnail URL (never bytes). The next page's
cursor stays on the server (`_cursor`). While tiles show "processing", a background event asks
the service every few seconds for their status and stops when none are left, when the page is
left or reloaded (`_generation` changes), or after `POLL_LIMIT_SECONDS`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError, ValidationFailed
from mediashare.models import MediaKind
from mediashare.services import favorites, gallery, media_meta, media_zip, search, tags
from mediashare.state import guard
from mediashare.state.arguments import as_choice, as_id, as_text
from mediashare.state.media_meta import apply_dates, apply_place, apply_tags
from mediashare.state.session import SessionState

KINDS = ("all", *(kind.value for kind in MediaKind))
SORTS = tuple(sort.value for sort in gallery.Sort)
POLL_SECONDS = 3
POLL_LIMIT_SECONDS = 15 * 60


@dataclass
class MediaTile:
    """One item in a grid (text and a signed URL only)."""

    id: int
    title: str
    kind: str
    processing: bool
    failed: bool
    thumb_url: str
    href: str
    date: str
    favorite: bool


def _tile(card: gallery.Card, viewer_id: int) -> MediaTile:
    ready = card.has_thumbnail and not card.processing
    return MediaTile(
        id=card.id,
        title=card.title,
        kind=card.kind.value,
        processing=card.processing,
        failed=card.status.value == "failed",
        thumb_url=gallery.thumbnail_url(card.id, viewer_id=viewer_id) if ready else "",
        href=routes.media_url(card.id),
        date=(card.trashed_at or card.sort_at).strftime("%d %b %Y"),
        favorite=card.favorite,
    )


def _day(value: object, *, end: bool = False) -> datetime | None:
    """A YYYY-MM-DD filter date as the start of that day in UTC (`end`: the start of the next day)."""
    if value in ("", None):
        return None
    try:
        day = datetime.strptime(as_text(value, max_length=10, field="date"), "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise ValidationFailed("Choose a date as YYYY-MM-DD.", field="date") from None
    return day + timedelta(days=1) if end else day


class GalleryState(SessionState):
    tiles: list[MediaTile] = []
    has_more: bool = False
    loaded: bool = False
    notice: str = "Loading…"
    sort: str = gallery.Sort.TAKEN.value
    kind: str = "all"
    selected: list[int] = []
    busy: bool = False
    favorites_view: bool = False  # /favorites: only starred items
    meta_dialog: str = ""  # "dates" / "place" / "tags": that bulk dialog is open
    tag: str = ""  # the tag filter ("": all items)
    tag_options: list[str] = []  # the library's tags, most used first (filter and autocomplete)
    q: str = ""  # the search box
    since: str = ""  # date filter, YYYY-MM-DD (inclusive) …
    until: str = ""  # … to YYYY-MM-DD (inclusive)
    place: str = "any"  # "any" / "yes" (has a place) / "no"

    _cursor: str = ""
    _generation: int = 0
    _trash_view: bool = False

    @rx.var
    def selected_count(self) -> int:
        return len(self.selected)

    @rx.var
    def processing_count(self) -> int:
        return sum(1 for tile in self.tiles if tile.processing)

    # Loading ---------------------------------------------------------------------------------

    def _fetch(self, *, more: bool) -> None:
        """Fetch the first (or next) page with the current sort and filter (raises MediashareError)."""
        with db.session_scope() as session:
            actor = self._actor(session)
            if self._trash_view:
                cards, self._cursor = gallery.list_trash(session, actor=actor), ""
            else:
                page = gallery.list_page(
                    session, actor=actor, sort=gallery.Sort(self.sort),
                    kind=None if self.kind == "all" else MediaKind(self.kind),
                    favorites_only=self.favorites_view,
                    tag=self.tag or None,
                    q=self.q,
                    since=_day(self.since),
                    until=_day(self.until, end=True),
                    has_place={"yes": True, "no": False}.get(self.place),
                    cursor=self._cursor if more else None,
                )
                cards, self._cursor = page.cards, page.next_cursor or ""
            tiles = [_tile(card, actor.id) for card in cards]  # type: ignore[arg-type]
            if not more and not self._trash_view:
                self.tag_options = [t.name for t in tags.library(session, actor=actor)]
        self.tiles = [*self.tiles, *tiles] if more else tiles
        self.has_more = bool(self._cursor)
        self.loaded = True

    def _reload(self):
        self._generation += 1
        self.selected = []
        try:
            self._fetch(more=False)
        except MediashareError as error:
            self.tiles, self.loaded, self.notice = [], False, str(error)
            return rx.toast.error(str(error))
        return GalleryState.poll if self.processing_count else None

    def _open(self, *, trash_view: bool, favorites_view: bool = False):
        self._trash_view, self.favorites_view, self.tag = trash_view, favorites_view, ""
        self.q, self.since, self.until, self.place = "", "", "", "any"
        self.tiles, self.loaded, self.notice = [], False, "Loading…"
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
        return self._reload()

    @rx.event
    @guard.signed_in
    def load(self):
        """on_load of /gallery."""
        return self._open(trash_view=False)

    @rx.event
    @guard.signed_in
    def load_favorites(self):
        """on_load of /favorites."""
        return self._open(trash_view=False, favorites_view=True)

    @rx.event
    @guard.signed_in
    def load_trash(self):
        """on_load of /trash."""
        return self._open(trash_view=True)

    @rx.event
    @guard.signed_in
    def load_more(self):
        if not self._cursor or self._trash_view:
            return None
        try:
            self._fetch(more=True)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.signed_in
    def set_sort(self, value: str):
        try:
            self.sort = as_choice(value, SORTS, field="sort")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._reload()

    @rx.event
    @guard.signed_in
    def set_kind(self, value: str):
        try:
            self.kind = as_choice(value, KINDS, field="type")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._reload()

    @rx.event
    @guard.signed_in
    def set_tag(self, value: str):
        """The tag filter: one of the library's tags, or "" / "all" for every item."""
        try:
            value = as_choice(value, ["", "all", *self.tag_options], field="tag")
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.tag = "" if value == "all" else value
        return self._reload()

    @rx.var
    def filtering(self) -> bool:
        """Whether any search or filter narrows what is shown."""
        return bool(self.q.strip() or self.since or self.until or self.place != "any" or self.tag)

    @rx.event
    @guard.signed_in
    def set_query(self, value: str):
        """The search box (debounced in the browser): every word must appear in the item's text."""
        try:
            search.words(value)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.q = value
        return self._reload()

    @rx.event
    @guard.signed_in
    def set_dates(self, since: str, until: str):
        """The date filter: from and to (YYYY-MM-DD, either may be empty)."""
        try:
            start, end = _day(since), _day(until, end=True)
        except MediashareError as error:
            return rx.toast.error(str(error))
        if start is not None and end is not None and start >= end:
            return rx.toast.error("The first date must come before the last one.")
        self.since, self.until = since, until
        return self._reload()

    @rx.event
    @guard.signed_in
    def set_place(self, value: str):
        try:
            self.place = as_choice(value, ("any", "yes", "no"), field="place filter")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._reload()

    @rx.event
    @guard.signed_in
    def clear_filters(self):
        self.q, self.since, self.until, self.place, self.tag = "", "", "", "any", ""
        return self._reload()

    # Processing tiles --------------------------------------------------------------------------

    @rx.event(background=True)
    @guard.signed_in
    async def poll(self):
        """While tiles are processing, refresh them every few seconds (one loop per page view)."""
        async with self:
            generation = self._generation
        waited = 0
        while waited < POLL_LIMIT_SECONDS:
            await asyncio.sleep(POLL_SECONDS)
            waited += POLL_SECONDS
            async with self:
                if generation != self._generation or not self._refresh_processing():
                    return

    def _connected(self) -> bool:
        """Whether this tab's websocket is still open here (a closed tab stops the polling)."""
        try:
            from reflex.utils.prerequisites import get_app

            namespace = get_app().app.event_namespace
            return namespace is None or self.router.session.client_token in namespace.token_to_sid
        except Exception:  # no app to ask (tests): the other stop conditions still apply
            return True

    def _refresh_processing(self) -> bool:
        """Update processing tiles from the service; False when there is nothing left to watch."""
        path = self.router.url.path or ""
        if not path.startswith((routes.GALLERY, routes.FAVORITES, routes.TRASH)) or not self._connected():
            return False
        ids = [tile.id for tile in self.tiles if tile.processing]
        if not ids:
            return False
        try:
            with db.session_scope() as session:
                actor = self._actor(session)
                cards = gallery.statuses(session, actor=actor, ids=ids)
                self.tiles = [_tile(cards[t.id], actor.id) if t.id in cards else t  # type: ignore[arg-type]
                              for t in self.tiles]
        except MediashareError:
            return False
        return self.processing_count > 0

    # Selection and bulk actions ----------------------------------------------------------------

    @rx.event
    @guard.signed_in
    def toggle(self, media_id: int):
        try:
            media_id = as_id(media_id, what="item")
        except MediashareError as error:
            return rx.toast.error(str(error))
        if media_id in self.selected:
            self.selected = [other for other in self.selected if other != media_id]
        elif not any(tile.id == media_id for tile in self.tiles):
            return rx.toast.error("That item is not in this view any more.")
        elif len(self.selected) < gallery.MAX_SELECTION:
            self.selected = [*self.selected, media_id]
        return None

    @rx.event
    @guard.signed_in
    def clear_selection(self):
        self.selected = []

    @rx.event
    @guard.signed_in
    def select_all(self):
        self.selected = [tile.id for tile in self.tiles][: gallery.MAX_SELECTION]

    def _bulk(self, action, done: str):
        if not self.selected:
            return rx.toast.info("Choose some items first.")
        try:
            with db.session_scope() as session:
                count = action(session, actor=self._actor(session), ids=list(self.selected))
        except MediashareError as error:
            return rx.toast.error(str(error))
        toast = rx.toast.success(done.format(count=count))
        reload = self._reload()
        return [toast, reload] if reload is not None else toast

    @rx.event
    @guard.signed_in
    def trash_selected(self):
        return self._bulk(gallery.trash, "Moved {count} item(s) to the trash.")

    @rx.event
    @guard.signed_in
    def restore_selected(self):
        return self._bulk(gallery.restore, "Restored {count} item(s).")

    @rx.event
    @guard.signed_in
    def delete_selected(self):
        return self._bulk(lambda session, actor, ids: gallery.empty_trash(session, actor=actor, ids=ids),
                          "Deleted {count} item(s) for good.")

    @rx.event
    @guard.signed_in
    def empty_trash(self):
        try:
            with db.session_scope() as session:
                count = gallery.empty_trash(session, actor=self._actor(session))
        except MediashareError as error:
            return rx.toast.error(str(error))
        self._reload()
        return rx.toast.success(f"Deleted {count} item(s) for good.")

    @rx.event
    @guard.signed_in
    def download_selected(self):
        if not self.selected:
            return rx.toast.info("Choose some items first.")
        try:
            with db.session_scope() as session:
                actor = self._actor(session)
                gallery.authorized_items(session, actor=actor, ids=list(self.selected))
                token = media_zip.sign(viewer_id=actor.id, ids=list(self.selected))  # type: ignore[arg-type]
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.download(url=f"{routes.API_MEDIA_ZIP}?t={token}", filename="mediashare.zip")

    # Stars ---------------------------------------------------------------------------------------

    @rx.event
    @guard.signed_in
    def toggle_favorite(self, media_id: int):
        """The star on a tile."""
        try:
            media_id = as_id(media_id, what="item")
            tile = next((tile for tile in self.tiles if tile.id == media_id), None)
            if tile is None:
                return rx.toast.error("That item is not in this view any more.")
            with db.session_scope() as session:
                now = favorites.set_favorite(session, actor=self._actor(session), media_id=media_id,
                                             favorite=not tile.favorite)
        except MediashareError as error:
            return rx.toast.error(str(error))
        if self.favorites_view and not now:
            self.tiles = [t for t in self.tiles if t.id != media_id]
            self.selected = [other for other in self.selected if other != media_id]
        else:
            self.tiles = [MediaTile(**{**vars(t), "favorite": now}) if t.id == media_id else t for t in self.tiles]
        return None

    @rx.event
    @guard.signed_in
    def favorite_selected(self):
        return self._bulk(lambda session, actor, ids: favorites.set_favorites(session, actor=actor, ids=ids,
                                                                             favorite=True),
                          "Added {count} item(s) to your favorites.")

    @rx.event
    @guard.signed_in
    def unfavorite_selected(self):
        return self._bulk(lambda session, actor, ids: favorites.set_favorites(session, actor=actor, ids=ids,
                                                                             favorite=False),
                          "Removed {count} item(s) from your favorites.")

    # Date taken and place ------------------------------------------------------------------------

    @rx.event
    @guard.signed_in
    def open_meta_dialog(self, name: str):
        """Open the "dates" or "place" dialog."""
        try:
            self.meta_dialog = as_choice(name, ("dates", "place", "tags"), field="dialog")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.signed_in
    def meta_dialog_changed(self, open: bool):
        """The dialog's own close (Escape, outside click, Cancel)."""
        if open is not True:
            self.meta_dialog = ""

    def _bulk_form(self, apply, form_data: dict):
        if not self.selected:
            return rx.toast.info("Choose some items first.")
        try:
            with db.session_scope() as session:
                done = apply(session, actor=self._actor(session), ids=list(self.selected), form=form_data,
                             client=self._client())
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.meta_dialog = ""
        reload = self._reload()
        return [rx.toast.success(done), reload] if reload is not None else rx.toast.success(done)

    @rx.event
    @guard.signed_in
    def edit_dates_selected(self, form_data: dict):
        return self._bulk_form(apply_dates, form_data)

    @rx.event
    @guard.signed_in
    def edit_tags_selected(self, form_data: dict):
        return self._bulk_form(apply_tags, form_data)

    @rx.event
    @guard.signed_in
    def edit_place_selected(self, form_data: dict):
        return self._bulk_form(apply_place, form_data)

    @rx.event
    @guard.signed_in
    def clear_place_selected(self):
        self.meta_dialog = ""
        return self._bulk(lambda session, actor, ids: media_meta.clear_location(session, actor=actor, ids=ids,
                                                                                client=self._client()),
                          "Removed the place from {count} item(s).")
