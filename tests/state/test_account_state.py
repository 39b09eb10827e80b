"""The avatar upload handler, called the way any browser could call it: with fake "files", without
a session, with an oversized file, and properly."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.models import User
from mediashare.services import auth
from mediashare.state.account import AVATAR_MAX_BYTES, AccountState
from tests.factories import PASSWORD, make_user
from tests.services.test_avatars import picture


def _account_state(cookie: str = "") -> AccountState:
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": {"cookie": cookie}, "pathname": routes.ACCOUNT})
    return root.get_substate(AccountState.get_full_name().split(".")[1:])


def _signed_in_state(session: Session, user: User) -> AccountState:
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    return _account_state(f"{routes.SESSION_COOKIE}={token}")


def _upload(state: AccountState, files: Any) -> str:
    """Run the handler like Reflex does; returns everything it sent back, as text."""

    async def run() -> list[Any]:
        return [event async for event in AccountState.upload_avatar.fn(state, files)]

    return " ".join(repr(event) for event in asyncio.run(run()))


def _file(data: bytes, size: int | None = None) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), size=len(data) if size is None else size)


def test_fake_files_sent_over_the_websocket_are_refused(session: Session) -> None:
    user = make_user(session)
    state = _signed_in_state(session, user)
    for files in ([{"name": "x.jpg", "data": "AAAA"}], "x.jpg", [], [_file(picture()), _file(picture())]):
        assert "Choose one picture" in _upload(state, files)
    session.refresh(user)
    assert user.avatar_key is None


def test_an_upload_without_our_session_is_refused_before_reading_it(database_url: str) -> None:
    upload = _file(picture())
    assert "Please sign in to continue." in _upload(_account_state(), [upload])
    assert upload.file.tell() == 0


def test_an_oversized_upload_is_refused_with_its_size(session: Session) -> None:
    user = make_user(session)
    upload = _file(b"\xff\xd8" + b"\0" * 100, size=AVATAR_MAX_BYTES * 2)
    assert "This file is 10 MB; the limit for a profile picture is 5 MB." in _upload(
        _signed_in_state(session, user), [upload])
    assert upload.file.tell() == 0


def test_a_picture_becomes_the_avatar_shown_in_the_top_bar(session: Session) -> None:
    user = make_user(session)
    state = _signed_in_state(session, user)
    assert "Your new picture is saved." in _upload(state, [_file(picture("PNG"))])
    session.refresh(user)
    assert user.avatar_key is not None
    assert state.avatar_url == routes.avatar_url(user.id, user.avatar_key[:12])
