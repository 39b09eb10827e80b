"""The chunked upload handler, called the way any browser could call it: with a fake iterator,
without a session, with a mix of good and bad files, and cut off half-way."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import reflex as rx
from reflex.istate.data import RouterData
from reflex_components_core.core._upload import UploadChunk
from sqlmodel import Session, select

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.models import MediaItem, Role, User
from mediashare.services import auth, ingest
from mediashare.state.upload import UploadState
from tests.factories import PASSWORD, make_user
from tests.media_files import jpeg_bytes

CHUNK = 16 * 1024


def upload_state(cookie: str = "") -> UploadState:
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": {"cookie": cookie}, "pathname": routes.UPLOAD})
    return root.get_substate(UploadState.get_full_name().split(".")[1:])


def signed_in_state(session: Session, user: User) -> UploadState:
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    return upload_state(f"{routes.SESSION_COOKIE}={token}")


def chunks_of(files: list[tuple[str, bytes]]) -> list[UploadChunk]:
    """The chunks Reflex's endpoint would push for these files, in order."""
    out = []
    for name, data in files:
        for start in range(0, max(len(data), 1), CHUNK):
            out.append(UploadChunk(filename=name, offset=start, content_type="", data=data[start:start + CHUNK]))
    return out


async def _feed(iterator: rx.UploadChunkIterator, chunks: list[UploadChunk], *, cut_after: int | None) -> None:
    for number, chunk in enumerate(chunks):
        if cut_after is not None and number == cut_after:
            return
        await iterator.push(chunk)
    await iterator.finish()


def run_upload(state: UploadState, files: Any, names: Any = None, sizes: Any = None, *,
               feed: list[UploadChunk] | None = None, cut_after: int | None = None) -> str:
    """Run the handler like Reflex does (chunks pushed while it reads); returns what it sent back.
    With `cut_after`, the request is cut off after that many chunks and the handler task cancelled,
    as Reflex does when the browser disconnects."""

    async def run() -> list[Any]:
        events: list[Any] = []

        async def handler() -> None:
            async for event in UploadState.receive.fn(state, files, names or [], sizes or []):
                events.append(event)

        task = asyncio.ensure_future(handler())
        if isinstance(files, rx.UploadChunkIterator):
            files.set_consumer_task(task)
            await _feed(files, feed or [], cut_after=cut_after)
            if cut_after is not None:
                await asyncio.sleep(0.05)
                task.cancel()
        with contextlib.suppress(asyncio.CancelledError, RuntimeError):
            await task
        return events

    return " ".join(repr(event) for event in asyncio.run(run()))


def incoming_files() -> list[str]:
    incoming = ingest.storage().incoming
    return sorted(path.name for path in incoming.iterdir()) if incoming.is_dir() else []


def test_a_fake_iterator_sent_over_the_websocket_is_refused(session: Session) -> None:
    user = make_user(session)
    state = signed_in_state(session, user)
    for fake in ([{"filename": "x.jpg", "data": "AAAA"}], {"filename": "x.jpg"}, "x.jpg", None):
        assert "Choose files to upload." in run_upload(state, fake, ["x.jpg"], [4])
    assert session.exec(select(MediaItem)).all() == [] and incoming_files() == []
    assert state.rows == []


def test_an_upload_without_our_session_is_refused_before_reading_a_byte(database_url: str) -> None:
    iterator = rx.UploadChunkIterator(maxsize=8)
    files = [("a.jpg", jpeg_bytes())]
    sent = run_upload(upload_state(), iterator, ["a.jpg"], [len(files[0][1])], feed=chunks_of(files))
    assert "Please sign in to continue." in sent
    from mediashare import db

    with db.session_scope() as session:
        assert session.exec(select(MediaItem)).all() == []
    assert incoming_files() == []


def test_each_file_gets_its_own_outcome_and_bad_ones_do_not_block_the_rest(session: Session) -> None:
    user = make_user(session)
    state = signed_in_state(session, user)
    files = [("one.jpg", jpeg_bytes(seed=1)), ("fake.jpg", b"just some text, not a picture" * 50),
             ("two.jpg", jpeg_bytes(seed=2)), ("program.exe", b"MZ" + b"\0" * 5000),
             ("again.jpg", jpeg_bytes(seed=1))]
    run_upload(state, rx.UploadChunkIterator(maxsize=8), [n for n, _ in files], [len(d) for _, d in files],
               feed=chunks_of(files))
    outcome = {row.name: (row.status, row.message) for row in state.rows}
    assert outcome["one.jpg"] == ("stored", "one.jpg was added.")
    assert outcome["two.jpg"] == ("stored", "two.jpg was added.")
    assert outcome["again.jpg"] == ("duplicate", "again.jpg is already in the library.")
    assert outcome["fake.jpg"][0] == "rejected" and outcome["fake.jpg"][1].startswith("fake.jpg: ")
    assert outcome["program.exe"] == ("rejected", "program.exe: .exe is not a supported type.")
    assert [row.percent for row in state.rows] == [100] * 5 and not state.uploading
    items = session.exec(select(MediaItem)).all()
    assert sorted(item.original_filename for item in items) == ["one.jpg", "two.jpg"]
    assert {item.owner_id for item in items} == {user.id} and incoming_files() == []


