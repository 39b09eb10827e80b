"""/albums and /albums/[album_id]: a person's albums, one album's items in order, its slideshow, and
the gallery's "Add to album…" dialog.

Tiles carry signed URLs (thumbnail, and the preview the slideshow shows), never bytes. The album a
page shows is `AlbumState.album_id`; every handler passes it to the service, which authorizes it
again (a forged id gets NotFound).
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError, ValidationFailed
from mediashare.services import albums, gallery, media
from mediashare.state import acting, guard
from mediashare.state.arguments import as_id, form_text
from mediashare.state.gallery import GalleryState
from mediashare.state.session import SessionState

PAGE = 240  # tiles added by "Load more" (divides into rows of 2, 3, 4, 5 and 6)


def album_url(album_id: int) -> str:
    return routes.ALBUM.replace("[album_id]", str(album_id))


@dataclass
class AlbumTile:
    """One album in a grid: title, count and a signed cover thumbnail URL ("" without one)."""

    id: int
    title: str
    count: int
    sub_albums: int
    cover_url: str
    href: str


@dataclass
class AlbumItemTile:
    """One item of an album: signed thumbnail and preview URLs, and its place in the album."""

    id: int
    title: str
    kind: str
    thumb_url: str
    preview_url: str
    href: str
    index: int
    last: bool


def _album_tile(card: albums.AlbumCard, viewer_id: int) -> AlbumTile:
    cover = gallery.thumbnail_url(card.cover_media_id, viewer_id=viewer_id) if card.cover_media_id else ""
    return AlbumTile(id=card.id, title=card.title, count=card.count, sub_albums=card.sub_albums,
                     cover_url=cover, href=album_url(card.id))


def _item_tile(card: gallery.Card, index: int, last: bool, viewer_id: int) -> AlbumItemTile:
    ready = card.has_thumbnail and not card.processing
    return AlbumItemTile(
        id=card.id, title=card.title, kind=card.kind.value,
        thumb_url=gallery.thumbnail_url(card.id, viewer_id=viewer_id) if ready else "",
        preview_url=media.url_for(card.id, "preview", viewer_id) if ready and card.kind.value == "image" else "",
        href=routes.media_url(card.id), index=index, last=last,
    )


@dataclass
class SuggestionTile:
    """A suggested event album: its title, how many photos, and a few signed thumbnails."""

    index: int
    title: str
    count: int
    thumb_urls: list[str]


class AlbumsState(SessionState):
    """/albums: the signed-in person's top-level albums, a form to create one, and suggested events."""

    cards: list[AlbumTile] = []
    suggestions: list[SuggestionTile] = []
    loaded: bool = False

    _suggested: list[list[int]] = []  # the media ids behind each suggestion (never sent)

    def _fill(self, session, user) -> None:
        self.cards = [_album_tile(card, user.id) for card in albums.list_albums(session, actor=user)]
        found = albums.suggestions(session, actor=user)
        self._suggested = [suggestion.media_ids for suggestion in found]
        self.suggestions = [
            SuggestionTile(index=index, title=suggestion.title, count=len(suggestion.media_ids),
                           thumb_urls=[gallery.thumbnail_url(media_id, viewer_id=user.id)
                                       for media_id in suggestion.media_ids[:4]])
            for index, suggestion in enumerate(found)
        ]

    @rx.event
    @guard.signed_in
    def load(self):
        return acting.load(self, self._fill)

    @rx.event
    @guard.signed_in
    def accept(self, index: int):
        """Make suggestion `index` (of those this tab was shown) a real album."""
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(self._suggested):
            return rx.toast.error("That suggestion is no longer there; reload the page.")
        try:
            with db.session_scope() as session:
                album = albums.accept_suggestion(session, actor=self._actor(session),
                                                 media_ids=self._suggested[index])
                new_id = album.id
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.redirect(album_url(new_id))  # type: ignore[arg-type]

    @rx.event
    @guard.signed_in
    def create(self, form_data: dict):
        try:
            title = form_text(form_data, "title", max_length=albums.MAX_TITLE + 50)
            with db.session_scope() as session:
                album = albums.create(session, actor=self._actor(session), title=title)
                new_id = album.id
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.redirect(album_url(new_id))  # type: ignore[arg-type]


