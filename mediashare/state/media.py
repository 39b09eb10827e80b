"""The media detail page and the history page: view data (signed byte URLs, metadata rows),
renaming, and remembering playback positions. Bytes never pass through here: the browser fetches
them from /api/media with the signed URLs this state hands out."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError, NotFound
from mediashare.models import MediaItem, MediaKind
from mediashare.services import favorites, gallery, media, media_meta, tags, transcode
from mediashare.state import acting, arguments, guard
from mediashare.state.media_meta import OFFSETS, apply_dates, apply_place, apply_tags
from mediashare.state.session import SessionState


@dataclass
class MetaRow:
    label: str
    value: str


@dataclass
class HistoryRow:
    id: int
    title: str
    href: str
    thumb_url: str
    kind: str
    viewed: str
    progress: str  # "12:34 of 20:00" for video/audio, "" for photos
    percent: int


def clock(seconds: float | None) -> str:
    """12:34 or 1:02:03."""
    total = int(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return ""


def _taken(item: MediaItem) -> str:
    if item.taken_at is None:
        return ""
    offset = item.taken_at_offset_minutes
    if offset is None:
        return item.taken_at.strftime("%d %b %Y, %H:%M:%S")
    local = item.taken_at + timedelta(minutes=offset)
    sign = "+" if offset >= 0 else "-"
    return local.strftime("%d %b %Y, %H:%M:%S") + f" (UTC{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d})"


def degrees(value: float | None) -> str:
    """48.8584 (at most 6 decimals, no trailing zeros); "" when unknown."""
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def taken_form_values(item: MediaItem) -> tuple[str, str]:
    """The date-taken form's starting values: the local wall-clock time ("YYYY-MM-DDTHH:MM") and the
    zone (minutes) — the item's own, else its sort date in UTC."""
    offset = item.taken_at_offset_minutes or 0
    if str(offset) not in {value for value, _ in OFFSETS}:
        offset = 0
    moment = (item.taken_at or item.sort_at) + timedelta(minutes=offset)
    return moment.strftime("%Y-%m-%dT%H:%M"), str(offset)


def metadata_rows(item: MediaItem) -> list[MetaRow]:
    """What the metadata panel shows, in order, leaving out what we do not know."""
    exif = item.exif or {}
    camera = " ".join(str(exif.get(name, "")).strip() for name in ("camera_make", "camera_model")).strip()
    exposure = ", ".join(str(exif[name]) for name in ("exposure", "aperture", "iso", "focal_length")
                         if exif.get(name) not in (None, ""))
    rows = [
        ("Taken", _taken(item)),
        ("Camera", camera),
        ("Lens", str(exif.get("lens", "") or "")),
        ("Place", f"{degrees(item.latitude)}, {degrees(item.longitude)}" if item.latitude is not None
         and item.longitude is not None else ""),
        ("Exposure", exposure),
        ("Dimensions", f"{item.width} × {item.height}" if item.width and item.height else ""),
        ("Duration", clock(item.duration_seconds) if item.duration_seconds else ""),
        ("Size", _size(item.size_bytes)),
        ("Type", f"{item.mime} (.{item.extension})"),
        ("File name", item.original_filename),
        ("Uploaded", item.uploaded_at.strftime("%d %b %Y, %H:%M UTC")),
        ("SHA-256", item.sha256),
    ]
    return [MetaRow(label, value) for label, value in rows if value]


def map_link(item: MediaItem) -> str:
    if item.latitude is None or item.longitude is None:
        return ""
    lat, lon = round(item.latitude, 6), round(item.longitude, 6)
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}"


RENDITION_POLL_SECONDS = 1.0
RENDITION_POLL_LIMIT_SECONDS = 3 * 3600
QUALITY_AUTO = "Auto"
QUALITY_ORIGINAL = "Original"


