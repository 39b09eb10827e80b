"""Search: every word somewhere in an item's title, file name, description, camera, tags or album titles, kept in
step as those change; with the gallery's date and place filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from mediashare.errors import ValidationFailed
from mediashare.models import MediaItem
from mediashare.services import albums, gallery, media, media_meta, search, tags
from tests.factories import make_user
from tests.media_files import jpeg_bytes
from tests.services.test_gallery import _rows, _walk
from tests.services.test_ingest import _upload


def _found(session: Session, user, q: str, **filters) -> set[int]:
    return set(_walk(session, user, q=q, **filters))


def test_an_uploaded_photo_is_found_by_its_name_its_camera_and_parts_of_words(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    mine = _upload(session, user, "IMG_0042.JPG", jpeg_bytes(640, 480, seed=3)).media_id
    _upload(session, other, "IMG_0042.JPG", jpeg_bytes(640, 480, seed=3))  # someone else's twin: never found
    for q in ("img_0042", "0042", "canon", "CANON eos", "eos canon", "r6 img"):
        assert _found(session, user, q) == {mine}, q
    for q in ("nikon", "canon nikon", "%", "_0042x"):
        assert _found(session, user, q) == set(), q


def test_renaming_describing_and_tagging_are_searchable_at_once(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 4)
    media.update_details(session, actor=user, media_id=items[0].id, title="Sunset at the lake",
                         description="Grandpa's boat, summer 1987")
    tags.add(session, actor=user, ids=[items[0].id, items[1].id], names=["Holiday", "Lake"])
    assert _found(session, user, "lake") == {items[0].id, items[1].id}
    assert _found(session, user, "sun boat") == {items[0].id}
    assert _found(session, user, "holi") == {items[0].id, items[1].id}  # the start of a tag
    assert _found(session, user, "grandpa's") == {items[0].id}
    tags.remove(session, actor=user, ids=[items[1].id], names=["lake", "holiday"])
    assert _found(session, user, "holiday") == {items[0].id}
    media.update_details(session, actor=user, media_id=items[0].id, title="Evening", description="")
    assert _found(session, user, "sunset") == set()
    assert _found(session, user, "holiday evening") == {items[0].id}  # tags survive a rename
    assert session.get(MediaItem, items[0].id).search_text == "evening f0.jpg holiday lake"


def test_date_and_place_filters_combine_with_words(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 6)  # sort_at from 2024-01-01 00:00, two per hour
    media_meta.set_location(session, actor=user, ids=[items[4].id, items[5].id], latitude=1, longitude=2)
    tags.add(session, actor=user, ids=[i.id for i in items], names=["trip"])
    start = datetime(2024, 1, 1, 1, tzinfo=UTC)
    assert _found(session, user, "trip", since=start, until=start + timedelta(hours=1)) == {items[2].id, items[3].id}
    assert _found(session, user, "trip", has_place=True) == {items[4].id, items[5].id}
    assert _found(session, user, "", has_place=False) == {i.id for i in items[:4]}


@pytest.mark.parametrize("q", ["x" * 201, 42])
def test_a_search_that_cannot_be_read_is_refused(session: Session, q: object) -> None:
    with pytest.raises(ValidationFailed):
        gallery.list_page(session, actor=make_user(session), q=q)  # type: ignore[arg-type]


def test_only_the_first_eight_distinct_words_count() -> None:
    assert search.words("a b a c d e f g h i j") == ["a", "b", "c", "d", "e", "f", "g", "h"]


def test_an_item_is_found_by_the_titles_of_its_albums_kept_in_step(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 4)
    wedding = albums.create(session, actor=user, title="Anna's Wedding")
    trip = albums.create(session, actor=user, title="Road trip")
    albums.add_items(session, actor=user, album_id=wedding.id, ids=[items[0].id, items[1].id])
    albums.add_items(session, actor=user, album_id=trip.id, ids=[items[1].id, items[2].id])
    assert _found(session, user, "wedding") == {items[0].id, items[1].id}
    assert _found(session, user, "wedding road") == {items[1].id}  # words from two of its albums
    albums.remove_items(session, actor=user, album_id=wedding.id, ids=[items[0].id])
    assert _found(session, user, "wedding") == {items[1].id}
    albums.update_details(session, actor=user, album_id=trip.id, title="Alps 2024", description="")
    assert _found(session, user, "road") == set()
    assert _found(session, user, "alps") == {items[1].id, items[2].id}
    albums.delete(session, actor=user, album_id=wedding.id)
    assert _found(session, user, "anna") == set()
    assert session.get(MediaItem, items[1].id).search_text == "f1.jpg alps 2024"
