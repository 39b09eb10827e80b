"""The upload page: many files streamed in one request, each received, checked and stored alone.

The browser posts the selected files to Reflex's chunked upload endpoint; `receive` (a background
handler, so no state lock is held while bytes arrive) authorizes from our session before reading a
byte, then feeds each file's chunks to `ingest.Receiver` (into MEDIA_ROOT/incoming, never Reflex's
upload folder) and hands the result to `ingest.store`. One bad file never stops the others.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from mediashare import db
from mediashare.errors import MediashareError, NotSignedIn
from mediashare.models import Role, User
from mediashare.services import auth, credits, ingest, ledger, user_admin
from mediashare.services.user_admin import Scope, UserFilter
from mediashare.state import acting, guard
from mediashare.state.session import SessionState

UPLOAD_ID = "media-upload"
MAX_FILES = ingest.MAX_FILES_PER_REQUEST
OWNER_PAGE_SIZE = 10
_PROGRESS_EVERY = 0.25  # seconds between progress updates sent to the browser


@dataclass
class FileRow:
    """One selected file as the page shows it."""

    name: str
    size: int = 0
    received: int = 0
    percent: int = 0
    status: str = "waiting"  # waiting, receiving, checking, stored, duplicate, rejected, cancelled
    message: str = ""


@dataclass
class OwnerChoice:
    id: int
    username: str
    label: str


class _File:
    """The file currently being received from the stream."""

    def __init__(self, index: int, name: str, receiver: ingest.Receiver | None, error: str = "") -> None:
        self.index, self.name, self.receiver, self.error = index, name, receiver, error
        self.raw_name = ""  # the name in the stream, to tell where the next file starts
        self.size = 0


class UploadState(SessionState):
    rows: list[FileRow] = []
    uploading: bool = False
    progress: int = 0  # the whole request, from the browser's own progress events
    owner_id: int = 0  # 0: the signed-in account
    owner_label: str = ""
    owner_query: str = ""
    owner_choices: list[OwnerChoice] = []
    owner_page: int = 1
    owner_pages: int = 1
    can_pick_owner: bool = False
    request_cap: int = 0  # file bytes one upload may carry (the server refuses more before reading it)
    photo_price: int = 0  # credits per photo, charged to the library's owner
    video_gb_price: int = 0  # credits per started GB of video
    credit_balance: int = 0  # the owner's balance

    def _show_prices(self, session: Session, actor: User) -> None:
        """The prices and the balance of the account that pays (the library's owner)."""
        owner = actor if self.owner_id <= 0 else ingest.require_owner(session, actor=actor, owner_id=self.owner_id)
        self.photo_price = credits.price(session, credits.Action.UPLOAD_PHOTO)
        self.video_gb_price = credits.price(session, credits.Action.UPLOAD_VIDEO_GB)
        self.credit_balance = ledger.balance(session, user=owner)

    def _refresh_prices(self) -> None:
        try:
            with db.session_scope() as session:
                self._show_prices(session, self._actor(session))
        except MediashareError:
            pass  # the numbers shown are a courtesy: the upload itself checks and charges

    @rx.var
    def done_count(self) -> int:
        return sum(1 for row in self.rows if row.status in ("stored", "duplicate", "rejected", "cancelled"))

    @rx.event
    @guard.signed_in
    def load(self):
        if (redirect := acting.fill_signed_in(self, self._fill)) is not None:
            return redirect
        if not self.uploading:
            self.rows, self.progress = [], 0
        return None

    def _fill(self, session: Session, user: User) -> None:
        self.can_pick_owner = user.role.rank >= Role.RESELLER.rank
        overhead = ingest.MAX_FILES_PER_REQUEST * ingest.PART_OVERHEAD  # the server's allowance for the form
        self.request_cap = ingest.request_cap(session, actor=user) - overhead
        try:
            self._show_prices(session, user)
        except MediashareError:
            self.owner_id, self.owner_label = 0, ""  # the chosen account is no longer ours to fill
            self._show_prices(session, user)

    # Progress and cancel ---------------------------------------------------------------------

    @rx.event
    @guard.signed_in
    def set_progress(self, progress: dict):
        value = progress.get("progress") if isinstance(progress, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.progress = max(self.progress, min(100, round(value * 100)))  # reports can arrive late

    @rx.event
    @guard.signed_in
    def begin(self):
        """Clicked Upload: start the overall bar from zero (the files' rows come with the upload)."""
        if not self.uploading:
            self.progress = 0

    @rx.event
    @guard.signed_in
    def mark_cancelled(self):
        self.uploading = False
        for row in self.rows:
            if row.status in ("waiting", "receiving"):
                row.status, row.message = "cancelled", "The upload was cancelled before this file arrived."
        self.rows = list(self.rows)

    @rx.event
    @guard.signed_in
    def clear(self):
        if not self.uploading:
            self.rows, self.progress = [], 0

    # Owner picker ---------------------------------------------------------------------------

    def _owner_page(self, session: Session, actor: User) -> None:
        scope = Scope.EVERYONE if actor.role.rank >= Role.ADMIN.rank else Scope.TEAM
        found = user_admin.list_users(session, actor=actor, scope=scope, filters=UserFilter(q=self.owner_query),
                                      page=self.owner_page, page_size=OWNER_PAGE_SIZE)
        self.owner_choices = [
            OwnerChoice(id=row.id, username=row.username,
                        label=f"{row.display_name or row.username} (@{row.username})")
            for row in found.rows
        ]
        self.owner_page, self.owner_pages = found.page, found.pages

    def _search_owners(self, query: str, page: int) -> rx.event.EventSpec | None:
        if not isinstance(query, str) or not isinstance(page, int) or isinstance(page, bool):
            return rx.toast.error("That search is not valid.")
        self.owner_query, self.owner_page = query[:100], max(1, min(page, 10_000))
        try:
            with db.session_scope() as session:
                self._owner_page(session, self._actor(session))
        except MediashareError as error:
            self.owner_choices = []
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def search_owners(self, query: str):
        return self._search_owners(query, 1)

    @rx.event
    @guard.requires(Role.RESELLER)
    def owner_page_to(self, page: int):
        return self._search_owners(self.owner_query, page)

    @rx.event
    @guard.requires(Role.RESELLER)
    def choose_owner(self, user_id: int):
        if self.uploading:
            return rx.toast.error("Wait for the current upload to finish.")
        if not isinstance(user_id, int) or isinstance(user_id, bool):
            return rx.toast.error("Choose an account from the list.")
        chosen = next((choice for choice in self.owner_choices if choice.id == user_id), None)
        if chosen is None:
            return rx.toast.error("Choose an account from the list.")
        self.owner_id, self.owner_label = chosen.id, chosen.label
        self._refresh_prices()
        return None

    @rx.event
    @guard.signed_in
    def upload_for_myself(self):
        if not self.uploading:
            self.owner_id, self.owner_label = 0, ""
            self._refresh_prices()

    # Receiving ------------------------------------------------------------------------------

    @rx.event(background=True)
    @guard.signed_in
    async def receive(self, chunks: rx.UploadChunkIterator, names: list, sizes: list):
        # Reflex's endpoint runs this for any client token and the websocket can send a fake
        # iterator: check what arrived, then authorize from our session before reading a byte.
        if not isinstance(chunks, rx.UploadChunkIterator):
            yield rx.toast.error("Choose files to upload.")
            return
        async with self:
            cookie = self._session_token()
            client = self._client()
            owner_choice = self.owner_id
        try:
            owner_id = await asyncio.to_thread(_authorize, cookie, owner_choice)
        except MediashareError as error:
            yield rx.toast.error(str(error))
            return
        names = [ingest.display_name(str(n)) for n in names][:MAX_FILES] if isinstance(names, list) else []
        sizes = [s if isinstance(s, int) and not isinstance(s, bool) and s >= 0 else 0 for s in sizes] \
            if isinstance(sizes, list) else []
        async with self:
            self.uploading = True
            self.rows = [FileRow(name=name, size=sizes[i] if i < len(sizes) else 0) for i, name in enumerate(names)]
        try:
            await self._receive_all(chunks, token=cookie, owner_id=owner_id, client=client)
            async with self:
                self.progress = 100  # the whole request arrived (the browser's last report may come late)
        finally:
            async with self:
                self.uploading = False
                self._refresh_prices()
        yield rx.clear_selected_files(UPLOAD_ID)  # the same selection is not sent twice by mistake

    async def _receive_all(self, chunks: rx.UploadChunkIterator, *, token: str | None, owner_id: int,
                           client: auth.Client) -> None:
        current: _File | None = None
        index = -1
        last_push = time.monotonic()
        try:
            async for chunk in chunks:
                new_file = current is None or chunk.filename != current.raw_name or chunk.offset != current.size
                if new_file:
                    if current is not None:
                        await self._finish(current, token=token, owner_id=owner_id, client=client)
                    index += 1
                    if index >= MAX_FILES:  # a forged request with more files: the rest is read and dropped
                        current = _File(index, "", None, "too many files")
                    else:
                        current = await asyncio.to_thread(_open, index, chunk.filename)
                        await self._set_row(current, status="receiving" if not current.error else "rejected",
                                            message=current.error)
                    current.raw_name = chunk.filename
                current.size += len(chunk.data)
                if current.receiver is not None and not current.error:
                    try:
                        current.receiver.write(chunk.data)
                    except MediashareError as error:
                        current.error = str(error)
                        current.receiver.__exit__(type(error), error, None)  # removes the partial file
                        current.receiver = None
                        await self._set_row(current, status="rejected", message=current.error)
                if time.monotonic() - last_push > _PROGRESS_EVERY and current.index < MAX_FILES:
                    last_push = time.monotonic()
                    await self._set_row(current, received=current.size)
            if current is not None:
                await self._finish(current, token=token, owner_id=owner_id, client=client)
        finally:  # cut off (cancelled, disconnected, crashed): nothing half-received stays behind
            if current is not None and current.receiver is not None:
                current.receiver.__exit__(RuntimeError, RuntimeError("cut off"), None)

    async def _finish(self, current: _File, *, token: str | None, owner_id: int, client: auth.Client) -> None:
        if current.error or current.receiver is None:
            return
        receiver, current.receiver = current.receiver, None
        receiver.__exit__(None, None, None)
        await self._set_row(current, status="checking", received=current.size)
        status, message = await asyncio.to_thread(_store, receiver, token, owner_id, client)
        await self._set_row(current, status=status, message=message, received=current.size)

    async def _set_row(self, current: _File, **changes: object) -> None:
        async with self:
            if current.index >= len(self.rows):
                self.rows.append(FileRow(name=current.name))
            row = self.rows[current.index]
            row.name = current.name
            for name, value in changes.items():
                setattr(row, name, value)
            if row.size < row.received:
                row.size = row.received
            row.percent = 100 if row.status not in ("waiting", "receiving") else (
                min(99, row.received * 100 // row.size) if row.size else 0)
            self.rows = list(self.rows)


def _actor(session: Session, token: str | None) -> User:
    actor = auth.resolve(session, token)
    if actor is None:
        raise NotSignedIn()
    return actor


def _authorize(token: str | None, owner_choice: int) -> int:
    """The owner's id (0 chooses the actor), checked before any byte is read; raises NotSignedIn,
    NotFound or PermissionDenied."""
    with db.session_scope() as session:
        actor = _actor(session, token)
        if not isinstance(owner_choice, int) or isinstance(owner_choice, bool) or owner_choice <= 0:
            return actor.id  # type: ignore[return-value]
        ingest.require_owner(session, actor=actor, owner_id=owner_choice)
        return owner_choice


def _open(index: int, filename: str) -> _File:
    """Start receiving `filename`: its type's limit, or the reason it is refused."""
    name = ingest.display_name(filename)
    try:
        with db.session_scope() as session:
            limit = ingest.limit_for(session, filename)
    except MediashareError as error:
        return _File(index, name, None, str(error))
    return _File(index, name, ingest.Receiver(ingest.storage(), filename=filename, limit=limit))


def _store(receiver: ingest.Receiver, token: str | None, owner_id: int, client: auth.Client) -> tuple[str, str]:
    """Check and keep one received file; ("stored" | "duplicate" | "rejected", the sentence to show)."""
    received = receiver.result
    if received is None:
        return "rejected", f"{receiver.filename}: the file did not arrive completely."
    try:
        with db.session_scope() as session:
            actor = _actor(session, token)  # a session ended mid-upload stops the rest
            outcome = ingest.store(session, actor=actor, owner_id=owner_id, received=received, client=client)
    except MediashareError as error:
        received.path.unlink(missing_ok=True)
        return "rejected", str(error)
    except Exception:  # one broken file must not stop the others
        received.path.unlink(missing_ok=True)
        return "rejected", f"{received.filename}: something went wrong while storing this file."
    return outcome.status, outcome.message