class MediaState(SessionState):
    """/media/[media_id]: one item, with signed URLs for its bytes."""

    missing: bool = False
    item_id: int = 0
    kind: str = ""
    title: str = ""
    description: str = ""
    status: str = ""
    preview_url: str = ""
    preview_jpeg_url: str = ""
    poster_url: str = ""
    original_url: str = ""
    download_url: str = ""
    mime: str = ""
    previous_href: str = ""
    next_href: str = ""
    meta: list[MetaRow] = []
    map_url: str = ""
    resume_at: float = 0.0
    editing: bool = False
    favorite: bool = False  # the viewer starred it
    meta_dialog: str = ""  # "dates" / "place": that dialog is open
    tags: list[str] = []  # this item's tags
    tag_suggestions: list[str] = []  # the owner's tags, most used first (autocomplete)
    taken_local: str = ""  # the date-taken form's starting values
    taken_offset: str = "0"
    latitude_text: str = ""
    longitude_text: str = ""
    edited_label: str = ""  # "Edited · version 2" when the gallery shows an edited version
    can_edit: bool = False  # the viewer owns this photo: the studio is offered
    # Videos browsers cannot play get a playable version (services/transcode.py):
    video_url: str = ""  # what the player plays: the playable version when there is one
    preparing: bool = False  # the playable version is being made: a progress box instead of the player
    prepare_percent: int = 0
    playback_note: str = ""  # why the original is shown although it may not play (the conversion failed)
    can_retry: bool = False  # the failure may be retried by this viewer
    qualities: list[str] = []  # "Auto", "720p", … when there is a choice
    quality: str = QUALITY_AUTO
    _quality_urls: dict[str, str] = {}
    _watching: int = 0  # the item the progress loop follows (another item or a reload ends it)

    @rx.var
    def studio_href(self) -> str:
        return routes.studio_page(self.item_id) if self.item_id else ""

    @rx.var
    def resume_label(self) -> str:
        return f"Resume from {clock(self.resume_at)}" if self.resume_at > 0 else ""

    def _fill(self, session, user, item: MediaItem) -> None:
        def url(variant: str) -> str:
            return media.media_url(item, variant, user.id)

        self.missing = False
        self.item_id, self.kind, self.status = item.id, item.kind.value, item.status.value  # type: ignore[assignment]
        self.title, self.description, self.mime = item.title, item.description, item.mime
        self.preview_url = url("preview") if item.preview_key else ""
        self.preview_jpeg_url = url("preview_jpeg") if item.preview_key else url("original")
        self.poster_url = url("thumbnail") if item.thumbnail_key and item.kind is MediaKind.VIDEO else ""
        self.original_url, self.download_url = url("original"), url("download")
        previous, following = media.neighbours(session, actor=user, media_id=item.id)
        self.previous_href = routes.media_page(previous) if previous else ""
        self.next_href = routes.media_page(following) if following else ""
        self.meta, self.map_url = metadata_rows(item), map_link(item)
        self.favorite = item.id in gallery.favorite_ids(session, user_id=user.id, media_ids=[item.id])
        self.taken_local, self.taken_offset = taken_form_values(item)
        self.tags = tags.tags_of(session, actor=user, media_id=item.id)
        self.tag_suggestions = [t.name for t in tags.library(session, actor=user, owner_id=item.owner_id)]
        self.latitude_text, self.longitude_text = degrees(item.latitude), degrees(item.longitude)
        number = media.shown_version_number(session, item)
        self.edited_label = f"Edited · version {number}" if number else ""
        self.resume_at = media.resume_point(session, actor=user, media_id=item.id) or 0.0
        self.can_edit = item.owner_id == user.id and item.kind is MediaKind.IMAGE
        self._fill_playback(session, user, item)

    def _fill_playback(self, session, user, item: MediaItem) -> None:
        """Which file the player plays, and the conversion's progress while it is made."""
        self.preparing, self.prepare_percent, self.playback_note, self.can_retry = False, 0, "", False
        self.video_url, self.qualities, self._quality_urls = self.original_url, [], {}
        if item.kind is not MediaKind.VIDEO:
            return
        views = transcode.for_viewer(session, actor=user, media_id=item.id)
        main = next((view for view in views if view.label == transcode.MAIN), None)
        urls: dict[str, str] = {}
        if main is None or main.status == "not_needed":
            urls[QUALITY_AUTO] = self.original_url
        elif main.status == "ready":
            urls[QUALITY_AUTO] = media.media_url(item, main.variant, user.id)
        elif main.status in ("pending", "running"):
            self.preparing, self.prepare_percent = True, int(main.progress * 100)
            urls[QUALITY_AUTO] = ""
        else:
            urls[QUALITY_AUTO] = self.original_url
            self.playback_note = (f"A playable version could not be made: {main.error} "
                                  "Your browser may not play the original; you can still download it.")
            self.can_retry = True
        for view in views:
            if view.label != transcode.MAIN and view.status == "ready":
                urls[view.label] = media.media_url(item, view.variant, user.id)
        if len(urls) > 1 and main is not None and main.status == "not_needed":
            urls[QUALITY_ORIGINAL] = urls.pop(QUALITY_AUTO)
            urls = {QUALITY_AUTO: urls[QUALITY_ORIGINAL], **urls}
        self._quality_urls = urls
        self.qualities = list(urls) if len(urls) > 1 else []
        if self.quality not in urls:
            self.quality = QUALITY_AUTO
        self.video_url = urls.get(self.quality, "")

    def _open(self, session, user) -> None:
        """The item the page's URL names, as `user` may see it, counted as viewed; cleared when it is not
        theirs to see (or not an item)."""
        try:
            media_id = acting.page_id(self, "media_id", what="item")
            item = media.viewable(session, actor=user, media_id=media_id)
            self._fill(session, user, item)
            media.record_view(session, actor=user, media_id=media_id)
        except MediashareError:
            self._clear()

    def _clear(self) -> None:
        self.missing, self.item_id, self.title, self.description, self.meta = True, 0, "", "", []
        self.preview_url = self.preview_jpeg_url = self.poster_url = self.original_url = self.download_url = ""
        self.previous_href = self.next_href = self.map_url = self.edited_label = ""
        self.resume_at, self.editing, self.can_edit, self.favorite, self.meta_dialog = 0.0, False, False, False, ""
        self.taken_local, self.taken_offset, self.latitude_text, self.longitude_text = "", "0", "", ""
        self.tags, self.tag_suggestions = [], []
        self.video_url, self.preparing, self.prepare_percent, self.playback_note = "", False, 0, ""
        self.can_retry, self.qualities, self._quality_urls, self.quality = False, [], {}, QUALITY_AUTO

    @rx.event
    @guard.signed_in
    def load(self):
        if (redirect := acting.fill_signed_in(self, self._open)) is not None:
            return redirect
        self.editing = False
        self._watching = self.item_id if self.preparing else 0
        return MediaState.watch_rendition if self.preparing else None

    @rx.event(background=True)
    @guard.signed_in
    async def watch_rendition(self):
        """While the playable version is made, refresh its progress every second; then play it."""
        async with self:
            watched = self._watching
        waited = 0.0
        while watched and waited < RENDITION_POLL_LIMIT_SECONDS:
            await asyncio.sleep(RENDITION_POLL_SECONDS)
            waited += RENDITION_POLL_SECONDS
            async with self:
                if self._watching != watched or self.item_id != watched or not self._connected():
                    return
                try:
                    await asyncio.to_thread(self._refresh_playback)
                except MediashareError:
                    return
                if not self.preparing:
                    self._watching = 0
                    return

    def _refresh_playback(self) -> None:
        with db.session_scope() as session:
            user = self._actor(session)
            self._fill_playback(session, user, media.viewable(session, actor=user, media_id=self.item_id))

    def _connected(self) -> bool:
        """Whether this tab's websocket is still open here (a closed tab stops the polling)."""
        try:
            from reflex.utils.prerequisites import get_app

            namespace = get_app().app.event_namespace
            return namespace is None or self.router.session.client_token in namespace.token_to_sid
        except Exception:  # no app to ask (tests): the other stop conditions still apply
            return True

    @rx.event
    @guard.signed_in
    def choose_quality(self, quality: str):
        """Play another quality of the video (one of `qualities`)."""
        if not isinstance(quality, str) or quality not in self._quality_urls:
            return rx.toast.error("That quality is not available.")
        self.quality = quality
        self.video_url = self._quality_urls[quality]
        return None

    @rx.event
    @guard.signed_in
    def retry_playable(self):
        """Try making the playable version again after a failure."""
        if not self.item_id:
            return None
        try:
            with db.session_scope() as session:
                transcode.retry(session, actor=self._actor(session), media_id=self.item_id)
                user = self._actor(session)
                self._fill_playback(session, user, media.viewable(session, actor=user, media_id=self.item_id))
        except MediashareError as error:
            return rx.toast.error(str(error))
        self._watching = self.item_id
        return MediaState.watch_rendition

    @rx.event
    @guard.signed_in
    def set_editing(self, value: bool):
        self.editing = value is True

    @rx.event
    @guard.signed_in
    def save_details(self, form_data: dict):
        try:
            title = arguments.form_text(form_data, "title", max_length=media.MAX_TITLE)
            description = arguments.form_text(form_data, "description", max_length=media.MAX_DESCRIPTION)
            with db.session_scope() as session:
                item = media.update_details(session, actor=self._actor(session), media_id=self.item_id,
                                            title=title, description=description, client=self._client())
                self.title, self.description = item.title, item.description
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.editing = False
        return rx.toast.success("Saved.")

    @rx.event
    @guard.signed_in
    def toggle_favorite(self):
        if not self.item_id:
            return None
        try:
            with db.session_scope() as session:
                self.favorite = favorites.set_favorite(session, actor=self._actor(session), media_id=self.item_id,
                                                       favorite=not self.favorite)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("Added to your favorites." if self.favorite else "Removed from your favorites.")

    @rx.event
    @guard.signed_in
    def open_meta_dialog(self, name: str):
        """Open the "dates" or "place" dialog."""
        try:
            self.meta_dialog = arguments.as_choice(name, ("dates", "place"), field="dialog")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.signed_in
    def meta_dialog_changed(self, open: bool):
        """The dialog's own close (Escape, outside click, Cancel)."""
        if open is not True:
            self.meta_dialog = ""

    def _change(self, apply) -> object:
        """Apply a date/place change to this item, then show the item as it is now."""
        if not self.item_id:
            return None
        try:
            with db.session_scope() as session:
                actor = self._actor(session)
                done = apply(session, actor)
                item = media.viewable(session, actor=actor, media_id=self.item_id)
                self._fill(session, actor, item)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.meta_dialog = ""
        return rx.toast.success(done)

    @rx.event
    @guard.signed_in
    def edit_dates(self, form_data: dict):
        return self._change(lambda session, actor: apply_dates(session, actor=actor, ids=[self.item_id],
                                                               form=form_data, client=self._client()))

    @rx.event
    @guard.signed_in
    def add_tags(self, form_data: dict):
        return self._change(lambda session, actor: apply_tags(session, actor=actor, ids=[self.item_id],
                                                              form={**form_data, "action": "add"}
                                                              if isinstance(form_data, dict) else form_data,
                                                              client=self._client()))

    @rx.event
    @guard.signed_in
    def remove_tag(self, name: str):
        def remove(session, actor) -> str:
            tags.remove(session, actor=actor, ids=[self.item_id],
                        names=[arguments.as_text(name, max_length=tags.MAX_NAME, field="tag")],
                        client=self._client())
            return "Tag removed."
        return self._change(remove)

    @rx.event
    @guard.signed_in
    def edit_place(self, form_data: dict):
        return self._change(lambda session, actor: apply_place(session, actor=actor, ids=[self.item_id],
                                                               form=form_data, client=self._client()))

    @rx.event
    @guard.signed_in
    def clear_place(self):
        def clear(session, actor) -> str:
            media_meta.clear_location(session, actor=actor, ids=[self.item_id], client=self._client())
            return "Place removed."
        return self._change(clear)

    @rx.event
    @guard.signed_in
    def save_position(self, position: float, duration: float):
        """From the player (throttled in the browser; also on pause and seek). Bad numbers are ignored."""
        if not self.item_id or self.kind == MediaKind.IMAGE.value:
            return
        try:
            with db.session_scope() as session:
                media.save_position(session, actor=self._actor(session), media_id=self.item_id,
                                    position=position, duration=duration)
        except NotFound:
            return
        except MediashareError as error:
            return rx.toast.error(str(error))