class AlbumState(SessionState):
    """/albums/[album_id]: one album, its sub-albums and items, editing, order and the slideshow."""

    album_id: int = 0
    missing: bool = False
    title: str = ""
    description: str = ""
    parent_title: str = ""
    parent_href: str = ""
    cover_id: int = 0
    count: int = 0
    subs: list[AlbumTile] = []
    tiles: list[AlbumItemTile] = []
    editing: bool = False
    targets: list[AlbumTile] = []  # where this album may move (its owner's other albums)
    has_more: bool = False  # the grid shows the first items; "Load more" adds the next PAGE
    slide: int = -1  # the slideshow's index in `_slides`; -1: closed
    slide_count: int = 0
    slide_url: str = ""
    slide_title: str = ""
    playing: bool = False

    _next_after: int | None = None  # the album position the next page starts after
    _slides: list[tuple[int, str]] = []  # (id, title) of every photo of the album, for the slideshow

    def _clear(self) -> None:
        self.missing, self.album_id, self.title, self.description = True, 0, "", ""
        self.parent_title, self.parent_href, self.cover_id, self.count = "", "", 0, 0
        self.subs, self.tiles, self.slide, self.playing, self.targets = [], [], -1, False, []
        self.has_more, self._next_after, self._slides, self.slide_count = False, None, [], 0
        self.slide_url, self.slide_title = "", ""

    def _show_slide(self) -> None:
        if 0 <= self.slide < len(self._slides):
            media_id, self.slide_title = self._slides[self.slide]
            with db.session_scope() as session:  # signed for whoever is signed in now
                viewer = self._actor(session).id
            self.slide_url = media.url_for(media_id, "preview", viewer)  # type: ignore[arg-type]
        else:
            self.slide, self.slide_url, self.slide_title, self.playing = -1, "", "", False

    def _fill(self, at_least: int = 0) -> None:
        """Read the album again, with as many items as the grid showed (at least `at_least`, one page at
        the very least). Raises MediashareError, e.g. NotFound for someone else's."""
        wanted = max(PAGE, at_least, len(self.tiles))
        with db.session_scope() as session:
            actor = self._actor(session)
            info = albums.info(session, actor=actor, album_id=self.album_id)
            subs = albums.list_albums(session, actor=actor, parent_id=info.id)
            cards: list[gallery.Card] = []
            after: int | None = None
            while True:
                page = albums.list_items(session, actor=actor, album_id=info.id, after=after,
                                         limit=min(albums.MAX_PAGE_SIZE, wanted - len(cards)))
                cards += page.cards
                after = page.next_after
                if after is None or len(cards) >= wanted:
                    break
            targets = albums.move_targets(session, actor=actor, album_id=info.id)
            slides = albums.slides(session, actor=actor, album_id=info.id)
            viewer = actor.id
        self._next_after, self.has_more = after, after is not None
        self._slides, self.slide_count = slides, len(slides)
        if self.slide >= 0:
            self.slide = min(self.slide, len(slides) - 1)
            self._show_slide()
        self.missing, self.title, self.description = False, info.title, info.description
        self.parent_title = info.parent_title
        self.parent_href = album_url(info.parent_id) if info.parent_id else routes.ALBUMS
        self.cover_id, self.count = info.cover_id or 0, info.count
        self.subs = [_album_tile(card, viewer) for card in subs]  # type: ignore[arg-type]
        self.targets = [AlbumTile(id=target_id, title=title, count=0, sub_albums=0, cover_url="",
                                  href=album_url(target_id)) for target_id, title in targets]
        self.tiles = [_item_tile(card, index, index == len(cards) - 1 and after is None, viewer)  # type: ignore[arg-type]
                      for index, card in enumerate(cards)]

    @rx.event
    @guard.signed_in
    def load_more(self):
        """The next page of items below those shown."""
        if not self.has_more or self.missing:
            return None
        try:
            self._fill(at_least=len(self.tiles) + PAGE)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    def _act(self, action, done: str = ""):
        return acting.act(self, action, reload=self._fill, done=done)

    @rx.event
    @guard.signed_in
    def load(self):
        if (redirect := acting.visitor_redirect(self)) is not None:
            return redirect
        self.editing, self.slide, self.playing = False, -1, False
        try:
            album_id = acting.page_id(self, "album_id", what="album")
            if album_id != self.album_id:
                self.tiles = []  # another album: start from its first page
            self.album_id = album_id
            self._fill()
        except MediashareError:
            self._clear()
        return None

    @rx.event
    @guard.signed_in
    def set_editing(self, value: bool):
        self.editing = value is True

    @rx.event
    @guard.signed_in
    def save_details(self, form_data: dict):
        try:
            title = form_text(form_data, "title", max_length=albums.MAX_TITLE + 50)
            description = form_text(form_data, "description", max_length=albums.MAX_DESCRIPTION + 50)
        except MediashareError as error:
            return rx.toast.error(str(error))
        result = self._act(lambda session, actor: albums.update_details(
            session, actor=actor, album_id=self.album_id, title=title, description=description), "Album saved.")
        if not self.missing:
            self.editing = False
        return result

    @rx.event
    @guard.signed_in
    def set_cover(self, media_id: int):
        try:
            media_id = as_id(media_id, what="item")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._act(lambda session, actor: albums.set_cover(
            session, actor=actor, album_id=self.album_id, media_id=media_id), "Cover set.")

    @rx.event
    @guard.signed_in
    def remove(self, media_id: int):
        try:
            media_id = as_id(media_id, what="item")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._act(lambda session, actor: albums.remove_items(
            session, actor=actor, album_id=self.album_id, ids=[media_id]), "Removed from the album.")

    @rx.event
    @guard.signed_in
    def move(self, media_id: int, position: int):
        """Move an item to `position` (the move buttons send index ± 1; a drop sends the target index)."""
        try:
            media_id = as_id(media_id, what="item")
            if isinstance(position, str) and position.lstrip("-").isdigit() and len(position) <= 7:
                position = int(position)
            if isinstance(position, bool) or not isinstance(position, int):
                raise ValidationFailed("That position does not exist.")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._act(lambda session, actor: albums.move_item(
            session, actor=actor, album_id=self.album_id, media_id=media_id, position=max(0, position)))

    @rx.event
    @guard.signed_in
    def drop(self, value: list):
        """A drag and drop finished: `value` is [item id, index of the tile it was dropped on]."""
        if not isinstance(value, list) or len(value) != 2:
            return None
        return self.move(value[0], value[1])

    @rx.event
    @guard.signed_in
    def create_sub(self, form_data: dict):
        try:
            title = form_text(form_data, "title", max_length=albums.MAX_TITLE + 50)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._act(lambda session, actor: albums.create(
            session, actor=actor, title=title, parent_id=self.album_id), "Sub-album created.")

    @rx.event
    @guard.signed_in
    def move_into(self, parent_id: str):
        """Move this album inside album `parent_id`, or to the top level ("top")."""
        try:
            target = None if parent_id == "top" else as_id(parent_id, what="album")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._act(lambda session, actor: albums.move_album(
            session, actor=actor, album_id=self.album_id, parent_id=target), "Album moved.")

    @rx.event
    @guard.signed_in
    def delete_album(self):
        error = acting.attempt(self, lambda session, actor: albums.delete(session, actor=actor, album_id=self.album_id))
        if error:
            return rx.toast.error(error)
        back = self.parent_href or routes.ALBUMS
        self._clear()
        return [rx.toast.success("Album deleted; its photos are still in your gallery."), rx.redirect(back)]

    # Slideshow ------------------------------------------------------------------------------------

    @rx.event
    @guard.signed_in
    def open_slideshow(self):
        if not self._slides:
            return rx.toast.info("There are no photos to show in this album.")
        self.slide, self.playing = 0, True
        self._show_slide()
        return None

    @rx.event
    @guard.signed_in
    def close_slideshow(self):
        self.slide, self.playing, self.slide_url, self.slide_title = -1, False, "", ""

    @rx.event
    @guard.signed_in
    def next_slide(self):
        if self.slide >= 0 and self._slides:
            self.slide = (self.slide + 1) % len(self._slides)
            self._show_slide()

    @rx.event
    @guard.signed_in
    def previous_slide(self):
        if self.slide >= 0 and self._slides:
            self.slide = (self.slide - 1) % len(self._slides)
            self._show_slide()

    @rx.event
    @guard.signed_in
    def toggle_play(self):
        self.playing = not self.playing and self.slide >= 0


