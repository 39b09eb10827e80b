"""The studio state, called the way any browser could: other people's photos, odd ids and values,
and the edit loop (slider, preset, crop, undo/redo, reset) producing new previews of the right ops."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session, select

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.imaging.presets import PRESETS
from mediashare.models import MediaVersion, User
from mediashare.services import auth, studio_preview
from mediashare.state.studio import StudioState
from tests.factories import PASSWORD, make_user
from tests.media_files import jpeg_bytes
from tests.services.test_media import stored


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    studio_preview.forget_all()
    yield
    studio_preview.forget_all()


def _state(session: Session, user: User, media_id: object) -> StudioState:
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({
        "headers": {"cookie": f"{routes.SESSION_COOKIE}={token}"},
        "pathname": f"/studio/{media_id}", "query": {"media_id": media_id},
    })
    return root.get_substate(StudioState.get_full_name().split(".")[1:])


def _run(coroutine):
    return asyncio.run(coroutine)


def test_strangers_and_odd_ids_get_not_found_and_no_preview(session: Session) -> None:
    item = stored(session, make_user(session))
    stranger = make_user(session)
    for raw in (str(item.id), "0", "-1", "1e3", "../1", "", "9" * 40):
        state = _state(session, stranger, raw)
        _run(StudioState.load.fn(state))
        assert state.missing and state.media_id == 0 and state.preview_url == "" and state.before_url == ""
    state = _state(session, stranger, str(item.id))
    _run(StudioState.load.fn(state))
    state.media_id = item.id  # a forged id in the state changes nothing: the service authorizes
    result = _run(StudioState.slide.fn(state, "brightness.value", [20]))
    assert "does not exist" in repr(result) and state.preview_url == ""
    assert "does not exist" in repr(_run(StudioState.save.fn(state)))
    assert session.exec(select(MediaVersion)).all() == []


def test_the_edit_loop_renders_new_previews_and_undo_redo_reset_walk_the_ops(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, "scan.jpg", jpeg_bytes(1600, 1200))
    state = _state(session, owner, str(item.id))
    _run(StudioState.load.fn(state))
    assert not state.missing and state.preview_url == state.before_url != ""
    assert state.original_label == "1600 × 1200" and state.values["brightness.value"] == 0
    _run(StudioState.apply_preset.fn(state, "restore_old_photo"))
    assert state._ops == PRESETS["restore_old_photo"].ops and state.can_undo
    restored = state.preview_url
    _run(StudioState.slide.fn(state, "brightness.value", [10]))
    _run(StudioState.slide.fn(state, "brightness.value", [25]))
    _run(StudioState.commit_slide.fn(state, "brightness.value", [30]))
    assert state._ops[-1] == {"op": "brightness", "value": 30.0} and state.values["brightness.value"] == 30
    assert state.preview_url != restored
    _run(StudioState.undo.fn(state))  # one drag is one step
    assert state._ops == PRESETS["restore_old_photo"].ops and state.can_redo
    _run(StudioState.redo.fn(state))
    assert state._ops[-1]["op"] == "brightness"
    StudioState.set_mode.fn(state, "crop")
    StudioState.set_crop_box.fn(state, {"x": 0, "y": 0, "width": 600, "height": 600})
    _run(StudioState.apply_crop.fn(state))
    assert state._ops[-1] == {"op": "crop", "x": 0, "y": 0, "w": 800, "h": 800} and state.mode == "adjust"
    assert state.applied == ["Auto levels", "Local contrast", "Smooth", "Sharpen", "Brightness", "Crop"]
    _run(StudioState.remove_edit.fn(state, 1))  # local contrast out, the rest kept in order
    assert [op["op"] for op in state._ops] == ["auto_levels", "bilateral", "sharpen", "brightness", "crop"]
    for index in (-1, 5, "1", True, None):
        assert "not in the list" in repr(_run(StudioState.remove_edit.fn(state, index)))
    _run(StudioState.reset_all.fn(state))
    assert state._ops == [] and state.applied == [] and state.can_undo


def test_values_from_the_browser_are_checked(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    state = _state(session, owner, str(item.id))
    _run(StudioState.load.fn(state))
    for key, value in (("melt.value", [1]), ("brightness.value", ["x"]), ("brightness.value", {"a": 1}),
                       (["brightness.value"], [1]), ("brightness.value", [float("nan")])):
        assert "toast" in repr(_run(StudioState.slide.fn(state, key, value))).lower()
    assert state._ops == []
    _run(StudioState.slide.fn(state, "brightness.value", [1e9]))  # clamped to the slider's range
    assert state._ops == [{"op": "brightness", "value": 100.0}]
    assert "toast" in repr(_run(StudioState.apply_preset.fn(state, "nope"))).lower()
    assert "toast" in repr(_run(StudioState.flip.fn(state, "diagonal"))).lower()
    assert "toast" in repr(StudioState.set_mode.fn(state, "paint-it-black")).lower()
    StudioState.set_mode.fn(state, "crop")
    StudioState.set_crop_box.fn(state, {"x": -50, "y": 0, "width": 10, "height": 10})
    assert "outside the picture" in repr(_run(StudioState.apply_crop.fn(state)))
    strokes = [{"points": [[10, 10]] * 5000, "radius": 5}]
    assert "too much" in repr(_run(StudioState.apply_strokes.fn(state, strokes)))
    assert state._ops == [{"op": "brightness", "value": 100.0}]
