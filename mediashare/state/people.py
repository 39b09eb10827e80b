"""/people, /people/[person_id] and the faces on the media page: thin adapters over services/people.

Face crops and photos are signed URLs (never bytes). Every handler authorizes from our session and
passes ids to the service, which checks ownership again (a forged id gets NotFound).
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError, ValidationFailed
from mediashare.models import Role
from mediashare.services import gallery, media, people, platform
from mediashare.state import acting, guard
from mediashare.state.arguments import as_flag, as_id, form_text
from mediashare.state.session import SessionState

POLL_SECONDS = 1.0
POLL_LIMIT_SECONDS = 30 * 60


@dataclass
class PersonTile:
    id: int
    name: str
    count: int
    face_url: str  # the face crop, else a photo's thumbnail, else ""
    href: str


@dataclass
class FaceTile:
    """A face on a photo: for the viewer's overlay (box in percent) and the lists."""

    id: int
    media_id: int
    person_id: int
    name: str
    suggested: bool  # an open suggestion (no person yet)
    has_box: bool
    left: str  # CSS percentages of the picture
    top: str
    width: str
    height: str
    face_url: str
    photo_url: str  # the photo's thumbnail
    href: str  # the photo's page


def _percent(value: float | None) -> str:
    return f"{(value or 0) * 100:.2f}%"


def _face_tile(face: people.Face, viewer_id: int) -> FaceTile:
    box = face.box
    return FaceTile(
        id=face.id, media_id=face.media_id, person_id=face.person_id or 0, name=face.name,
        suggested=face.person_id is None, has_box=box is not None,
        left=_percent(box.x if box else 0), top=_percent(box.y if box else 0),
        width=_percent(box.w if box else 0), height=_percent(box.h if box else 0),
        face_url=people.face_url(face.id, viewer_id) if box is not None else "",
        photo_url=gallery.thumbnail_url(face.media_id, viewer_id=viewer_id),
        href=routes.media_page(face.media_id),
    )


def _person_tile(card: people.PersonCard, viewer_id: int) -> PersonTile:
    if card.face_tag_id:
        url = people.face_url(card.face_tag_id, viewer_id)
    elif card.cover_media_id:
        url = gallery.thumbnail_url(card.cover_media_id, viewer_id=viewer_id)
    else:
        url = ""
    return PersonTile(id=card.id, name=card.name, count=card.count, face_url=url,
                      href=routes.person_page(card.id))


def _name(form_data: object) -> str:
    return form_text(form_data, "name", max_length=people.MAX_NAME + 50)


def _on_face(state, tag_id: object, change, done: str = ""):
    """`change(session, actor=…, tag_id=…)` on face `tag_id` (checked first), through `state._act`."""
    try:
        tag_id = as_id(tag_id, what="face")
    except MediashareError as error:
        return rx.toast.error(str(error))
    return state._act(lambda session, actor: change(session, actor=actor, tag_id=tag_id), done)


def _confirm(state, form_data: object):
    """Name the suggestion in the form's `tag_id` with the form's `name`, through `state._act`."""
    try:
        tag_id = as_id(form_text(form_data, "tag_id", max_length=12), what="face")
        name = _name(form_data)
    except MediashareError as error:
        return rx.toast.error(str(error))
    return state._act(lambda session, actor: people.confirm(session, actor=actor, tag_id=tag_id, name=name),
                      "Tagged.")


