"""Camera sessions: the shots a user kept, stamped with their capture time and stored through ingest.

The browser uploads each kept shot as a full-resolution JPEG (received by `ingest.Receiver` into
MEDIA_ROOT/incoming, like any upload). `keep_session` then, for one batch:

1. checks the batch (1–MAX_SHOTS shots; exactly four for a photo-booth quad) and that every shot is
   a JPEG, and writes the capture time into each one's EXIF (DateTimeOriginal, OffsetTimeOriginal),
   by inserting an EXIF segment: the picture's bytes are not re-encoded;
2. for a quad, composes the 2×2 picture from the four shots (`imaging.photobooth.quad`), stamped
   with the first shot's time; the singles are stored only when the user kept them;
3. checks the balance covers the session and every photo, then holds the session's price
   (`credits.Action.CAMERA_SESSION`, once per batch) before anything is stored: not enough credits
   stores nothing and says so;
4. stores every picture through `ingest.store` (dedupe, inspection, quota, per-photo charge,
   derivatives job), and captures the hold when at least one picture was kept, or releases it;
5. optionally puts the pictures it kept (stored, or already in the library) into one of the
   actor's albums, or into a new album, through `albums` (the gallery's "Add to album…" rules).
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from PIL import Image
from sqlmodel import Session, col, select

from mediashare.errors import InsufficientCredits, MediashareError, NotFound, ValidationFailed
from mediashare.imaging import photobooth
from mediashare.models import Album, MediaItem, MediaStatus, User
from mediashare.services import albums, credits, ingest, ledger
from mediashare.services.auth import Client
from mediashare.services.inspection import InvalidUpload

MAX_SHOTS = 10
MAX_OFFSET_MINUTES = 14 * 60
JPEG_QUALITY = 92
SOFTWARE = "MediaShare camera"
_EXIF_IFD = 0x8769


@dataclass(frozen=True)
class Shot:
    """One received shot: where it waits, when it was taken (UTC) and whether it is kept alone."""

    received: ingest.Received
    taken_at: datetime
    offset_minutes: int = 0  # the browser's UTC offset, for the EXIF local time
    keep: bool = True
    number: int = 0  # its place in the session (1…), for its file name; 0: its place in the batch


@dataclass(frozen=True)
class QuadStyle:
    """How the photo-booth picture looks."""

    border: int = 0
    color: tuple[int, int, int] = (255, 255, 255)
    caption: str = ""
    date: bool = False  # print the date in the strip


@dataclass(frozen=True)
class Result:
    """What became of one picture of the batch."""

    name: str
    status: str  # stored, duplicate, rejected
    message: str
    media_id: int = 0


@dataclass(frozen=True)
class AlbumChoice:
    """Where the kept pictures go besides the library: an existing album of the actor's own
    (`album_id`), or a new top-level album titled `new_title`."""

    album_id: int | None = None
    new_title: str = ""


@dataclass
class Batch:
    """The outcome of a session: a result per picture, the credits the session took and the album
    the pictures went into (0: none)."""

    results: list[Result] = field(default_factory=list)
    session_price: int = 0
    album_id: int = 0
    album_title: str = ""

    @property
    def stored(self) -> int:
        return sum(1 for result in self.results if result.status == "stored")


def parse_color(text: str) -> tuple[int, int, int]:
    """`#rrggbb` as a tuple; raises ValidationFailed."""
    value = text.strip() if isinstance(text, str) else ""
    if len(value) != 7 or value[0] != "#":
        raise ValidationFailed("Choose the border colour as #rrggbb.", field="color")
    try:
        return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)
    except ValueError:
        raise ValidationFailed("Choose the border colour as #rrggbb.", field="color") from None


def local_time(taken_at: datetime, offset_minutes: int) -> datetime:
    """`taken_at` (aware) as the wall-clock time of a zone `offset_minutes` east of UTC."""
    return taken_at.astimezone(timezone(timedelta(minutes=offset_minutes)))


def exif_block(taken_at: datetime, offset_minutes: int) -> bytes:
    """An EXIF block ("Exif\\0\\0…") saying the picture was taken at `taken_at` in that zone."""
    local = local_time(taken_at, offset_minutes)
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    exif = Image.Exif()
    exif[0x0131] = SOFTWARE
    exif[0x0132] = local.strftime("%Y:%m:%d %H:%M:%S")
    details = exif.get_ifd(_EXIF_IFD)
    details[0x9003] = local.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    details[0x9011] = f"{sign}{hours:02d}:{minutes:02d}"  # OffsetTimeOriginal
    return exif.tobytes()


def stamp_jpeg(data: bytes, exif: bytes) -> bytes:
    """`data` (a JPEG) with `exif` as its only EXIF segment, right after the JFIF header; the image
    data is untouched. Raises ValueError for anything that is not a JPEG."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    if len(exif) + 2 > 0xFFFF:
        raise ValueError("EXIF block too large")
    segments: list[bytes] = []
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA or not 0xE0 <= marker <= 0xEF:  # image data or tables: the header ends here
            break
        (length,) = struct.unpack(">H", data[position + 2:position + 4])
        segment = data[position:position + 2 + length]
        if not (marker == 0xE1 and segment[4:10] == b"Exif\x00\x00"):  # any earlier EXIF is replaced
            segments.append(segment)
        position += 2 + length
    app1 = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    jfif = [s for s in segments if s[1] == 0xE0]
    others = [s for s in segments if s[1] != 0xE0]
    return b"\xff\xd8" + b"".join(jfif) + app1 + b"".join(others) + data[position:]


