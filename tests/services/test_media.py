"""Viewing media: who sees what, details, byte files, playback positions and history (both databases)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from sqlmodel import Session, select

from mediashare.errors import NotFound, ValidationFailed
from mediashare.jobs import queue
from mediashare.models import AuditEvent, MediaItem, Role, User, utc_now
from mediashare.services import media, signed_urls
from tests.factories import make_user
from tests.media_files import jpeg_bytes, mp4_file
from tests.services.test_ingest import _upload


def stored(session: Session, owner: User, filename: str = "a.jpg", data: bytes | None = None) -> MediaItem:
    """A real item of `owner`'s, received, stored and with its derivatives made."""
    outcome = _upload(session, owner, filename, data if data is not None else jpeg_bytes(seed=len(filename)))
    queue.drain_local()
    session.expire_all()
    return session.get(MediaItem, outcome.media_id)


def test_owners_and_their_managers_see_an_item_strangers_get_not_found(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    owner = make_user(session, parent=reseller)
    stranger = make_user(session)
    item = stored(session, owner)
    assert media.viewable(session, actor=owner, media_id=item.id).id == item.id
    assert media.viewable(session, actor=reseller, media_id=item.id).id == item.id
    for actor, media_id in ((stranger, item.id), (owner, item.id + 999), (owner, "1"), (owner, True), (owner, -3)):
        with pytest.raises(NotFound, match="does not exist"):
            media.viewable(session, actor=actor, media_id=media_id)


def test_trashed_items_are_hidden_unless_asked_for(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    item.trashed_at = utc_now()
    session.commit()
    with pytest.raises(NotFound):
        media.viewable(session, actor=owner, media_id=item.id)
    assert media.viewable(session, actor=owner, media_id=item.id, include_trashed=True).id == item.id
    with pytest.raises(NotFound):
        media.viewable(session, actor=make_user(session), media_id=item.id, include_trashed=True)


def test_details_are_validated_trimmed_and_audited(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    media.update_details(session, actor=owner, media_id=item.id, title="  Beach   day ", description=" Sun\r\n")
    session.expire_all()
    item = session.get(MediaItem, item.id)
    assert (item.title, item.description) == ("Beach day", "Sun")
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "media.updated")).one()
    assert event.details == {"media_id": item.id, "fields": ["title", "description"]}
    with pytest.raises(ValidationFailed, match="at most 200"):
        media.update_details(session, actor=owner, media_id=item.id, title="x" * 201, description="")
    with pytest.raises(ValidationFailed):
        media.update_details(session, actor=owner, media_id=item.id, title={"a": 1}, description="")
    with pytest.raises(NotFound):
        media.update_details(session, actor=make_user(session), media_id=item.id, title="mine", description="")


def test_neighbours_follow_the_library_order(session: Session) -> None:
    owner = make_user(session)
    items = [stored(session, owner, f"{name}.jpg") for name in ("aa", "bbb", "cccc")]
    for index, item in enumerate(items):
        item.sort_at = utc_now().replace(year=2020 + index)
    session.commit()
    newest, middle, oldest = items[2], items[1], items[0]
    assert media.neighbours(session, actor=owner, media_id=middle.id) == (newest.id, oldest.id)
    assert media.neighbours(session, actor=owner, media_id=newest.id) == (None, middle.id)


def test_serve_finds_each_variant_in_storage(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner, "Sommer Ürlaub.jpg")
    original = media.serve(session, actor=owner, media_id=item.id, variant="original")
    assert original.path.read_bytes()[:2] == b"\xff\xd8" and original.content_type == "image/jpeg"
    assert media.serve(session, actor=owner, media_id=item.id, variant="preview").content_type == "image/webp"
    assert media.serve(session, actor=owner, media_id=item.id, variant="download").download_name == "Sommer Ürlaub.jpg"
    with pytest.raises(NotFound):
        media.serve(session, actor=owner, media_id=item.id, variant="../originals")


def test_the_jpeg_fallback_is_made_once_on_first_request_and_remade_after_new_derivatives(
        session: Session) -> None:
    from PIL import Image

    from mediashare.jobs.media import make_derivatives
    from mediashare.services import ingest

    owner = make_user(session)
    item = stored(session, owner)
    assert item.preview_jpeg_key is None
    first = media.serve(session, actor=owner, media_id=item.id, variant="preview_jpeg")
    assert first.content_type == "image/jpeg"
    with Image.open(first.path) as fallback, \
            Image.open(ingest.storage().path(item.preview_key, area="derived")) as preview:
        assert fallback.format == "JPEG" and fallback.size == preview.size
    again = media.serve(session, actor=owner, media_id=item.id, variant="preview_jpeg")
    assert again.path == first.path and len(list(first.path.parent.glob("*.jpg"))) == 1  # made once

    make_derivatives(item.id)  # e.g. a re-run: the old fallback goes with the old preview
    session.expire_all()
    assert session.get(MediaItem, item.id).preview_jpeg_key is None and not first.path.exists()
    remade = media.serve(session, actor=owner, media_id=item.id, variant="preview_jpeg")
    assert remade.path.is_file() and remade.path != first.path


def test_media_urls_are_signed_for_item_variant_and_viewer(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    url = media.media_url(item, "thumbnail", owner.id)
    assert url.startswith(f"/api/media/{item.id}/thumbnail?t=")
    grant = signed_urls.verify(url.split("t=", 1)[1])
    assert (grant.media_id, grant.variant, grant.viewer_id) == (item.id, "thumbnail", owner.id)


def test_positions_are_saved_clamped_and_offered_for_resuming(session: Session, tmp_path: Path) -> None:
    owner = make_user(session)
    video = stored(session, owner, "clip.mp4", mp4_file(tmp_path / "clip.mp4", frames=300).read_bytes())
    assert media.resume_point(session, actor=owner, media_id=video.id) is None
    for bad in (-1, math.nan, math.inf, "12", None, True):
        assert media.save_position(session, actor=owner, media_id=video.id, position=bad, duration=30) is None
    assert media.save_position(session, actor=owner, media_id=video.id, position=12.5, duration=30.0) == 12.5
    assert media.save_position(session, actor=owner, media_id=video.id, position=14.0, duration=30.0) == 14.0
    assert media.resume_point(session, actor=owner, media_id=video.id) == 14.0
    assert media.save_position(session, actor=owner, media_id=video.id, position=999, duration=30.0) == 30.0
    assert media.resume_point(session, actor=owner, media_id=video.id) is None  # finished
    with pytest.raises(NotFound):
        media.save_position(session, actor=make_user(session), media_id=video.id, position=3, duration=30)


def test_history_lists_recent_views_and_continue_watching(session: Session, tmp_path: Path) -> None:
    owner = make_user(session)
    photo = stored(session, owner, "photo.jpg")
    video = stored(session, owner, "clip.mp4", mp4_file(tmp_path / "clip.mp4", frames=300).read_bytes())
    gone = stored(session, owner, "gone.jpg")
    media.record_view(session, actor=owner, media_id=gone.id)
    media.save_position(session, actor=owner, media_id=video.id, position=10, duration=30)
    media.record_view(session, actor=owner, media_id=photo.id)
    session.get(MediaItem, gone.id).trashed_at = utc_now()
    session.commit()
    entries = media.history(session, actor=owner, limit=10)
    assert [entry.item.id for entry in entries] == [photo.id, video.id]
    assert [entry.unfinished for entry in entries] == [False, True]
    assert [entry.item.id for entry in media.continue_watching(session, actor=owner)] == [video.id]
    assert media.history(session, actor=make_user(session)) == []
