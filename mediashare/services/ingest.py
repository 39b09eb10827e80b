"""Putting media in: receive (streamed, hashed, size-capped), check, dedupe, store, queue derivatives.

A file is received into MEDIA_ROOT/incoming/ while its SHA-256 and size are computed and the type's
size limit is enforced on the fly (the browser's check is only a convenience). Then, in order:
authorize, dedupe per owner, inspect (extension, sniffed type and a real decode must agree),
reserve quota, insert the row as `pending` and charge the owner its price (services/credits.py: a
photo, or a video per started GB; not enough credits refuses the file and keeps nothing), commit,
rename the file into place, mark it `stored`, commit, and queue the derivatives job. A crash
between those steps leaves a `pending` row, or a file in `incoming/`, which `reconcile` removes:
never a row without its file, never a kept file without its row.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from mediashare.errors import InsufficientCredits, MediashareError, NotFound
from mediashare.jobs import queue
from mediashare.models import AuditAction, MediaItem, MediaKind, MediaStatus, MediaType, Plan, Role, User, utc_now
from mediashare.services import access, audit, credits, inspection, platform, search
from mediashare.services.auth import Client
from mediashare.services.inspection import InvalidUpload
from mediashare.settings import get_settings
from mediashare.storage import LocalStorage

DERIVATIVES_JOB = "mediashare.jobs.media.make_derivatives"
MAX_FILENAME = 255
MAX_FILES_PER_REQUEST = 1000  # the upload page sends a whole selection in one request
PART_OVERHEAD = 4096  # multipart boundary and part headers of one file, generously (long filenames)


def storage() -> LocalStorage:
    return LocalStorage(get_settings().resolved_media_root)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:,.0f} KB"


def display_name(filename: str) -> str:
    """The client's file name, reduced to a safe display name (no folders, no control characters)."""
    name = os.path.basename(str(filename).replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-MAX_FILENAME:] or "unnamed"


def allowed_types(session: Session) -> dict[str, MediaType]:
    """The enabled media types, by extension."""
    return {row.extension: row for row in session.exec(select(MediaType).where(MediaType.enabled == True))}  # noqa: E712


def limit_for(session: Session, filename: str) -> int:
    """The largest size accepted for `filename`'s type; raises InvalidUpload for types not allowed."""
    extension = inspection.extension_of(filename)
    allowed = allowed_types(session)
    if extension not in allowed:
        shown = f".{extension}" if extension else "files without an extension"
        raise InvalidUpload(display_name(filename), f"{shown} is not a supported type.")
    return allowed[extension].max_bytes


@dataclass
class Received:
    """A fully received upload waiting in `incoming/`."""

    path: Path
    filename: str
    size: int
    sha256: str


