"""The camera page: capture settings, the shots waiting for review, and their upload.

The frames themselves never pass through this state. The browser keeps each shot as a full-resolution
JPEG blob and tells us only its id, its size and a `blob:` address for the review strip (`shot_taken`);
the capture time is ours (the moment the event arrives), with the browser's UTC offset for the local
time written into the EXIF. Kept shots are posted as files to Reflex's chunked upload (`receive`, a
background handler: authorized from our session before a byte is read, each shot received into
MEDIA_ROOT/incoming by `ingest.Receiver`), then `camera.keep_session` stamps, composes and stores them.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError, NotSignedIn, ValidationFailed
from mediashare.services import albums, auth, camera, credits, ingest, ledger
from mediashare.state import acting, guard
from mediashare.state.session import SessionState

CAMERA_UPLOAD_ID = "camera-upload"
MODES = ("single", "sequential", "quad")
RESOLUTIONS = ("best", "1080", "720", "480")
FACINGS = ("user", "environment")
PROBLEMS = ("denied", "none", "busy", "insecure", "other")
MAX_SHOTS = camera.MAX_SHOTS
QUAD_SHOTS = 4
MAX_BLOB_URL = 200
_SHOT_NAME = re.compile(r"camera-([0-9]{1,9})\.jpg")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
NEW_ALBUM = "new"  # the album choice that makes a new album


@dataclass
class ShotCard:
    """One shot in the review strip."""

    id: int  # the browser's id for its blob
    url: str  # a blob: address, valid in that tab only
    width: int
    height: int
    keep: bool
    taken_at: str  # ISO, UTC: when the shot reached us
    offset: int  # the browser's UTC offset in minutes
    label: str  # the local time shown


@dataclass
class ResultRow:
    name: str
    status: str
    message: str


@dataclass
class DeviceChoice:
    id: str
    label: str


@dataclass
class AlbumOption:
    value: str  # the album's id, as the select sends it
    label: str  # its path: "Parties / Anna 30"


def _whole(value: object, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        return None
    return int(value) if low <= int(value) <= high else None


class CameraState(SessionState):
    mode: str = "single"
    shots_count: int = 3  # sequential: how many shots
    interval: int = 3  # seconds of countdown before each sequential or quad shot
    resolution: str = "best"
    facing: str = "user"
    camera_device: str = ""  # a browser deviceId; "" lets the browser pick (by facing)
    devices: list[DeviceChoice] = []
    flash: bool = False
    sound: bool = False
    border: int = 12
    border_color: str = "#ffffff"
    caption: str = ""
    print_date: bool = True
    problem: str = ""  # why the camera cannot work, one of PROBLEMS, or ""
    problem_detail: str = ""
    ready: bool = False
    stream_size: str = ""  # "1920×1080" of the live stream
    capturing: bool = False
    shots: list[ShotCard] = []
    uploading: bool = False
    progress: int = 0
    results: list[ResultRow] = []
    session_price: int = 0
    photo_price: int = 0
    credit_balance: int = 0
    album_options: list[AlbumOption] = []  # the person's own albums
    album_choice: str = ""  # "" no album, NEW_ALBUM, or one of album_options' values; kept for the session
    new_album_title: str = ""
    result_album: str = ""  # the album the last upload filled, and its page
    result_album_href: str = ""

    @rx.var
    def kept_count(self) -> int:
        return sum(1 for shot in self.shots if shot.keep)

    @rx.var
    def upload_ids(self) -> list[int]:
        """The shots the browser sends: all four of a quad (its singles are kept only if chosen),
        otherwise the kept ones."""
        if self.mode == "quad":
            return [shot.id for shot in self.shots]
        return [shot.id for shot in self.shots if shot.keep]

    @rx.var
    def can_upload(self) -> bool:
        if self.uploading or self.capturing or not self.shots:
            return False
        if self.mode == "quad":
            return len(self.shots) == QUAD_SHOTS
        return any(shot.keep for shot in self.shots)

    def _show_prices(self) -> None:
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                self.session_price = credits.price(session, credits.Action.CAMERA_SESSION)
                self.photo_price = credits.price(session, credits.Action.UPLOAD_PHOTO)
                self.credit_balance = ledger.balance(session, user=user)
        except MediashareError:
            pass  # a courtesy: keeping the shots checks and charges

    @rx.event
    @guard.signed_in
    def load(self):
        if (redirect := acting.visitor_redirect(self)) is not None:
            return redirect
        self._show_prices()
        self._list_albums()
        self.capturing = False
        if self.uploading:
            return None
        # A reload loses the browser's blobs: shots from an earlier visit cannot be sent any more.
        forget = [shot.id for shot in self.shots]
        self.results, self.progress, self.shots = [], 0, []
        return _forget(forget) if forget else None

    def _list_albums(self) -> None:
        try:
            with db.session_scope() as session:
                found = albums.album_paths(session, actor=self._actor(session))
        except MediashareError:
            found = []
        self.album_options = [AlbumOption(value=str(album_id), label=path) for album_id, path in found]
        if self.album_choice not in (NEW_ALBUM, "") and not any(o.value == self.album_choice
                                                                for o in self.album_options):
            self.album_choice = ""  # the remembered album was deleted meanwhile

    def _default_album_title(self) -> str:
        offset = self.shots[-1].offset if self.shots else 0
        local = camera.local_time(camera.received_at(), offset)
        return f"{'Photo booth' if self.mode == 'quad' else 'Camera'} {local:%-d %b %Y}"

    # Settings --------------------------------------------------------------------------------

    @rx.event
    @guard.signed_in
    def choose_album(self, choice: str):
        """Where the kept shots go: "" (only the library), NEW_ALBUM, or one of the listed albums."""
        if self.uploading or not isinstance(choice, str):
            return
        if choice in ("", NEW_ALBUM) or any(option.value == choice for option in self.album_options):
            self.album_choice = choice
            if choice == NEW_ALBUM and not self.new_album_title:
                self.new_album_title = self._default_album_title()

    @rx.event
    @guard.signed_in
    def set_new_album_title(self, value: str):
        if isinstance(value, str) and not self.uploading:
            self.new_album_title = "".join(ch for ch in value if ch.isprintable())[:albums.MAX_TITLE]

    @rx.event
    @guard.signed_in
    def set_mode(self, mode: str | list[str]):
        if not isinstance(mode, str) or mode not in MODES or self.capturing or self.uploading:
            return None
        if mode != self.mode:
            forget = [shot.id for shot in self.shots]
            self.mode, self.shots, self.results = mode, [], []
            return _forget(forget)
        return None

    @rx.event
    @guard.signed_in
    def set_shots_count(self, value: str):
        count = _whole(int(value) if isinstance(value, str) and value.isdigit() else value, 2, MAX_SHOTS)
        if count is not None:
            self.shots_count = count

    @rx.event
    @guard.signed_in
    def set_interval(self, value: str):
        seconds = _whole(int(value) if isinstance(value, str) and value.isdigit() else value, 1, 10)
        if seconds is not None:
            self.interval = seconds

    @rx.event
    @guard.signed_in
    def set_resolution(self, value: str):
        if value in RESOLUTIONS:
            self.resolution = value

    @rx.event
    @guard.signed_in
    def switch_facing(self):
        """Front ↔ back: the browser picks the camera facing that way."""
        self.facing = "environment" if self.facing == "user" else "user"
        self.camera_device = ""

    @rx.event
    @guard.signed_in
    def choose_device(self, camera: str):
        """One of the cameras the browser listed ("" for automatic)."""
        if isinstance(camera, str) and (camera == "" or any(d.id == camera for d in self.devices)):
            self.camera_device = camera

    @rx.event
    @guard.signed_in
    def set_flash(self, value: bool):
        if isinstance(value, bool):
            self.flash = value

    @rx.event
    @guard.signed_in
    def set_sound(self, value: bool):
        if isinstance(value, bool):
            self.sound = value

    @rx.event
    @guard.signed_in
    def set_border(self, value: str):
        width = _whole(int(value) if isinstance(value, str) and value.isdigit() else value, 0, 100)
        if width is not None:
            self.border = width

    @rx.event
    @guard.signed_in
    def set_border_color(self, value: str):
        if isinstance(value, str) and _HEX.fullmatch(value):
            self.border_color = value.lower()

    @rx.event
    @guard.signed_in
    def set_caption(self, value: str):
        if isinstance(value, str):
            self.caption = "".join(ch for ch in value if ch.isprintable())[:60]

    @rx.event
    @guard.signed_in
    def set_print_date(self, value: bool):
        if isinstance(value, bool):
            self.print_date = value

    # What the camera component reports -------------------------------------------------------

    @rx.event
    @guard.signed_in
    def camera_ready(self, info: dict):
        """The stream started: its real size and which way the camera faces (when the browser says)."""
        if not isinstance(info, dict):
            return
        width, height = _whole(info.get("width"), 1, 20_000), _whole(info.get("height"), 1, 20_000)
        self.ready, self.problem, self.problem_detail = True, "", ""
        self.stream_size = f"{width}×{height}" if width and height else ""
        facing = info.get("facing")
        if facing in FACINGS:
            self.facing = facing

    @rx.event
    @guard.signed_in
    def devices_found(self, found: list):
        if not isinstance(found, list):
            return
        choices = []
        for index, device in enumerate(found[:20]):
            if isinstance(device, dict) and isinstance(device.get("id"), str) and len(device["id"]) <= 200:
                label = device.get("label") if isinstance(device.get("label"), str) else ""
                choices.append(DeviceChoice(id=device["id"], label=label[:80] or f"Camera {index + 1}"))
        self.devices = choices

    @rx.event
    @guard.signed_in
    def camera_failed(self, error: dict):
        """getUserMedia refused: which of the guidance texts applies."""
        name = error.get("name") if isinstance(error, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        self.ready, self.capturing = False, False
        self.problem = _problem(name if isinstance(name, str) else "")
        self.problem_detail = message[:200] if isinstance(message, str) else ""

    @rx.event
    @guard.signed_in
    def start_capture(self):
        """The shutter: a single shot now, or a counted-down series, taken by the browser."""
        if self.capturing or self.uploading or not self.ready:
            return
        if self.mode == "single":
            if len(self.shots) >= MAX_SHOTS:
                yield rx.toast.error(f"Review these {MAX_SHOTS} shots first: keep or discard them.")
                return
            count, countdown = 1, 0
        else:
            count = QUAD_SHOTS if self.mode == "quad" else self.shots_count
            countdown = self.interval
            forget = [shot.id for shot in self.shots]
            self.shots, self.results = [], []
            if forget:
                yield _forget(forget)
        self.capturing = True
        yield rx.call_script(f"window.__msCamera && window.__msCamera.shoot({count}, {countdown})")

    @rx.event
    @guard.signed_in
    def shot_taken(self, info: dict):
        if not isinstance(info, dict):
            return None
        shot_id = _whole(info.get("id"), 1, 10**9)
        width, height = _whole(info.get("width"), 1, 20_000), _whole(info.get("height"), 1, 20_000)
        offset = _whole(info.get("offset"), -camera.MAX_OFFSET_MINUTES, camera.MAX_OFFSET_MINUTES)
        url = info.get("url")
        if shot_id is None or width is None or height is None or not isinstance(url, str) \
                or not url.startswith("blob:") or len(url) > MAX_BLOB_URL:
            return None
        if len(self.shots) >= MAX_SHOTS or any(shot.id == shot_id for shot in self.shots):
            return _forget([shot_id])
        taken = camera.received_at()
        local = camera.local_time(taken, offset or 0)
        self.shots = [*self.shots, ShotCard(id=shot_id, url=url, width=width, height=height,
                                            keep=self.mode != "quad", taken_at=taken.isoformat(),
                                            offset=offset or 0, label=f"{local:%H:%M:%S}")]
        return None

    @rx.event
    @guard.signed_in
    def capture_done(self):
        self.capturing = False

    # Review -----------------------------------------------------------------------------------

    @rx.event
    @guard.signed_in
    def toggle_keep(self, shot: int):
        """Keep or discard shot number `shot` of the review strip (the browser's own numbering)."""
        if self.uploading or isinstance(shot, bool) or not isinstance(shot, int):
            return
        for card in self.shots:
            if card.id == shot:
                card.keep = not card.keep
        self.shots = list(self.shots)

    @rx.event
    @guard.signed_in
    def keep_all_singles(self, value: bool):
        if isinstance(value, bool) and not self.uploading:
            for shot in self.shots:
                shot.keep = value
            self.shots = list(self.shots)

    @rx.event
    @guard.signed_in
    def discard_all(self):
        if self.uploading or self.capturing:
            return None
        forget = [shot.id for shot in self.shots]
        self.shots = []
        return _forget(forget)

    # Upload -----------------------------------------------------------------------------------

    @rx.event
    @guard.signed_in
    def set_progress(self, progress: dict):
        value = progress.get("progress") if isinstance(progress, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.progress = max(self.progress, min(100, round(value * 100)))

    @rx.event
    @guard.signed_in
    def begin_upload(self):
        if not self.uploading:
            self.progress, self.results = 0, []

    @rx.event(background=True)
    @guard.signed_in
    async def receive(self, chunks: rx.UploadChunkIterator):
        if not isinstance(chunks, rx.UploadChunkIterator):
            yield rx.toast.error("Take a picture first.")
            return
        async with self:
            if self.uploading:
                return
            cookie, client = self._session_token(), self._client()
            shots = list(self.shots)
            mode = self.mode
            style = camera.QuadStyle(border=self.border, color=camera.parse_color(self.border_color),
                                     caption=self.caption, date=self.print_date) if mode == "quad" else None
            wanted = {shot.id for shot in shots} if mode == "quad" else {shot.id for shot in shots if shot.keep}
            album = (camera.AlbumChoice(new_title=self.new_album_title) if self.album_choice == NEW_ALBUM
                     else camera.AlbumChoice(album_id=int(self.album_choice)) if self.album_choice.isdigit()
                     else None)
            self.uploading, self.result_album, self.result_album_href = True, "", ""
        received: dict[int, ingest.Received] = {}
        batch: camera.Batch | None = None
        problem = ""
        try:
            await asyncio.to_thread(_authorize, cookie)
            received = await _receive_shots(chunks, wanted)
            missing = wanted - received.keys()
            if missing:
                raise ValidationFailed(f"{len(missing)} of the shots did not arrive; try again.")
            batch_shots = [
                camera.Shot(received=received[shot.id], taken_at=datetime.fromisoformat(shot.taken_at),
                            offset_minutes=shot.offset, keep=shot.keep, number=number if len(shots) > 1 else 0)
                for number, shot in enumerate(shots, start=1) if shot.id in received
            ]
            batch = await asyncio.to_thread(_keep, cookie, client, batch_shots, style, album)
        except MediashareError as error:
            problem = str(error)
        finally:
            for item in received.values():  # kept ones are gone already
                item.path.unlink(missing_ok=True)
            async with self:
                self.uploading = False
        if batch is None:
            async with self:
                self.results = [ResultRow(name="", status="rejected", message=problem)]
                self._list_albums()  # the chosen album may have gone meanwhile
            yield rx.toast.error(problem)
            return
        async with self:
            self.progress = 100
            self.results = [ResultRow(name=r.name, status=r.status, message=r.message) for r in batch.results]
            sent = [shot.id for shot in self.shots]
            self.shots = []
            self._show_prices()
            if batch.album_id:
                self.result_album = batch.album_title
                self.result_album_href = routes.ALBUM.replace("[album_id]", str(batch.album_id))
                self._list_albums()
                self.album_choice, self.new_album_title = str(batch.album_id), ""  # the next burst goes there too
        yield _forget(sent)
        where = f" and to the album {batch.album_title}" if batch.album_id else ""
        yield rx.toast.success(f"{batch.stored} picture(s) added to your library{where}.")


def _forget(ids: list[int]) -> rx.event.EventSpec:
    """Let the browser drop these shots' blobs."""
    return rx.call_script(f"window.__msCamera && window.__msCamera.forget({[int(i) for i in ids]!r})")


def _problem(name: str) -> str:
    if name in ("NotAllowedError", "PermissionDeniedError", "SecurityError"):
        return "denied"
    if name in ("NotFoundError", "DevicesNotFoundError", "OverconstrainedError", "ConstraintNotSatisfiedError"):
        return "none"
    if name in ("NotReadableError", "TrackStartError", "AbortError"):
        return "busy"
    if name == "InsecureContext":
        return "insecure"
    return "other"


def _authorize(token: str | None) -> None:
    with db.session_scope() as session:
        if auth.resolve(session, token) is None:
            raise NotSignedIn()


async def _receive_shots(chunks: rx.UploadChunkIterator, wanted: set[int]) -> dict[int, ingest.Received]:
    """Each wanted shot's file in incoming/ (anything else in the request is read and dropped)."""
    with db.session_scope() as session:
        limit = ingest.limit_for(session, "camera.jpg")
    done: dict[int, ingest.Received] = {}
    current: ingest.Receiver | None = None
    current_id, current_name = 0, None
    try:
        async for chunk in chunks:
            if chunk.filename != current_name:
                if current is not None:
                    current.__exit__(None, None, None)
                    if current.result is not None:
                        done[current_id] = current.result
                    current = None
                current_name = chunk.filename
                match = _SHOT_NAME.fullmatch(ingest.display_name(chunk.filename))
                current_id = int(match.group(1)) if match else 0
                if current_id in wanted and current_id not in done:
                    current = ingest.Receiver(ingest.storage(), filename=f"camera-{current_id}.jpg", limit=limit)
            if current is not None:
                current.write(chunk.data)  # over the limit: InvalidUpload, and the finally removes it
        if current is not None:
            current.__exit__(None, None, None)
            if current.result is not None:
                done[current_id] = current.result
            current = None
    except BaseException:
        for item in done.values():
            item.path.unlink(missing_ok=True)
        raise
    finally:
        if current is not None:
            current.__exit__(RuntimeError, RuntimeError("cut off"), None)
    return done


def _keep(token: str | None, client: auth.Client, shots: list[camera.Shot],
          style: camera.QuadStyle | None, album: camera.AlbumChoice | None) -> camera.Batch:
    with db.session_scope() as session:
        actor = auth.resolve(session, token)
        if actor is None:
            for shot in shots:
                shot.received.path.unlink(missing_ok=True)
            raise NotSignedIn()
        return camera.keep_session(session, actor=actor, shots=shots, quad=style, client=client, album=album)
