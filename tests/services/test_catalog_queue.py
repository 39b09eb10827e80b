"""The music queue's rules, catalog favorites and the watch history; and that catalog search finds
cast members and genres (both databases)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlmodel import Session, select

from mediashare.errors import InsufficientCredits, NotFound
from mediashare.models import CatalogEntry, MediaItem, PlaybackPosition, Role, User
from mediashare.services import catalog, catalog_history, catalog_import, catalog_queue, gallery, genres, ledger
from mediashare.services.catalog_queue import Queue
from tests.factories import make_user
from tests.media_files import wav_file
from tests.services.test_catalog import publish, video
from tests.services.test_media import stored


def song(session: Session, actor: User, tmp_path: Path, title: str, **values: object) -> CatalogEntry:
    """A published song (each a little longer than the last, so no two files are the same)."""
    seconds = 0.5 + 0.1 * len(list(tmp_path.glob("*.wav")))
    data = wav_file(tmp_path / f"{title}.wav", seconds=seconds).read_bytes()
    item: MediaItem = stored(session, actor, f"{title}.wav", data)
    return publish(session, actor, item, title=title, kind="music", **{"price": 0, **values})


@pytest.fixture
def band(session: Session, tmp_path: Path) -> dict:
    """An admin's two songs and a film, a reseller's song for its customer, another reseller's song."""
    admin = make_user(session, role=Role.ADMIN)
    reseller_a, reseller_b = make_user(session, role=Role.RESELLER), make_user(session, role=Role.RESELLER)
    customer = make_user(session, parent=reseller_a)
    return {"admin": admin, "customer": customer,
            "one": song(session, admin, tmp_path, "One"), "two": song(session, admin, tmp_path, "Two"),
            "film": publish(session, admin, video(session, admin, tmp_path), title="A film", price=0),
            "own": song(session, reseller_a, tmp_path, "Ours"), "other": song(session, reseller_b, tmp_path, "Theirs")}


def test_only_music_the_viewer_may_see_can_be_queued(session: Session, band: dict) -> None:
    customer = band["customer"]
    ids = [band[k].id for k in ("two", "other", "film", "one", "own", "two")]
    assert [c.entry.title for c in catalog_queue.tracks(session, viewer=customer, entry_ids=ids)] == \
        ["Two", "One", "Ours"]
    for key in ("other", "film"):
        with pytest.raises(NotFound, match="not in the catalog"):
            catalog_queue.track(session, viewer=customer, entry_id=band[key].id)
    catalog.unpublish(session, actor=band["admin"], entry_id=band["two"].id)
    assert [c.entry.title for c in catalog_queue.tracks(session, viewer=customer, entry_ids=ids)] == ["One", "Ours"]
    assert {c.entry.title for c in catalog_queue.group(session, viewer=customer, key="music")} == {"One", "Ours"}
    with pytest.raises(NotFound):
        catalog_queue.group(session, viewer=customer, key="genre-999999")


def test_queue_orders_play_now_next_end_remove_and_shuffle() -> None:
    queue = catalog_queue.insert(Queue(), 1, mode="end")
    assert queue == Queue((1,), 0)  # an empty queue starts with what is added
    queue = catalog_queue.insert(queue, 2, mode="end")
    queue = catalog_queue.insert(queue, 3, mode="next")
    assert queue == Queue((1, 3, 2), 0)
    queue = catalog_queue.insert(queue, 2, mode="now")
    assert queue == Queue((1, 2, 3), 1)
    assert catalog_queue.keep(queue, [1, 3]) == Queue((1, 3), 1)  # the current one went: the next plays
    assert catalog_queue.remove(queue, 0) == Queue((2, 3), 0)
    big = Queue(tuple(range(1, 21)), 4)
    mixed = catalog_queue.shuffled(big, random.Random(3))
    assert mixed.current == 5 and mixed.index == 0 and sorted(mixed.ids) == list(big.ids) and mixed.ids != big.ids
    assert catalog_queue.unshuffled(mixed, list(big.ids)) == big


def test_a_priced_track_is_charged_once_per_window_like_a_video(session: Session, band: dict, tmp_path: Path) -> None:
    customer = band["customer"]
    priced = song(session, band["admin"], tmp_path, "Paid", price=2)
    with pytest.raises(InsufficientCredits):
        catalog.start_play(session, actor=customer, entry_id=priced.id)
    assert catalog_history.history(session, viewer=customer) == []  # nothing played, nothing recorded
    ledger.grant(session, actor=None, to=customer, amount=5, reference="gift")
    for _ in range(3):
        catalog.start_play(session, actor=customer, entry_id=priced.id)
    assert ledger.balance(session, user=customer) == 3
    (line,) = catalog_history.history(session, viewer=customer)
    assert line.card.entry.title == "Paid" and line.plays == 3