class AlbumPickerState(GalleryState):
    """The gallery's "Add to album…" dialog: the person's albums, or a new one, for the selection."""

    picker_open: bool = False
    choices: list[AlbumTile] = []

    @rx.event
    @guard.signed_in
    def open_picker(self):
        if not self.selected:
            return rx.toast.info("Choose some items first.")
        with db.session_scope() as session:
            actor = self._actor(session)
            self.choices = [AlbumTile(id=album_id, title=title, count=0, sub_albums=0, cover_url="",
                                      href=album_url(album_id))
                            for album_id, title in albums.all_albums(session, actor=actor)]
        self.picker_open = True
        return None

    @rx.event
    @guard.signed_in
    def set_picker_open(self, value: bool):
        self.picker_open = value is True

    def _add(self, session, actor, album_id: int) -> int:
        return albums.add_items(session, actor=actor, album_id=album_id, ids=list(self.selected))

    @rx.event
    @guard.signed_in
    def add_to(self, album_id: int):
        if not self.selected:
            return rx.toast.info("Choose some items first.")
        try:
            album_id = as_id(album_id, what="album")
            with db.session_scope() as session:
                count = self._add(session, self._actor(session), album_id)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.picker_open, self.selected = False, []
        return rx.toast.success(f"Added {count} item(s) to the album.")

    @rx.event
    @guard.signed_in
    def add_to_new(self, form_data: dict):
        if not self.selected:
            return rx.toast.info("Choose some items first.")
        try:
            title = form_text(form_data, "title", max_length=albums.MAX_TITLE + 50)
            with db.session_scope() as session:
                actor = self._actor(session)
                chosen = gallery.authorized_items(session, actor=actor, ids=list(self.selected))  # before creating
                if any(item.owner_id != actor.id for item in chosen):
                    raise ValidationFailed("An album holds only its owner's items.")
                album = albums.create(session, actor=actor, title=title)
                new_id = album.id
                count = self._add(session, actor, new_id)  # type: ignore[arg-type]
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.picker_open, self.selected = False, []
        return [rx.toast.success(f"Created the album with {count} item(s)."), rx.redirect(album_url(new_id))]  # type: ignore[arg-type]
