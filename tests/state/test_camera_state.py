"""The camera's upload handler, called the way any browser could: only the shots the review strip
kept are stored, forged extra files are dropped, a missing shot stores nothing, no session nothing."""

from __future__ import annotations

import asyncio
import contextlib
import io
from typing import Any

import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session, select

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.models import MediaItem, User
from mediashare.services import albums, auth, ingest
from mediashare.state.camera import CameraState
from tests.factories import PASSWORD, make_user
from tests.media_files import synthetic_photo
from tests.state.test_upload_state import _feed, chunks_of


def _jpeg(seed: int) -> bytes:
    buffer = io.BytesIO()
    synthetic_photo(640, 480, seed=seed).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def _state(session: Session, user: User | None) -> CameraState:
    cookie = ""
    if user is not None:
        token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
        cookie = f"{routes.SESSION_COOKIE}={token}"
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": {"cookie": cookie}, "pathname": routes.CAMERA})
    state = root.get_substate(CameraState.get_full_name().split(".")[1:])
    for shot in (1, 2, 3):
        state.shot_taken({"id": shot, "url": f"blob:http://x/{shot}", "width": 640, "height": 480, "offset": 60})
    return state


def _run(state: CameraState, files: list[tuple[str, bytes]]) -> str:
    async def run() -> list[Any]:
        events: list[Any] = []
        iterator = rx.UploadChunkIterator(maxsize=8)

        async def handler() -> None:
            async for event in CameraState.receive.fn(state, iterator):
                events.append(event)

        task = asyncio.ensure_future(handler())
        iterator.set_consumer_task(task)
        await _feed(iterator, chunks_of(files), cut_after=None)
        with contextlib.suppress(asyncio.CancelledError, RuntimeError):
            await task
        return events

    return " ".join(repr(event) for event in asyncio.run(run()))


def _names(session: Session, user: User) -> list[str]:
    session.expire_all()
    items = session.exec(select(MediaItem).where(MediaItem.owner_id == user.id).order_by(MediaItem.id))
    return [item.original_filename[-6:] for item in items]


def test_only_the_kept_shots_are_stored_and_forged_extras_are_dropped(session: Session) -> None:
    user = make_user(session)
    state = _state(session, user)
    state.toggle_keep(2)  # discarded in the review strip
    assert state.upload_ids == [1, 3]
    sent = _run(state, [("camera-1.jpg", _jpeg(1)), ("camera-2.jpg", _jpeg(2)), ("camera-3.jpg", _jpeg(3)),
                        ("camera-99.jpg", _jpeg(4)), ("../../evil.jpg", _jpeg(5))])
    assert _names(session, user) == ["-1.jpg", "-3.jpg"]
    assert [row.status for row in state.results] == ["stored", "stored"] and state.shots == []
    assert "2 picture(s) added" in sent and not state.uploading
    assert not list(ingest.storage().incoming.iterdir())


def test_a_kept_shot_that_did_not_arrive_stores_nothing(session: Session) -> None:
    user = make_user(session)
    state = _state(session, user)
    sent = _run(state, [("camera-1.jpg", _jpeg(1)), ("camera-3.jpg", _jpeg(3))])
    assert "1 of the shots did not arrive" in sent and _names(session, user) == []
    assert len(state.shots) == 3 and not state.uploading  # still there to try again
    assert not list(ingest.storage().incoming.iterdir())


def test_without_a_session_nothing_is_read_or_stored(session: Session) -> None:
    user = make_user(session)
    state = _state(session, None)
    sent = _run(state, [("camera-1.jpg", _jpeg(1))])
    assert "Please sign in" in sent and _names(session, user) == []
    assert not ingest.storage().incoming.exists()  # not a byte was written


def test_a_shot_report_from_the_browser_is_checked(session: Session) -> None:
    state = _state(session, make_user(session))
    for forged in ({"id": 9, "url": "javascript:alert(1)", "width": 1, "height": 1},
                   {"id": "9", "url": "blob:x", "width": 1, "height": 1}, {"id": True}, "not a dict"):
        state.shot_taken(forged)  # type: ignore[arg-type]
    assert [shot.id for shot in state.shots] == [1, 2, 3]
    assert state.shots[0].offset == 60


def test_only_ones_own_albums_can_be_chosen_and_the_choice_is_remembered(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    parent = albums.create(session, actor=user, title="Parties")
    inner = albums.create(session, actor=user, title="Anna 30", parent_id=parent.id)
    theirs = albums.create(session, actor=other, title="Theirs")
    state = _state(session, user)
    state._list_albums()
    assert [(o.value, o.label) for o in state.album_options] == [(str(parent.id), "Parties"),
                                                                 (str(inner.id), "Parties / Anna 30")]
    for forged in (str(theirs.id), "12345678", 7, None, "new "):
        state.choose_album(forged)
        assert state.album_choice == ""
    state.choose_album(str(inner.id))
    sent = _run(state, [("camera-1.jpg", _jpeg(1)), ("camera-2.jpg", _jpeg(2)), ("camera-3.jpg", _jpeg(3))])
    assert "to the album Anna 30" in sent and state.result_album == "Anna 30"
    assert albums.info(session, actor=user, album_id=inner.id).count == 3
    assert state.album_choice == str(inner.id)  # the next shots go there too
    assert albums.info(session, actor=other, album_id=theirs.id).count == 0