class PeopleState(SessionState):
    """/people: the signed-in person's people, open face suggestions and the suggestion switches."""

    cards: list[PersonTile] = []
    suggestions: list[FaceTile] = []
    names: list[str] = []
    loaded: bool = False
    suggestions_wanted: bool = True  # the user's own choice
    site_allows: bool = True  # the platform setting
    scanning: bool = False
    scanned: int = 0
    total: int = 0

    @rx.var
    def scan_label(self) -> str:
        return f"Looked at {self.scanned} of {self.total} photos" if self.total else ""

    @rx.var
    def scan_percent(self) -> int:
        return round(100 * self.scanned / self.total) if self.total else 0

    def _fill(self, session, user) -> None:
        self.cards = [_person_tile(card, user.id) for card in people.list_people(session, actor=user)]
        self.suggestions = [_face_tile(face, user.id) for face in people.suggestions(session, actor=user)]
        self.names = people.names(session, actor=user)
        self.site_allows = people.platform_allows(session)
        self.suggestions_wanted = people.user_wants(session, user.id)
        progress = people.scan_progress(session, actor=user)
        self.scanned, self.total = progress.scanned, progress.total

    def _act(self, action, done: str = ""):
        return acting.act(self, action, reload=lambda: acting.refill(self, self._fill), done=done)

    @rx.event
    @guard.signed_in
    def load(self):
        return acting.load(self, self._fill)

    @rx.event
    @guard.signed_in
    def set_suggestions(self, enabled: bool):
        """Switch face suggestions on or off for the user's own library."""
        try:
            enabled = as_flag(enabled, field="suggestions")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._act(lambda session, actor: people.set_suggestions(session, actor=actor, enabled=enabled),
                         "Face suggestions are on." if enabled else "Face suggestions are off.")

    @rx.event
    @guard.requires(Role.ADMIN)
    def set_site_suggestions(self, enabled: bool):
        """Admins: switch face suggestions on or off for everyone on the site."""
        try:
            enabled = as_flag(enabled, field="suggestions")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._act(lambda session, actor: platform.set_value(session, actor=actor, key=people.SETTING,
                                                                     value=enabled),
                         "Face suggestions are on for this site." if enabled else
                         "Face suggestions are off for this site.")

    @rx.event
    @guard.signed_in
    def find_faces(self):
        """Look for faces in every photo of the library not looked at yet; progress follows."""
        try:
            with db.session_scope() as session:
                progress = people.start_library_scan(session, actor=self._actor(session))
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.scanned, self.total = progress.scanned, progress.total
        if progress.done:
            return rx.toast.info("Every photo has been looked at already.")
        self.scanning = True
        return PeopleState.watch_scan

    @rx.event(background=True)
    @guard.signed_in
    async def watch_scan(self):
        """Follow the library scan until it is done (or the page is left)."""
        waited = 0.0
        while waited < POLL_LIMIT_SECONDS:
            await asyncio.sleep(POLL_SECONDS)
            waited += POLL_SECONDS
            async with self:
                if not self.scanning or not (self.router.url.path or "").startswith(routes.PEOPLE):
                    self.scanning = False
                    return
                try:
                    with db.session_scope() as session:
                        actor = self._actor(session)
                        progress = people.scan_progress(session, actor=actor)
                        self.scanned, self.total = progress.scanned, progress.total
                        if progress.done:
                            self._fill(session, actor)
                except MediashareError:
                    self.scanning = False
                    return
                if progress.done:
                    self.scanning = False
                    return
        async with self:
            self.scanning = False

    @rx.event
    @guard.signed_in
    def confirm(self, form_data: dict):
        """Name the suggestion in the form's `tag_id` (an existing person's name, or a new one)."""
        return _confirm(self, form_data)

    @rx.event
    @guard.signed_in
    def dismiss(self, tag_id: int):
        return _on_face(self, tag_id, people.dismiss)


class PersonState(SessionState):
    """/people/[person_id]: one person's photos with their face crops; rename, merge, delete."""

    person_id: int = 0
    missing: bool = False
    name: str = ""
    faces: list[FaceTile] = []
    others: list[PersonTile] = []  # whom this person can be merged into
    renaming: bool = False

    def _clear(self) -> None:
        self.missing, self.person_id, self.name, self.faces, self.others, self.renaming = True, 0, "", [], [], False

    def _fill(self) -> None:
        with db.session_scope() as session:
            actor = self._actor(session)
            person = people.get(session, actor=actor, person_id=self.person_id)
            self.name = person.name
            self.faces = [_face_tile(face, actor.id)  # type: ignore[arg-type]
                          for face in people.photos_of(session, actor=actor, person_id=person.id)]
            self.others = [PersonTile(id=card.id, name=card.name, count=card.count, face_url="", href="")
                           for card in people.list_people(session, actor=actor) if card.id != person.id]
        self.missing = False

    def _act(self, action, done: str = ""):
        return acting.act(self, action, reload=self._fill, done=done)

    @rx.event
    @guard.signed_in
    def load(self):
        if (redirect := acting.visitor_redirect(self)) is not None:
            return redirect
        self.renaming = False
        try:
            self.person_id = acting.page_id(self, "person_id", what="person")
            self._fill()
        except MediashareError:
            self._clear()
        return None

    @rx.event
    @guard.signed_in
    def set_renaming(self, value: bool):
        self.renaming = value is True

    @rx.event
    @guard.signed_in
    def rename(self, form_data: dict):
        error = acting.attempt(self, lambda session, actor: people.rename(
            session, actor=actor, person_id=self.person_id, name=_name(form_data)), reload=self._fill)
        if error:
            return rx.toast.error(error)
        self.renaming = False
        return rx.toast.success("Renamed.")

    @rx.event
    @guard.signed_in
    def merge_into(self, target_id: int):
        """Make this person part of person `target_id` and go to their page."""
        try:
            target_id = as_id(target_id, what="person")
            with db.session_scope() as session:
                people.merge(session, actor=self._actor(session), source_id=self.person_id, target_id=target_id)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return [rx.redirect(routes.person_page(target_id)), rx.toast.success("Merged.")]

    @rx.event
    @guard.signed_in
    def delete(self):
        error = acting.attempt(self, lambda session, actor: people.delete(session, actor=actor,
                                                                           person_id=self.person_id))
        if error:
            return rx.toast.error(error)
        return [rx.redirect(routes.PEOPLE), rx.toast.success("Person deleted; the photos stay.")]

    @rx.event
    @guard.signed_in
    def untag(self, tag_id: int):
        return _on_face(self, tag_id, people.untag, "Removed from this photo.")

    @rx.event
    @guard.signed_in
    def set_cover(self, tag_id: int):
        return _on_face(self, tag_id, functools.partial(people.set_cover, person_id=self.person_id), "Cover face set.")