class HistoryState(SessionState):
    """/history: recently viewed and played items, and what to continue watching."""

    recent: list[HistoryRow] = []
    unfinished: list[HistoryRow] = []

    @rx.event
    @guard.signed_in
    def load(self):
        return acting.fill_signed_in(self, self._fill)

    def _fill(self, session, user) -> None:
        rows = [(entry, self._row(entry, user.id)) for entry in media.history(session, actor=user, limit=60)]
        self.recent = [row for _, row in rows]
        self.unfinished = [row for entry, row in rows if entry.unfinished][:12]

    @staticmethod
    def _row(entry: media.HistoryEntry, viewer_id: int) -> HistoryRow:
        item = entry.item
        played = item.kind is not MediaKind.IMAGE and entry.position_seconds > 0
        length = entry.duration_seconds or 0
        return HistoryRow(
            id=item.id, title=item.title or item.original_filename, href=routes.media_page(item.id),  # type: ignore[arg-type]
            thumb_url=media.media_url(item, "thumbnail", viewer_id) if item.thumbnail_key else "",
            kind=item.kind.value, viewed=entry.viewed_at.strftime("%d %b %Y, %H:%M UTC"),
            progress=f"{clock(entry.position_seconds)} of {clock(length)}" if played and length else "",
            percent=int(100 * entry.position_seconds / length) if played and length else 0,
        )
