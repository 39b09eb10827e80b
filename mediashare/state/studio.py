"""/studio/[media_id]: the editor's view data and its handlers.

The state holds only small things: the ops list (JSON primitives, kept backend-only), the URLs of the latest preview
and of the unedited one (each names a seq the server keeps), undo/redo stacks of ops lists, and a
few flags. Image bytes never pass through here: rendering happens in `services.studio_preview` in a
worker thread (so other users' events keep flowing), and the browser fetches the JPEG from our
authorized route. A tab's events are handled one at a time, so the preview shown is always the
render of the newest ops; sliders send debounced values while dragging and their final value on
release (`on_value_commit`), so the last position is always rendered.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError, NotSignedIn
from mediashare.services import auth, credits, ledger, studio_edits, studio_preview, studio_versions
from mediashare.state import arguments, guard
from mediashare.state.session import SessionState

MAX_HISTORY = 100
MAX_RERENDERS = 3
POLL_SECONDS = 0.5
POLL_LIMIT_SECONDS = 10 * 60
MODES = ("adjust", "crop", "brush")
_ASPECTS = {"1:1": 1.0, "4:3": 4 / 3, "3:2": 3 / 2, "16:9": 16 / 9}


@dataclass
class VersionRow:
    """One saved version in the history panel (text and signed URLs only)."""

    id: int
    label: str
    status: str  # pending / ready / failed
    progress: int
    error: str
    current: bool
    created: str
    details: str
    thumb_url: str
    download_url: str


def _row(info: studio_versions.VersionInfo) -> VersionRow:
    size = f"{info.width} × {info.height}" if info.width and info.height else ""
    megabytes = f"{info.size_bytes / 1_048_576:.1f} MB" if info.size_bytes else ""
    return VersionRow(id=info.id, label=info.label, status=info.status, progress=info.progress, error=info.error,
                      current=info.current, created=info.created_at.strftime("%d %b %Y, %H:%M UTC"),
                      details=" · ".join(part for part in (size, megabytes) if part),
                      thumb_url=info.thumbnail_url, download_url=info.download_url)


class StudioState(SessionState):
    """One photo being edited in this tab."""

    media_id: int = 0
    missing: bool = False
    title: str = ""
    edits: int = 0  # how many ops the edit has (the ops themselves stay on the server)
    applied: list[str] = []  # the ops' names, in order, for the list of applied edits
    values: dict[str, float] = {}
    preview_url: str = ""
    before_url: str = ""
    crop_source: str = ""
    mode: str = "adjust"
    save_price: int = 0  # credits one save uses (shown on the button when > 0)
    credit_balance: int = 0
    busy: bool = False
    holding: bool = False  # the "hold to compare" button is pressed: show the unedited picture
    split: bool = False
    split_at: int = 50
    revision: int = 0  # bumped when ops change other than by a slider: sliders re-mount with new values
    can_undo: bool = False
    can_redo: bool = False
    crop_aspect: str = "free"
    original_label: str = ""
    versions: list[VersionRow] = []
    saving: bool = False  # a save was asked for and its version is still rendering

    _ops: list[dict[str, Any]] = []  # backend only: inpaint strokes can be large
    _undo: list[list[dict[str, Any]]] = []
    _redo: list[list[dict[str, Any]]] = []
    _drag_base: list[dict[str, Any]] | None = None
    _original: tuple[int, int] = (0, 0)
    _shown: tuple[int, int] = (0, 0)
    _crop_box: tuple[int, int, int, int] | None = None
    _rerenders: int = 0  # renders asked for by a failed preview load since the last edit
    _generation: int = 0  # changes on every load: a poll from an earlier page view stops

    # ---- view -----------------------------------------------------------------------------------

    @rx.var
    def crop_aspect_value(self) -> float:
        if self.crop_aspect in _ASPECTS:
            return _ASPECTS[self.crop_aspect]
        if self.crop_aspect == "original" and self._original[1]:
            return self._original[0] / self._original[1]
        return 0.0  # free-form

    @rx.var
    def back_href(self) -> str:
        return routes.media_page(self.media_id) if self.media_id else routes.GALLERY

    @rx.var
    def original_is_shown(self) -> bool:
        return not any(row.current for row in self.versions)

    @rx.var
    def rendering(self) -> bool:
        return any(row.status == "pending" for row in self.versions)

    @rx.var
    def shown_url(self) -> str:
        return self.before_url if self.holding else self.preview_url

    # ---- helpers --------------------------------------------------------------------------------

    def _key(self) -> str:
        token = self._session_token()
        if not token:
            raise NotSignedIn()
        return auth.token_hash(token)

    def _render_now(self, ops: list[dict[str, Any]]) -> studio_preview.Rendered:
        """Render in the calling (worker) thread: authorize, (re)open the working copy, encode."""
        with db.session_scope() as session:
            return studio_preview.render(session, actor=self._actor(session), session_key=self._key(),
                                         media_id=self.media_id, raw_ops=ops)

    async def _show_ops(self, ops: list[dict[str, Any]], *, record: bool, remount: bool = True, force: bool = False):
        """Render `ops` off the event loop, then make them the current ops (kept for undo when `record`)."""
        if not self.media_id:
            return None
        # A slider released where it was last rendered: nothing to render, only the undo step.
        if ops == self._ops and self.preview_url and not (remount or force):
            if record and self._drag_base is not None and self._drag_base != ops:
                self._push_undo(self._drag_base)
            if record:
                self._drag_base = None
            return None
        if not force:
            self._rerenders = 0
        self.busy = True
        try:
            rendered = await asyncio.to_thread(self._render_now, ops)
        except MediashareError as error:
            self.busy = False
            return rx.toast.error(str(error))
        if record:
            self._push_undo(self._drag_base if self._drag_base is not None else self._ops)
            self._drag_base = None
        self._ops, self.edits, self.applied = ops, len(ops), studio_edits.labels(ops)
        self.values = studio_edits.slider_values(ops)
        self.preview_url = routes.studio_preview(self.media_id, rendered.seq)
        self._shown = rendered.size
        self.busy = False
        if remount:
            self.revision += 1
        return None

    def _push_undo(self, ops: list[dict[str, Any]]) -> None:
        self._undo = [*self._undo, ops][-MAX_HISTORY:]
        self._redo = []
        self.can_undo, self.can_redo = True, False

    # ---- loading --------------------------------------------------------------------------------

    def _open(self, media_id: int) -> studio_preview.Opened:
        with db.session_scope() as session:
            return studio_preview.open_photo(session, actor=self._actor(session), session_key=self._key(),
                                       media_id=media_id)

    @rx.event
    @guard.signed_in
    async def load(self):
        raw = self.router.page.params.get("media_id", "")
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
        if user is None:
            return redirect
        self._ops, self.edits, self.values, self._undo, self._redo, self._drag_base = [], 0, {}, [], [], None
        self.applied = []
        self.can_undo = self.can_redo = self.holding = self.split = self.busy = False
        self.mode, self.crop_aspect, self.split_at, self._crop_box = "adjust", "free", 50, None
        try:
            media_id = arguments.as_id(raw if isinstance(raw, str) else "", what="item")
            opened = await asyncio.to_thread(self._open, media_id)
        except MediashareError:
            self.missing, self.media_id, self.preview_url, self.before_url, self.title = True, 0, "", "", ""
            return None
        self.missing, self.media_id, self.title = False, media_id, opened.title
        self._original, self._shown = opened.original_size, opened.working_size
        self.original_label = f"{opened.original_size[0]} × {opened.original_size[1]}"
        self.before_url = routes.studio_preview(media_id, opened.before_seq)
        self.preview_url = self.before_url
        self.values = studio_edits.slider_values([])
        self.revision += 1
        self._generation += 1
        self.saving = False
        try:
            self._refresh_versions()
        except MediashareError:
            self.versions = []
        return StudioState.poll_versions if self.rendering else None

    @rx.event
    @guard.signed_in
    async def rerender(self):
        """The preview could not be fetched (this worker forgot it): render the current ops again."""
        self._rerenders += 1
        if self._rerenders > MAX_RERENDERS:  # the route keeps failing: stop asking, and say so once
            return rx.toast.error("The preview could not be loaded. Please reload the page.") \
                if self._rerenders == MAX_RERENDERS + 1 else None
        return await self._show_ops(list(self._ops), record=False, remount=False, force=True)

    # ---- adjustments ----------------------------------------------------------------------------

    @rx.event
    @guard.signed_in
    async def slide(self, key: str, value: list[float]):
        """A slider moved (debounced while dragging): render it, undoable as one step with its release."""
        try:
            ops = studio_edits.set_slider(self._ops, key, value)
        except MediashareError as error:
            return rx.toast.error(str(error))
        if self._drag_base is None:
            self._drag_base = [dict(op) for op in self._ops]
        return await self._show_ops(ops, record=False, remount=False)

    @rx.event
    @guard.signed_in
    async def commit_slide(self, key: str, value: list[float]):
        """A slider was released: its final value is always rendered and recorded for undo."""
        try:
            ops = studio_edits.set_slider(self._ops, key, value)
        except MediashareError as error:
            self._drag_base = None
            return rx.toast.error(str(error))
        return await self._show_ops(ops, record=True, remount=False)

    @rx.event
    @guard.signed_in
    async def apply_preset(self, name: str):
        try:
            ops = studio_edits.apply_preset(self._ops, name)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return await self._show_ops(ops, record=True)

    @rx.event
    @guard.signed_in
    async def rotate(self):
        try:
            ops = studio_edits.append(self._ops, {"op": "rotate", "quarter_turns": 1})
        except MediashareError as error:
            return rx.toast.error(str(error))
        return await self._show_ops(ops, record=True)

    @rx.event
    @guard.signed_in
    async def flip(self, axis: str):
        try:
            checked = arguments.as_choice(axis, ("horizontal", "vertical"), field="axis")
            ops = studio_edits.append(self._ops, {"op": "flip", "axis": checked})
        except MediashareError as error:
            return rx.toast.error(str(error))
        return await self._show_ops(ops, record=True)

    @rx.event
    @guard.signed_in
    async def remove_edit(self, index: int):
        """Take one op out of the edit (undoable)."""
        try:
            ops = studio_edits.remove(self._ops, index)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return await self._show_ops(ops, record=True)

    # ---- undo, redo, reset ----------------------------------------------------------------------

    @rx.event
    @guard.signed_in
    async def undo(self):
        if not self._undo:
            return None
        previous, current = self._undo[-1], list(self._ops)
        result = await self._show_ops(previous, record=False)
        if result is None:
            self._undo, self._redo = self._undo[:-1], [*self._redo, current][-MAX_HISTORY:]
            self.can_undo, self.can_redo = bool(self._undo), True
        return result

    @rx.event
    @guard.signed_in
    async def redo(self):
        if not self._redo:
            return None
        following, current = self._redo[-1], list(self._ops)
        result = await self._show_ops(following, record=False)
        if result is None:
            self._redo, self._undo = self._redo[:-1], [*self._undo, current][-MAX_HISTORY:]
            self.can_undo, self.can_redo = True, bool(self._redo)
        return result

    @rx.event
    @guard.signed_in
    async def reset_all(self):
        """Back to the unedited photo (undoable)."""
        if not self._ops:
            return None
        return await self._show_ops([], record=True)

    # ---- compare --------------------------------------------------------------------------------

    @rx.event
    @guard.signed_in
    def hold(self, pressed: bool):
        self.holding = pressed is True

    @rx.event
    @guard.signed_in
    def set_split(self, on: bool):
        self.split = on is True

    @rx.event
    @guard.signed_in
    def set_split_at(self, value: list[float]):
        try:
            number = studio_edits.number(value)
        except MediashareError:
            return
        self.split_at = int(min(max(number, 0), 100))

    # ---- modes and crop -------------------------------------------------------------------------

    @rx.event
    @guard.signed_in
    def set_mode(self, mode: str):
        try:
            self.mode = arguments.as_choice(mode, MODES, field="mode")
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.holding = False
        if self.mode == "crop":
            self.crop_source, self._crop_box = self.preview_url, None
        return None

    @rx.event
    @guard.signed_in
    def set_crop_aspect(self, value: str):
        try:
            self.crop_aspect = arguments.as_choice(value, ("free", "original", *_ASPECTS), field="aspect")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.signed_in
    def set_crop_box(self, pixels: dict):
        """The crop tool's finished rectangle, in pixels of the preview picture in the cropper."""
        if not isinstance(pixels, dict):
            return
        try:
            box = tuple(round(studio_edits.number(pixels.get(name))) for name in ("x", "y", "width", "height"))
        except MediashareError:
            return
        self._crop_box = box  # type: ignore[assignment]

    @rx.event
    @guard.signed_in
    async def apply_crop(self):
        if self._crop_box is None:
            return rx.toast.info("Move or zoom the crop area first.")
        try:
            shown = studio_preview.rendered_size(self._key(), self.media_id, self._seq(self.crop_source)) \
                or self._shown
            op = studio_preview.original_box(original_size=self._original, raw_ops=self._ops, shown_size=shown,
                                             box=self._crop_box)
            ops = studio_edits.append(self._ops, op)
        except MediashareError as error:
            return rx.toast.error(str(error))
        result = await self._show_ops(ops, record=True)
        if result is None:
            self.mode, self._crop_box = "adjust", None
        return result

    @staticmethod
    def _seq(url: str) -> int:
        tail = url.rsplit("/", 1)[-1]
        return int(tail) if tail.isdigit() else -1

    # ---- brush (dust and scratches) ---------------------------------------------------------------

    @rx.event
    @guard.signed_in
    async def apply_strokes(self, strokes: list):
        """Strokes painted over the preview ([{points: [[x, y], …], radius}] in its pixels) → inpaint."""
        try:
            full_w, _full_h = studio_preview.output_size(self._original, self._ops)
            shown_w = self._shown[0] or 1
            converted = studio_edits.strokes_to_original(strokes, scale=full_w / shown_w)
            ops = studio_edits.append(self._ops, {"op": "inpaint", "strokes": converted})
        except MediashareError as error:
            return rx.toast.error(str(error))
        result = await self._show_ops(ops, record=True)
        if result is None:
            self.mode = "adjust"
        return result

    # ---- saving and history ---------------------------------------------------------------------

    def _refresh_versions(self) -> None:
        with db.session_scope() as session:
            actor = self._actor(session)
            infos = studio_versions.list_versions(session, actor, self.media_id)
            self.save_price = credits.price(session, credits.Action.STUDIO_SAVE)
            self.credit_balance = ledger.balance(session, user=actor)
        self.versions = [_row(info) for info in infos]

    @rx.event
    @guard.signed_in
    async def save(self):
        """Save the current ops as a new version, rendered at full resolution by a job."""
        if not self.media_id:
            return None
        ops = list(self._ops)

        def work() -> None:
            with db.session_scope() as session:
                studio_versions.save_version(session, self._actor(session), self.media_id, ops,
                                             client=self._client())

        try:
            await asyncio.to_thread(work)
            self._refresh_versions()
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.saving = True
        return StudioState.poll_versions

    @rx.event(background=True)
    @guard.signed_in
    async def poll_versions(self):
        """While a version renders, refresh the history (its progress) twice a second."""
        async with self:
            generation = self._generation
        waited = 0.0
        while waited < POLL_LIMIT_SECONDS:
            await asyncio.sleep(POLL_SECONDS)
            waited += POLL_SECONDS
            async with self:
                if generation != self._generation or not self._connected():
                    return
                try:
                    self._refresh_versions()
                except MediashareError:
                    return
                if not self.rendering:
                    finished = self.saving
                    self.saving = False
                    failed = bool(self.versions) and self.versions[0].status == "failed"
                    if finished:
                        return rx.toast.error(self.versions[0].error or "The version could not be made.") \
                            if failed else rx.toast.success(f"Saved as {self.versions[0].label}.")
                    return None
        return None

    def _connected(self) -> bool:
        """Whether this tab's websocket is still open here (a closed tab stops the polling)."""
        try:
            from reflex.utils.prerequisites import get_app

            namespace = get_app().app.event_namespace
            return namespace is None or self.router.session.client_token in namespace.token_to_sid
        except Exception:  # no app to ask (tests): the other stop conditions still apply
            return True

    def _version_call(self, call) -> Any:
        try:
            with db.session_scope() as session:
                call(session, self._actor(session))
            self._refresh_versions()
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.signed_in
    async def open_version(self, version_id: int):
        """Keep editing from a saved version's ops (undoable)."""
        try:
            checked = arguments.as_id(version_id, what="version")
            with db.session_scope() as session:
                info = studio_versions.version_detail(session, self._actor(session), self.media_id, checked)
            ops = studio_edits.validated(info.ops)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return await self._show_ops(ops, record=True)

    @rx.event
    @guard.signed_in
    def show_version(self, version_id: int):
        """Show this version in the gallery instead of the original."""
        try:
            checked = arguments.as_id(version_id, what="version")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._version_call(lambda session, actor: studio_versions.set_current(
            session, actor, self.media_id, checked, client=self._client())) or rx.toast.success("Shown in the gallery.")

    @rx.event
    @guard.signed_in
    def show_original(self):
        """Revert: the gallery shows the original again (versions are kept)."""
        return self._version_call(lambda session, actor: studio_versions.set_current(
            session, actor, self.media_id, None, client=self._client())) or rx.toast.success("The original is shown.")

    @rx.event
    @guard.signed_in
    def delete_version(self, version_id: int):
        try:
            checked = arguments.as_id(version_id, what="version")
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._version_call(lambda session, actor: studio_versions.delete_version(
            session, actor, self.media_id, checked, client=self._client())) or rx.toast.success("Version deleted.")