def _received(data: bytes, filename: str) -> ingest.Received:
    """`data` written to a new file in incoming/, as ingest expects a received upload."""
    path = ingest.storage().receive_path()
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return ingest.Received(path=path, filename=filename, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def _name(prefix: str, shot: Shot, number: int | None = None) -> str:
    local = local_time(shot.taken_at, shot.offset_minutes)
    suffix = f"-{number}" if number is not None else ""
    return f"{prefix}-{local:%Y%m%d-%H%M%S}{suffix}.jpg"


def _rgb(path: Path, name: str) -> np.ndarray:
    try:
        with Image.open(path) as image:
            if image.format != "JPEG":
                raise InvalidUpload(name, "a camera shot must be a JPEG picture.")
            return np.asarray(image.convert("RGB"))
    except (OSError, ValueError, Image.DecompressionBombError):
        raise InvalidUpload(name, "this shot could not be read as a picture.") from None


def _compose(shots: list[Shot], style: QuadStyle) -> bytes:
    frames = [_rgb(shot.received.path, shot.received.filename) for shot in shots]
    height, width = frames[0].shape[:2]
    frames = [frame if frame.shape == frames[0].shape else  # the camera changed size mid-session
              np.asarray(Image.fromarray(frame).resize((width, height), Image.Resampling.LANCZOS))
              for frame in frames]
    first = shots[0]
    date = f"{local_time(first.taken_at, first.offset_minutes):%Y-%m-%d}" if style.date else ""
    try:
        picture = photobooth.quad(frames, border=style.border, color=style.color, caption=style.caption, date=date)
    except ValueError as error:
        raise ValidationFailed(str(error)) from None
    output = io.BytesIO()
    Image.fromarray(picture).save(output, format="JPEG", quality=JPEG_QUALITY,
                                  exif=exif_block(first.taken_at, first.offset_minutes))
    return output.getvalue()


def _check(shots: list[Shot], style: QuadStyle | None) -> None:
    if not 1 <= len(shots) <= MAX_SHOTS:
        raise ValidationFailed(f"A camera session keeps from 1 to {MAX_SHOTS} shots.")
    if style is not None and len(shots) != 4:
        raise ValidationFailed("A photo-booth picture needs all four shots; take the four again.")
    if style is not None and not 0 <= style.border <= photobooth.MAX_BORDER:
        raise ValidationFailed(f"The border must be from 0 to {photobooth.MAX_BORDER} pixels wide.", field="border")
    for shot in shots:
        if shot.taken_at.tzinfo is None or not -MAX_OFFSET_MINUTES <= shot.offset_minutes <= MAX_OFFSET_MINUTES:
            raise ValidationFailed("The capture time of a shot is not valid.")


def _prepare(shots: list[Shot], style: QuadStyle | None) -> list[ingest.Received]:
    """The pictures to store, stamped, in incoming/ (the quad first)."""
    ready: list[ingest.Received] = []
    try:
        if style is not None:
            ready.append(_received(_compose(shots, style), _name("photobooth", shots[0])))
        for number, shot in enumerate(shots, start=1):
            if not shot.keep:
                continue
            name = _name("camera", shot, (shot.number or number) if len(shots) > 1 or shot.number > 1 else None)
            data = shot.received.path.read_bytes()
            try:
                stamped = stamp_jpeg(data, exif_block(shot.taken_at, shot.offset_minutes))
            except ValueError:
                raise InvalidUpload(shot.received.filename, "a camera shot must be a JPEG picture.") from None
            ready.append(_received(stamped, name))
    except BaseException:
        for received in ready:
            received.path.unlink(missing_ok=True)
        raise
    return ready


def _require_credits(session: Session, actor: User, pictures: int) -> int:
    """The session's price, after checking the balance covers it and every picture's."""
    session_price = credits.price(session, credits.Action.CAMERA_SESSION)
    needed = session_price + pictures * credits.price(session, credits.Action.UPLOAD_PHOTO)
    balance = ledger.balance(session, user=actor)
    if needed > balance:
        raise InsufficientCredits(
            balance=balance, needed=needed,
            message=f"Keeping these pictures {credits.shortfall(needed, balance)} Nothing was stored.")
    return session_price


def _check_album(session: Session, actor: User, album: AlbumChoice | None) -> None:
    """Refuse, before anything is stored, an album the actor may not fill or a title it cannot have."""
    if album is None:
        return
    if album.album_id is not None:
        if albums.info(session, actor=actor, album_id=album.album_id).owner_id != actor.id:
            raise NotFound(albums.NOT_FOUND)  # an album holds only its owner's items: the camera's are the actor's
    else:
        albums.clean_title(album.new_title)


def _fill_album(session: Session, actor: User, album: AlbumChoice, batch: Batch) -> None:
    wanted = [result.media_id for result in batch.results if result.media_id and result.status != "rejected"]
    usable = set(session.exec(select(MediaItem.id).where(  # a duplicate of a trashed item stays out
        col(MediaItem.id).in_(wanted), MediaItem.owner_id == actor.id, col(MediaItem.trashed_at).is_(None),
        MediaItem.status != MediaStatus.PENDING))) if wanted else set()
    kept = [media_id for media_id in wanted if media_id in usable]
    if not kept:
        return
    if album.album_id is None:
        target = albums.create(session, actor=actor, title=album.new_title)
    else:
        target = session.get(Album, album.album_id)
        if target is None:
            raise NotFound(albums.NOT_FOUND)
    albums.add_items(session, actor=actor, album_id=target.id, ids=kept)  # type: ignore[arg-type]
    batch.album_id, batch.album_title = target.id, target.title  # type: ignore[assignment]


def keep_session(session: Session, *, actor: User, shots: list[Shot], quad: QuadStyle | None = None,
                 client: Client, album: AlbumChoice | None = None) -> Batch:
    """Store the kept shots (and the quad) of one camera session in `actor`'s library, paying the
    session's price once, and put them in `album` when one is chosen. Raises ValidationFailed,
    InvalidUpload, InsufficientCredits or NotFound (the album) having stored nothing; otherwise each
    picture has its own result. The shots' files are removed."""
    prepared: list[ingest.Received] = []
    try:
        _check(shots, quad)
        _check_album(session, actor, album)
        if not any(shot.keep for shot in shots) and quad is None:
            raise ValidationFailed("Keep at least one shot.")
        prepared = _prepare(shots, quad)
        session_price = _require_credits(session, actor, len(prepared))
        first = shots[0].taken_at
        held = credits.charge(session, actor, credits.Action.CAMERA_SESSION,
                              reference=f"camera:{first:%Y%m%d%H%M%S}:{len(prepared)}", hold=True)
        session.commit()  # the session is paid for (held) before anything is stored
        batch = Batch(session_price=session_price)
        for received in prepared:
            try:
                outcome = ingest.store(session, actor=actor, owner_id=actor.id, received=received,  # type: ignore[arg-type]
                                       client=client)
                batch.results.append(Result(received.filename, outcome.status, outcome.message, outcome.media_id))
            except MediashareError as error:
                session.rollback()
                batch.results.append(Result(received.filename, "rejected", str(error)))
            except Exception:  # one broken picture must not stop the others, nor keep the hold
                session.rollback()
                batch.results.append(Result(received.filename, "rejected",
                                            f"{received.filename}: something went wrong while storing it."))
        if batch.stored:
            credits.capture(session, held.id)
        else:
            credits.release(session, held.id)
            batch.session_price = 0
        session.commit()
        if album is not None:
            try:
                _fill_album(session, actor, album, batch)
            except MediashareError:  # the pictures are in the library; the album went away meanwhile
                session.rollback()
        return batch
    finally:
        for received in prepared:
            received.path.unlink(missing_ok=True)
        for shot in shots:
            shot.received.path.unlink(missing_ok=True)


def received_at() -> datetime:
    """Now, as a shot's capture time."""
    return datetime.now(UTC)