class FacesState(SessionState):
    """The people on the photo the media page shows: the boxes, suggestions, tagging with a box."""

    media_id: int = 0
    missing: bool = False
    faces: list[FaceTile] = []
    names: list[str] = []
    available: bool = False  # the viewer owns this photo: people can be tagged
    drawing: bool = False  # the "Tag a person" dialog is open
    box: dict = {}  # the rectangle drawn in the dialog, {x, y, w, h} in 0..1; {} when none
    image_url: str = ""  # what the dialog draws on

    def _fill(self) -> None:
        with db.session_scope() as session:
            actor = self._actor(session)
            item = media.viewable(session, actor=actor, media_id=self.media_id)
            self.available = item.owner_id == actor.id and item.kind.value == "image"
            if not self.available:
                self.faces, self.names, self.image_url = [], [], ""
                return
            self.faces = [_face_tile(face, actor.id)  # type: ignore[arg-type]
                          for face in people.faces_on(session, actor=actor, media_id=item.id)]
            self.names = people.names(session, actor=actor)
            self.image_url = media.media_url(item, "preview_jpeg", actor.id) if item.preview_key else ""

    def _act(self, action, done: str = ""):
        return acting.act(self, action, reload=self._fill, done=done)

    @rx.event
    @guard.signed_in
    def load(self):
        self.drawing, self.box = False, {}
        try:
            self.media_id = acting.page_id(self, "media_id", what="item")
            self._fill()
            self.missing = False
        except MediashareError:
            self.media_id, self.faces, self.names, self.available, self.image_url = 0, [], [], False, ""
            self.missing = True

    @rx.event
    @guard.signed_in
    def set_drawing(self, value: bool):
        self.drawing, self.box = value is True, {}

    @rx.event
    @guard.signed_in
    def set_box(self, box: dict):
        """The rectangle drawn so far (checked again by the service when saved)."""
        try:
            cleaned = people.clean_box(box if isinstance(box, dict) else None)
        except ValidationFailed:
            cleaned = None
        self.box = {"x": cleaned.x, "y": cleaned.y, "w": cleaned.w, "h": cleaned.h} if cleaned else {}

    @rx.event
    @guard.signed_in
    def tag(self, form_data: dict):
        """Tag the person named in the form, with the drawn box when there is one."""
        error = acting.attempt(self, lambda session, actor: people.tag(
            session, actor=actor, media_id=self.media_id, name=_name(form_data), box=dict(self.box) or None),
            reload=self._fill)
        if error:
            return rx.toast.error(error)
        self.drawing, self.box = False, {}
        return rx.toast.success("Tagged.")

    @rx.event
    @guard.signed_in
    def untag(self, tag_id: int):
        return _on_face(self, tag_id, people.untag)

    @rx.event
    @guard.signed_in
    def confirm(self, form_data: dict):
        """Name the suggestion in the form's `tag_id`."""
        return _confirm(self, form_data)

    @rx.event
    @guard.signed_in
    def dismiss(self, tag_id: int):
        return _on_face(self, tag_id, people.dismiss)