def test_favorites_are_apart_from_my_list_and_only_for_visible_entries(session: Session, band: dict) -> None:
    customer = band["customer"]
    catalog_history.set_favorite(session, actor=customer, entry_id=band["one"].id, on=True)
    catalog_history.set_favorite(session, actor=customer, entry_id=band["one"].id, on=True)  # twice: once
    catalog_history.set_favorite(session, actor=customer, entry_id=band["film"].id, on=True)
    assert [c.entry.title for c in catalog_history.favorites(session, viewer=customer)] == ["A film", "One"]
    assert catalog.watchlist(session, viewer=customer) == []
    with pytest.raises(NotFound):
        catalog_history.set_favorite(session, actor=customer, entry_id=band["other"].id, on=True)
    catalog_history.set_favorite(session, actor=customer, entry_id=band["film"].id, on=False)
    assert catalog_history.favorite_ids(session, user=customer, entry_ids=[band["one"].id, band["film"].id]) == \
        {band["one"].id}
    catalog.unpublish(session, actor=band["admin"], entry_id=band["one"].id)
    assert catalog_history.favorites(session, viewer=customer) == []


def test_history_lists_what_was_played_how_far_and_can_be_cleared(session: Session, band: dict) -> None:
    customer, other = band["customer"], make_user(session)
    for key in ("one", "own", "two"):
        catalog.start_play(session, actor=customer, entry_id=band[key].id)
    catalog.start_play(session, actor=other, entry_id=band["one"].id)
    catalog.save_position(session, actor=customer, entry_id=band["one"].id, position=0.5, duration=1.0)
    lines = catalog_history.history(session, viewer=customer)
    assert [line.card.entry.title for line in lines] == ["Two", "Ours", "One"]
    assert lines[2].position_seconds == 0.5 and lines[0].position_seconds is None
    catalog.start_play(session, actor=customer, entry_id=band["one"].id)  # again: back on top
    assert catalog_history.history(session, viewer=customer)[0].plays == 2
    catalog_history.forget(session, actor=customer, entry_id=band["one"].id)
    assert [line.card.entry.title for line in catalog_history.history(session, viewer=customer)] == ["Two", "Ours"]
    positions = select(PlaybackPosition).where(PlaybackPosition.user_id == customer.id)
    assert session.exec(positions).all() == []  # how far: forgotten too
    with pytest.raises(NotFound, match="not in your history"):
        catalog_history.forget(session, actor=customer, entry_id=band["one"].id)
    assert catalog_history.forget_all(session, actor=customer) == 2
    assert catalog_history.history(session, viewer=customer) == []
    assert [line.card.entry.title for line in catalog_history.history(session, viewer=other)] == ["One"]


def test_catalog_search_finds_cast_members_and_genres(session: Session, band: dict) -> None:
    admin, customer = band["admin"], band["customer"]
    catalog.update(session, actor=admin, entry_id=band["film"].id, values={"title": "A film",
                                                                           "cast": "Björk Guðmundsdóttir, Ann Lee"})
    jazz = genres.create(session, actor=admin, name="Smooth Jazz")
    catalog_import.set_genres(session, actor=admin, entry_id=band["one"].id, genre_ids=[str(jazz.id)])

    def found(query: str) -> list[str]:
        return sorted(card.entry.title for card in catalog.browse(session, viewer=customer, query=query))

    assert found("ann") == ["A film"]
    assert found("björk") == ["A film"]
    assert found("jazz") == ["One"]
    assert found("smooth one") == ["One"]
    assert found("jazz film") == []


def test_the_search_box_finds_items_by_genre_and_follows_renames(session: Session, band: dict) -> None:
    admin = band["admin"]
    item_id = band["one"].media_id

    def found(query: str) -> list[int]:
        return [card.id for card in gallery.list_page(session, actor=admin, q=query).cards]

    chill = genres.create(session, actor=admin, name="Chillwave")
    catalog_import.set_genres(session, actor=admin, entry_id=band["one"].id, genre_ids=[str(chill.id)])
    assert found("chillwave") == [item_id]
    genres.rename(session, actor=admin, genre_id=chill.id, name="Lo-fi")
    assert found("chillwave") == [] and found("lo-fi") == [item_id]
    genres.delete(session, actor=admin, genre_id=chill.id)
    assert found("lo-fi") == []
