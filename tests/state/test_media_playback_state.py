"""The detail page's player: the playable version when the original does not play in browsers,
"Preparing a playable version… 42%" while it is made, a note after a failure, a quality choice."""

from __future__ import annotations

from sqlmodel import Session

from mediashare.models import MediaRendition, RenditionStatus, Role
from mediashare.services import platform
from mediashare.state.media import MediaState
from tests.factories import make_user
from tests.jobs.test_transcode import _store_original
from tests.state.test_media_state import _state


def _rendition(session: Session, media_id: int, label: str, status: RenditionStatus, **values) -> MediaRendition:
    row = MediaRendition(media_id=media_id, label=label, status=status, **values)
    session.add(row)
    session.commit()
    return row


def _loaded(session: Session, user, media_id: int) -> MediaState:
    state = _state(MediaState, session, user, str(media_id))
    MediaState.load.fn(state)
    return state


def test_progress_is_shown_while_the_playable_version_is_made_then_it_plays(session: Session) -> None:
    owner = make_user(session)
    item = _store_original(session, owner, b"\x1aE\xdf\xa3" + bytes(100), extension="mkv")
    row = _rendition(session, item.id, "playable", RenditionStatus.RUNNING, progress=0.42)
    state = _loaded(session, owner, item.id)
    assert state.preparing and state.prepare_percent == 42 and state.video_url == ""
    assert state.download_url  # the original can be downloaded meanwhile

    row.status, row.storage_key, row.progress = RenditionStatus.READY, "a" * 32 + ".mp4", 1.0
    session.commit()
    state._refresh_playback()
    assert not state.preparing and state.video_url.startswith(f"/api/media/{item.id}/playable?t=")
    assert state.qualities == []  # a single version: no choice to offer


def test_a_failure_shows_why_and_keeps_the_original(session: Session) -> None:
    owner = make_user(session)
    item = _store_original(session, owner, b"\x1aE\xdf\xa3" + bytes(100), extension="mkv")
    _rendition(session, item.id, "playable", RenditionStatus.FAILED, error="Converting took too long.")
    state = _loaded(session, owner, item.id)
    assert not state.preparing and state.can_retry
    assert "Converting took too long." in state.playback_note
    assert state.video_url == state.original_url != ""


def test_several_qualities_can_be_chosen_and_only_those(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    platform.set_value(session, actor=admin, key="transcode_extra_qualities", value=["480p"])
    item = _store_original(session, admin, b"\x1aE\xdf\xa3" + bytes(100), extension="mkv")
    _rendition(session, item.id, "playable", RenditionStatus.READY, storage_key="b" * 32 + ".mp4")
    _rendition(session, item.id, "480p", RenditionStatus.READY, storage_key="c" * 32 + ".mp4")
    state = _loaded(session, admin, item.id)
    assert state.qualities == ["Auto", "480p"] and state.quality == "Auto"
    MediaState.choose_quality.fn(state, "480p")
    assert state.video_url.startswith(f"/api/media/{item.id}/playable-480?t=")
    assert "not available" in repr(MediaState.choose_quality.fn(state, "4K"))
    assert "not available" in repr(MediaState.choose_quality.fn(state, {"x": 1}))
    assert state.quality == "480p"
