"""The gallery and media admin states: every handler declares who may call it; tiles carry no bytes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from mediashare.models import MediaKind, MediaStatus, Role
from mediashare.services import gallery
from mediashare.state import guard
from mediashare.state.gallery import GalleryState, MediaTile, _tile
from mediashare.state.media_admin import MediaAdminState, MediaTypesState

SIGNED_IN = {"load", "load_trash"}


@pytest.mark.parametrize("state", [GalleryState, MediaAdminState, MediaTypesState], ids=lambda s: s.__name__)
def test_every_handler_declares_a_role(state: type) -> None:
    own = {name: handler for name, handler in state.event_handlers.items()
           if handler.fn.__qualname__.startswith(state.__name__ + ".")}
    assert own, "no handlers found"
    lowest = Role.USER if state is GalleryState else Role.ADMIN
    for name, handler in own.items():
        access = guard.declared_access(handler)
        assert isinstance(access, Role), name
        assert access is (Role.USER if name in SIGNED_IN or name == "load" else lowest), name


def test_a_tile_is_text_and_a_signed_url_and_processing_tiles_have_no_image() -> None:
    moment = datetime(2024, 5, 1, tzinfo=UTC)
    card = gallery.Card(id=7, title="t", filename="t.jpg", kind=MediaKind.IMAGE, status=MediaStatus.READY,
                        has_thumbnail=True, sort_at=moment, uploaded_at=moment, trashed_at=None, size_bytes=1,
                        owner_id=3)
    tile = _tile(card, viewer_id=3)
    assert tile.thumb_url.startswith("/api/media/7/thumbnail?t=") and tile.href == "/media/7"
    assert {field.type for field in dataclasses.fields(MediaTile)} <= {"int", "str", "bool"}
    waiting = _tile(dataclasses.replace(card, status=MediaStatus.STORED, has_thumbnail=False), viewer_id=3)
    assert waiting.processing and waiting.thumb_url == ""