def test_two_files_with_the_same_name_stay_two_files(session: Session) -> None:
    user = make_user(session)
    state = signed_in_state(session, user)
    files = [("IMG.jpg", jpeg_bytes(seed=3)), ("IMG.jpg", jpeg_bytes(seed=4))]
    run_upload(state, rx.UploadChunkIterator(maxsize=8), ["IMG.jpg", "IMG.jpg"], [1, 1], feed=chunks_of(files))
    assert [row.status for row in state.rows] == ["stored", "stored"]


def test_an_admin_uploads_for_a_customer_but_a_user_cannot_pick_an_owner(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session)
    state = signed_in_state(session, admin)
    state.owner_id = customer.id
    files = [("for-you.jpg", jpeg_bytes(seed=5))]
    run_upload(state, rx.UploadChunkIterator(maxsize=8), ["for-you.jpg"], [1], feed=chunks_of(files))
    assert state.rows[0].status == "stored"
    assert session.exec(select(MediaItem)).one().owner_id == customer.id

    other = make_user(session)
    state = signed_in_state(session, other)
    state.owner_id = customer.id  # as if set by a forged event
    sent = run_upload(state, rx.UploadChunkIterator(maxsize=8), ["x.jpg"], [1],
                      feed=chunks_of([("x.jpg", jpeg_bytes(seed=6))]))
    assert "You can only manage accounts in your own team." in sent
    assert len(session.exec(select(MediaItem)).all()) == 1 and incoming_files() == []


def test_an_upload_cut_off_half_way_leaves_no_partial_file(session: Session) -> None:
    user = make_user(session)
    state = signed_in_state(session, user)
    big = jpeg_bytes(1600, 1200, seed=7)
    files = [("first.jpg", jpeg_bytes(seed=8)), ("big.jpg", big)]
    feed = chunks_of(files)
    run_upload(state, rx.UploadChunkIterator(maxsize=8), ["first.jpg", "big.jpg"], [1, len(big)], feed=feed,
               cut_after=len(feed) - 2)
    assert incoming_files() == []
    assert [item.original_filename for item in session.exec(select(MediaItem)).all()] == ["first.jpg"]


def test_a_forged_request_with_more_files_than_allowed_stores_only_the_allowed_number(
        session: Session, monkeypatch) -> None:
    import mediashare.state.upload as upload_module

    monkeypatch.setattr(upload_module, "MAX_FILES", 2)
    user = make_user(session)
    state = signed_in_state(session, user)
    files = [(f"{n}.jpg", jpeg_bytes(seed=50 + n)) for n in range(4)]
    run_upload(state, rx.UploadChunkIterator(maxsize=8), [], [], feed=chunks_of(files))
    assert [row.status for row in state.rows] == ["stored", "stored"]
    assert len(session.exec(select(MediaItem)).all()) == 2 and incoming_files() == []


def test_a_reseller_searches_only_their_customers_and_picks_one_from_the_list(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    mine = make_user(session, parent=reseller, username="mine-alice")
    make_user(session, username="other-alice")
    state = signed_in_state(session, reseller)
    UploadState.search_owners.fn(state, "alice")
    assert [choice.username for choice in state.owner_choices] == ["mine-alice"]
    assert "Choose an account from the list." in repr(UploadState.choose_owner.fn(state, 999_999))
    UploadState.choose_owner.fn(state, mine.id)
    assert state.owner_id == mine.id and state.owner_label == "mine-alice (@mine-alice)"


def test_a_plain_user_cannot_list_accounts_even_past_the_gate(session: Session) -> None:
    make_user(session, username="someone-else")
    state = signed_in_state(session, make_user(session))
    sent = repr(UploadState.search_owners.fn(state, "someone"))
    assert state.owner_choices == [] and "someone-else" not in sent