class Receiver:
    """Write an upload's chunks to disk, hashing and counting as they come; over the limit, stop.

        with Receiver(storage(), filename=name, limit=limit) as receiver:
            for chunk in chunks:
                receiver.write(chunk)
        received = receiver.result
    """

    def __init__(self, store: LocalStorage, *, filename: str, limit: int) -> None:
        self.filename, self.limit = display_name(filename), limit
        self.path = store.receive_path()
        self._hash = hashlib.sha256()
        self._size = 0
        self._handle = self.path.open("wb")
        self.result: Received | None = None

    def write(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self.limit:
            raise InvalidUpload(
                self.filename, f"the file is larger than {_megabytes(self.limit)}, the limit for this type."
            )
        self._hash.update(chunk)
        self._handle.write(chunk)

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if kind is None:
                self._handle.flush()
                os.fsync(self._handle.fileno())
        finally:
            self._handle.close()
        if kind is not None:
            self.path.unlink(missing_ok=True)
            return
        self.result = Received(path=self.path, filename=self.filename, size=self._size, sha256=self._hash.hexdigest())


@dataclass(frozen=True)
class Outcome:
    """What happened to one file: stored, or a duplicate of an item the owner already has."""

    status: str  # "stored" or "duplicate"
    media_id: int
    message: str


def quota_for(session: Session, owner: User) -> int:
    """The bytes `owner` may store: their own override, else their plan's quota, else the default."""
    if owner.storage_quota_bytes is not None:
        return owner.storage_quota_bytes
    if owner.plan_id is not None and (plan := session.get(Plan, owner.plan_id)) is not None:
        return plan.storage_quota_bytes
    return int(platform.get(session, "default_storage_quota_bytes"))


def megabytes(size: int) -> str:
    """A size as people read it: "12 MB", or "340 KB" under a megabyte."""
    return _megabytes(size)


def reserve_storage(session: Session, owner: User, size: int) -> bool:
    """Add `size` bytes to `owner`'s storage in use if they fit in the quota, in one conditional
    UPDATE (in the caller's transaction); False, with nothing changed, when they do not fit."""
    if size <= 0:
        return True
    quota = quota_for(session, owner)
    return session.execute(
        update(User).where(User.id == owner.id, User.storage_used_bytes + size <= quota)
        .values(storage_used_bytes=User.storage_used_bytes + size)
    ).rowcount == 1


def release_storage(session: Session, owner_id: int | None, size: int) -> None:
    """Give `size` bytes back to an account's storage in use (never below zero), in the caller's
    transaction."""
    if owner_id is None or size <= 0:
        return
    floor = (func.max if session.get_bind().dialect.name == "sqlite" else func.greatest)
    session.execute(update(User).where(User.id == owner_id)
                    .values(storage_used_bytes=floor(User.storage_used_bytes - size, 0)))


def free_storage(session: Session, owner: User) -> tuple[int, int]:
    """(bytes free, quota) of `owner` as the database has them now."""
    quota = quota_for(session, owner)
    used = session.exec(select(User.storage_used_bytes).where(User.id == owner.id)).one()
    return max(0, quota - used), quota


def queue_derivatives(media_id: int) -> None:
    """Queue the derivatives job of item `media_id`; a job for it that still waits or runs is not
    queued twice (the job id is the item's)."""
    queue.enqueue(DERIVATIVES_JOB, media_id, job_id=f"derivatives-{media_id}")


def request_cap(session: Session, *, actor: User) -> int:
    """The most bytes one upload request (a whole batch of files) from `actor` may carry.

    A batch can never legitimately bring more than the account can hold, so the cap is the
    account's whole quota, not what is left of it: files already in the library come back as
    duplicates (not charged) and files past the quota each get their own message, so a re-sent
    folder or an over-quota batch still gets per-file results. Accounts that upload for others
    (whose quota we do not know before the request's arguments are read) get the operator's
    UPLOAD_MAX_REQUEST_BYTES, which also bounds everyone else. Plus the multipart overhead.
    """
    ceiling = get_settings().upload_max_request_bytes
    if actor.role is Role.USER:  # plain users store only for themselves
        ceiling = min(ceiling, quota_for(session, actor))
    return ceiling + MAX_FILES_PER_REQUEST * PART_OVERHEAD


def _taken(exif: dict[str, object]) -> tuple[datetime | None, int | None]:
    taken = exif.get("taken_at")
    if not isinstance(taken, datetime):
        return None, None
    if taken.tzinfo is None:
        return taken.replace(tzinfo=UTC), None  # the camera's local time, zone unknown: kept as is
    offset = taken.utcoffset()
    return taken.astimezone(UTC), int(offset.total_seconds() // 60) if offset is not None else None


def _json_safe(exif: dict[str, object]) -> dict[str, object]:
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in exif.items()}


def store(session: Session, *, actor: User, owner_id: int, received: Received, client: Client) -> Outcome:
    """Check and keep a received file for `owner_id` (the actor, or an account the actor manages).
    Raises InvalidUpload, PermissionDenied, NotFound; the received file is removed in every case
    but success."""
    try:
        return _store(session, actor=actor, owner_id=owner_id, received=received, client=client)
    finally:
        received.path.unlink(missing_ok=True)  # adopted files are gone already; anything else goes


def require_owner(session: Session, *, actor: User, owner_id: int) -> User:
    """The account media would be stored for: the actor, or an account the actor manages.
    Raises NotFound or PermissionDenied (checked again by `store`, before any file is kept), also when
    the platform requires a confirmed email address (`require_verified_email`) and the actor has none."""
    if platform.get(session, "require_verified_email"):
        access.require_verified(actor)
    owner = session.get(User, owner_id) if isinstance(owner_id, int) and not isinstance(owner_id, bool) else None
    if owner is None:
        raise NotFound("That account does not exist.")
    if owner.id != actor.id:
        access.require_can_manage(session, actor=actor, target=owner)
    return owner


def _charge(session: Session, *, owner: User, item: MediaItem) -> None:
    """Charge the owner for a new item in the row's transaction: a photo its price, a video its price
    per started GB (audio is not priced). Not enough credits: undo everything (row, quota) and
    refuse this file."""
    if item.kind is MediaKind.VIDEO:
        action, units = credits.Action.UPLOAD_VIDEO_GB, credits.video_gigabytes(item.size_bytes)
    elif item.kind is MediaKind.IMAGE:
        action, units = credits.Action.UPLOAD_PHOTO, 1
    else:
        return
    try:
        credits.charge(session, owner, action, media_id=item.id, reference=f"media:{item.id}", units=units)
    except InsufficientCredits as error:
        session.rollback()
        raise InvalidUpload(item.original_filename, credits.shortfall(error.needed, error.balance)) from None
    except MediashareError:
        session.rollback()
        raise


def _store(session: Session, *, actor: User, owner_id: int, received: Received, client: Client) -> Outcome:
    owner = require_owner(session, actor=actor, owner_id=owner_id)
    name = received.filename
    limit = limit_for(session, name)
    if received.size > limit:
        raise InvalidUpload(name, f"the file is larger than {_megabytes(limit)}, the limit for this type.")

    existing = session.exec(
        select(MediaItem.id).where(MediaItem.owner_id == owner.id, MediaItem.sha256 == received.sha256)
    ).first()
    if existing is not None:
        return Outcome("duplicate", existing, f"{name} is already in the library.")

    allowed = {ext: inspection.Kind(row.kind.value) for ext, row in allowed_types(session).items()}
    found = inspection.inspect(received.path, filename=name, allowed=allowed)

    quota = quota_for(session, owner)
    reserved = session.execute(
        update(User)
        .where(User.id == owner.id, User.storage_used_bytes + received.size <= quota)
        .values(storage_used_bytes=User.storage_used_bytes + received.size)
    ).rowcount
    if reserved != 1:
        session.rollback()
        left = max(0, quota - owner.storage_used_bytes)
        raise InvalidUpload(name, f"there is not enough storage left ({_megabytes(left)} free of {_megabytes(quota)}).")

    taken_at, offset = _taken(found.exif)
    key = LocalStorage.new_key(f".{found.extension}")
    now = utc_now()
    item = MediaItem(
        owner_id=owner.id,  # type: ignore[arg-type]
        uploaded_by_id=actor.id,
        status=MediaStatus.PENDING,
        kind=MediaKind(found.kind.value),
        original_filename=name,
        title=os.path.splitext(name)[0][:200],
        extension=found.extension,
        mime=found.mime,
        size_bytes=received.size,
        sha256=received.sha256,
        storage_key=key,
        width=found.width,
        height=found.height,
        duration_seconds=found.duration_seconds,
        codec=(found.codec or None) and found.codec[:32],
        taken_at=taken_at,
        taken_at_offset_minutes=offset,
        sort_at=taken_at or now,
        latitude=found.exif.get("latitude"),  # type: ignore[arg-type]
        longitude=found.exif.get("longitude"),  # type: ignore[arg-type]
        exif=_json_safe(found.exif),
        uploaded_at=now,
        updated_at=now,
    )
    item.search_text = search.text_for(item)
    session.add(item)
    try:
        session.flush()  # the row's id, for its charge; a racing twin of this upload fails here
        _charge(session, owner=owner, item=item)
        session.commit()  # the row exists (pending), paid for, before the file does
    except IntegrityError:  # the same content arrived twice at once: one wins (and only it pays)
        session.rollback()
        winner = session.exec(
            select(MediaItem.id).where(MediaItem.owner_id == owner.id, MediaItem.sha256 == received.sha256)
        ).first()
        if winner is None:
            raise
        return Outcome("duplicate", winner, f"{name} is already in the library.")

    storage().adopt(received.path, key=key)
    item.status = MediaStatus.STORED
    audit.record(session, action=AuditAction.MEDIA_UPLOADED, actor=actor, target=owner, ip=client.ip,
                 user_agent=client.user_agent,
                 details={"media_id": item.id, "filename": name, "size": received.size, "kind": item.kind.value})
    session.commit()
    queue_derivatives(item.id)  # type: ignore[arg-type]
    return Outcome("stored", item.id, f"{name} was added.")  # type: ignore[arg-type]
