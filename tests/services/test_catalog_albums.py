"""Music albums in the catalog: the editor's artist, album, disc and track fields; songs grouped per
publisher, artist and album name (ignoring case); disc and track order; only what the viewer may see
(never another reseller's album); catalog search finds artists and albums (both databases)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from mediashare.errors import NotFound, ValidationFailed
from mediashare.models import Role
from mediashare.services import catalog, catalog_albums, ledger
from tests.factories import make_user
from tests.services.test_catalog import publish, video
from tests.services.test_catalog_queue import song


@pytest.fixture
def shelf(session: Session, tmp_path: Path) -> dict:
    """An admin's two-disc album (published out of order, its name typed in two cases), a single, a
    reseller's album for its customer and another reseller's album of the same name."""
    admin = make_user(session, role=Role.ADMIN)
    reseller_a, reseller_b = make_user(session, role=Role.RESELLER), make_user(session, role=Role.RESELLER)
    customer = make_user(session, parent=reseller_a)
    blue = {"artist": "Miles Davis", "album": "Kind of Blue"}
    songs = {
        "so_what": song(session, admin, tmp_path, "So What", track_number="1", **blue),
        "blue_green": song(session, admin, tmp_path, "Blue in Green", track_number="3", artist="miles  davis",
                           album="KIND OF BLUE"),
        "bonus": song(session, admin, tmp_path, "Bonus Take", disc_number="2", track_number="1", **blue),
        "freddie": song(session, admin, tmp_path, "Freddie Freeloader", track_number="2", **blue),
        "unnumbered": song(session, admin, tmp_path, "Alternate", **blue),
        "single": song(session, admin, tmp_path, "Single Song", artist="Miles Davis"),
        "ours": song(session, reseller_a, tmp_path, "Our Tune", artist="House Band", album="Kind of Blue"),
        "theirs": song(session, reseller_b, tmp_path, "Their Tune", artist="Other Band", album="Secret Album"),
    }
    return {"admin": admin, "a": reseller_a, "b": reseller_b, "customer": customer, **songs}


def titles(found: catalog_albums.Album) -> list[str]:
    return [card.entry.title for card in found.tracks]


def test_an_album_lists_its_songs_in_disc_and_track_order_whatever_the_case_they_were_typed_in(
        session: Session, shelf: dict) -> None:
    key = shelf["so_what"].album_key
    assert key and shelf["blue_green"].album_key == key and shelf["single"].album_key is None
    found = catalog_albums.album(session, viewer=shelf["customer"], key=key)
    assert (found.title, found.artist) == ("Kind of Blue", "Miles Davis")
    assert titles(found) == ["So What", "Freddie Freeloader", "Blue in Green", "Alternate", "Bonus Take"]
    assert found.discs == 2 and found.cover.entry.title == "So What"
    assert found.seconds == pytest.approx(sum(c.item.duration_seconds for c in found.tracks))
    assert found.seconds > 0
    assert catalog_albums.track_ids(session, viewer=shelf["customer"], key=key) == [c.entry.id for c in found.tracks]


def test_albums_are_per_publisher_and_another_resellers_album_is_not_found(session: Session, shelf: dict) -> None:
    customer = shelf["customer"]
    # the same album name by the reseller is a different album
    assert shelf["ours"].album_key != shelf["so_what"].album_key
    listed = catalog_albums.albums(session, viewer=customer)
    assert [(a.title, a.artist, len(a.tracks)) for a in listed] == [("Kind of Blue", "House Band", 1),
                                                                    ("Kind of Blue", "Miles Davis", 5)]
    theirs = shelf["theirs"].album_key
    for viewer in (customer, shelf["a"]):
        with pytest.raises(NotFound, match="album is not in the catalog"):
            catalog_albums.album(session, viewer=viewer, key=theirs)
    assert [a.title for a in catalog_albums.albums(session, viewer=shelf["b"])] == ["Secret Album", "Kind of Blue"]
    for bad in ("", "x" * 20, shelf["so_what"].album_key.upper(), 12, None, "0" * 20):
        with pytest.raises(NotFound):
            catalog_albums.album(session, viewer=customer, key=bad)  # type: ignore[arg-type]


def test_unpublished_songs_leave_the_album_and_the_last_one_takes_the_album_with_it(
        session: Session, shelf: dict) -> None:
    admin, customer, key = shelf["admin"], shelf["customer"], shelf["so_what"].album_key
    catalog.unpublish(session, actor=admin, entry_id=shelf["so_what"].id)
    found = catalog_albums.album(session, viewer=customer, key=key)
    assert titles(found)[0] == "Freddie Freeloader" and found.cover.entry.title == "Freddie Freeloader"
    for name in ("blue_green", "bonus", "freddie", "unnumbered"):
        catalog.unpublish(session, actor=admin, entry_id=shelf[name].id)
    with pytest.raises(NotFound):
        catalog_albums.album(session, viewer=customer, key=key)
    assert [a.artist for a in catalog_albums.albums(session, viewer=customer)] == ["House Band"]


def test_editing_a_song_moves_it_between_albums_and_a_film_keeps_no_music_fields(
        session: Session, shelf: dict, tmp_path: Path) -> None:
    admin, customer = shelf["admin"], shelf["customer"]
    single = shelf["single"]
    entry = catalog.update(session, actor=admin, entry_id=single.id,
                           values={**catalog.form_values(single), "album": " kind   of blue ", "track_number": "4"})
    assert entry.album == "kind of blue" and entry.album_key == shelf["so_what"].album_key
    assert "Single Song" in titles(catalog_albums.album(session, viewer=customer, key=entry.album_key))
    film = catalog.update(session, actor=admin, entry_id=single.id, values={**catalog.form_values(entry),
                                                                          "kind": "film"})
    assert (film.artist, film.album, film.track_number, film.album_key) == ("", "", None, None)
    other = publish(session, admin, video(session, admin, tmp_path), title="A film", price=0, artist="Nobody",
                    album="Nothing", track_number="abc")  # fields of another kind are not even read
    assert (other.artist, other.album_key) == ("", None)


@pytest.mark.parametrize(("values", "message"), [
    ({"track_number": "0"}, "track number must be from 1 to 999"),
    ({"track_number": "1000"}, "track number must be from 1 to 999"),
    ({"track_number": "two"}, "track number must be a whole number"),
    ({"track_number": "2.5"}, "track number must be a whole number"),
    ({"disc_number": "100"}, "disc number must be from 1 to 99"),
    ({"artist": "a" * 201}, "artist can be at most 200 characters"),
    ({"album": "b" * 201}, "album can be at most 200 characters"),
    ({"album": ["not", "text"]}, "album must be text"),
])
def test_bad_music_fields_are_refused_with_a_clear_message_and_change_nothing(
        session: Session, shelf: dict, values: dict, message: str) -> None:
    entry = shelf["so_what"]
    before = catalog.form_values(entry)
    with pytest.raises(ValidationFailed, match=message) as raised:
        catalog.update(session, actor=shelf["admin"], entry_id=entry.id, values={**before, **values})
    assert raised.value.field in values  # type: ignore[attr-defined]
    session.expire_all()
    assert catalog.form_values(session.get(type(entry), entry.id)) == before


def test_catalog_search_finds_songs_and_albums_by_artist_and_album_name(session: Session, shelf: dict) -> None:
    customer = shelf["customer"]

    def found(query: str) -> set[str]:
        return {card.entry.title for card in catalog.browse(session, viewer=customer, query=query)}

    assert found("davis") == {"So What", "Blue in Green", "Bonus Take", "Freddie Freeloader", "Alternate",
                              "Single Song"}
    assert found("kind blue") == {"So What", "Blue in Green", "Bonus Take", "Freddie Freeloader", "Alternate",
                                  "Our Tune"}
    assert found("secret album") == set()  # another reseller's
    assert [a.artist for a in catalog_albums.albums(session, viewer=customer, query="house")] == ["House Band"]
    assert [a.artist for a in catalog_albums.albums(session, viewer=customer, query="freeloader")] == ["Miles Davis"]
    assert catalog_albums.albums(session, viewer=customer, query="secret") == []


def test_a_priced_song_on_an_album_still_costs_its_play_window(session: Session, shelf: dict, tmp_path: Path) -> None:
    admin, customer = shelf["admin"], shelf["customer"]
    priced = song(session, admin, tmp_path, "Paid Track", artist="Miles Davis", album="Kind of Blue",
                  track_number="5", price=2)
    ledger.grant(session, actor=None, to=customer, amount=5, reference="gift")
    assert "Paid Track" in titles(catalog_albums.album(session, viewer=customer, key=priced.album_key))
    assert catalog.start_play(session, actor=customer, entry_id=priced.id).charged == 2
    assert catalog.start_play(session, actor=customer, entry_id=priced.id).charged == 0
    assert ledger.balance(session, user=customer) == 3
