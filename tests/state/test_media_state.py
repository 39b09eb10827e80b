"""The media detail state, called the way any browser could: ids and numbers of every shape."""

from __future__ import annotations

import math

import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.models import MediaItem, User
from mediashare.services import auth, media
from mediashare.state.media import HistoryState, MediaState
from tests.factories import PASSWORD, make_user
from tests.services.test_media import stored


def _state(cls, session: Session, user: User, media_id: object):
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({
        "headers": {"cookie": f"{routes.SESSION_COOKIE}={token}"},
        "pathname": f"/media/{media_id}", "query": {"media_id": media_id},
    })
    return root.get_substate(cls.get_full_name().split(".")[1:])


def test_load_fills_signed_urls_and_metadata_for_the_owner(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, "IMG_1.jpg")
    state = _state(MediaState, session, owner, str(item.id))
    MediaState.load.fn(state)
    assert not state.missing and state.item_id == item.id and state.title == "IMG_1"
    assert state.preview_url.startswith(f"/api/media/{item.id}/preview?t=")
    assert {row.label for row in state.meta} >= {"Camera", "Taken", "SHA-256", "Dimensions"}
    assert [entry.item.id for entry in media.history(session, actor=owner)] == [item.id]


def test_load_shows_not_found_for_strangers_and_odd_ids(session: Session) -> None:
    item = stored(session, make_user(session))
    stranger = make_user(session)
    for raw in (str(item.id), "0", "-1", "1e3", "../1", "", "9" * 40):
        state = _state(MediaState, session, stranger, raw)
        MediaState.load.fn(state)
        assert state.missing and state.item_id == 0 and state.original_url == ""


def test_positions_and_details_from_the_browser_are_validated(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, "photo.jpg")
    state = _state(MediaState, session, owner, str(item.id))
    MediaState.load.fn(state)
    MediaState.save_position.fn(state, math.nan, {"x": 1})  # a photo: ignored, no error
    result = MediaState.save_details.fn(state, {"title": ["not text"], "description": ""})
    assert "must be text" in repr(result)
    MediaState.save_details.fn(state, {"title": "New name", "description": "ok"})
    session.expire_all()
    assert session.get(MediaItem, item.id).title == "New name"


def test_history_rows_link_to_the_detail_page(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, "photo.jpg")
    media.record_view(session, actor=owner, media_id=item.id)
    state = _state(HistoryState, session, owner, "")
    HistoryState.load.fn(state)
    assert [row.href for row in state.recent] == [f"/media/{item.id}"] and state.unfinished == []


def test_the_detail_page_says_which_edited_version_it_shows(session: Session) -> None:
    import json

    from mediashare.jobs import queue
    from mediashare.services import studio_versions

    owner = make_user(session)
    item = stored(session, owner, "edited.jpg")
    state = _state(MediaState, session, owner, str(item.id))
    MediaState.load.fn(state)
    assert state.edited_label == ""
    for _ in range(2):
        studio_versions.save_version(session, owner, item.id, json.dumps([{"op": "tone", "mode": "sepia"}]))
    queue.drain_local()
    second = studio_versions.list_versions(session, owner, item.id)[0]
    studio_versions.set_current(session, owner, item.id, second.id)
    MediaState.load.fn(state)
    assert state.edited_label == "Edited · version 2"
