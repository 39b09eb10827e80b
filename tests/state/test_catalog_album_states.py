"""Music albums through the handlers a browser calls: the editor's artist/album/track fields, the
album page, the Music row, and Play album / Shuffle / Add album to queue in the mini-player."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from mediashare import routes
from mediashare.models import CatalogEntry, Role
from mediashare.services import catalog
from mediashare.state.catalog import CatalogEditorState, CatalogEntryState, CatalogState
from mediashare.state.catalog_albums import CatalogAlbumState, clock, total_length
from mediashare.state.catalog_music import MusicQueueState
from tests.factories import make_user
from tests.media_files import wav_file
from tests.services.test_catalog_queue import song
from tests.services.test_media import stored
from tests.state.test_credits_state import _state


def _said(result: object) -> str:
    return repr(result)


def _album_page(session: Session, user, key: str) -> CatalogAlbumState:
    page = _state(session, user, CatalogAlbumState, routes.catalog_album_url(key))
    page.router.page.params["album_key"] = key
    CatalogAlbumState.load.fn(page)
    return page


def test_the_editor_fills_saves_and_keeps_the_music_fields_and_refuses_a_bad_track(
        session: Session, tmp_path: Path) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    item = stored(session, reseller, "tune.wav", wav_file(tmp_path / "tune.wav").read_bytes())
    editor = _state(session, reseller, CatalogEditorState, f"/media/{item.id}")
    CatalogEditorState.open_for_media.fn(editor, item.id)
    assert editor.kind == "music" and {"artist", "album", "track_number", "disc_number"} <= set(editor.values)
    form = {"title": "Tune", "price": "0", "artist": "  The  Band ", "album": "First Record", "track_number": "2"}
    said = _said(CatalogEditorState.submit.fn(editor, form))
    assert "Published" in said and not editor.open
    entry = session.get(CatalogEntry, editor.entry_id)
    assert (entry.artist, entry.album, entry.track_number, entry.disc_number) == ("The Band", "First Record", 2, None)

    CatalogEditorState.open_for_entry.fn(editor, entry.id)
    assert (editor.values["artist"], editor.values["track_number"], editor.values["disc_number"]) == \
        ("The Band", "2", "")
    said = _said(CatalogEditorState.submit.fn(editor, {**editor.values, "track_number": "1000"}))
    assert "track number must be from 1 to 999" in said and editor.open  # the dialog stays, with what was typed
    session.expire_all()
    assert session.get(CatalogEntry, entry.id).track_number == 2


def test_customers_see_the_album_page_in_track_order_and_other_resellers_customers_do_not(
        session: Session, tmp_path: Path) -> None:
    reseller, other = make_user(session, role=Role.RESELLER), make_user(session, role=Role.RESELLER)
    customer, stranger = make_user(session, parent=reseller), make_user(session, parent=other)
    record = {"artist": "The Band", "album": "First Record"}
    second = song(session, reseller, tmp_path, "Second", track_number="2", price=3, **record)
    first = song(session, reseller, tmp_path, "First", track_number="1", **record)
    song(session, reseller, tmp_path, "Guest", track_number="3", **{**record, "artist": "Guest Star"})
    loose = song(session, reseller, tmp_path, "Loose Single", artist="The Band")
    # the guest's song has another artist, so it is on another album of the same name
    key = first.album_key
    assert second.album_key == key

    page = _album_page(session, customer, key)
    assert (page.missing, page.title, page.artist) == (False, "First Record", "The Band")
    assert [(t.number, t.title, t.price) for t in page.tracks] == [("1", "First", ""), ("2", "Second", "3 credits")]
    assert all(t.duration.count(":") == 1 for t in page.tracks) and page.summary.startswith("2 songs · ")
    for outsider in (stranger, other):
        blocked = _album_page(session, outsider, key)
        assert blocked.missing and blocked.tracks == [] and blocked.title == ""
    assert _album_page(session, customer, "not-a-key").missing

    detail = _state(session, customer, CatalogEntryState, f"/catalog/{first.id}")
    detail.router.page.params["entry_id"] = str(first.id)
    CatalogEntryState.load.fn(detail)
    assert (detail.artist, detail.album, detail.track_label) == ("The Band", "First Record", "Track 1")
    assert detail.album_link == routes.catalog_album_url(key)

    home = _state(session, customer, CatalogState, routes.CATALOG)
    CatalogState.load.fn(home)
    music = next(row for row in home.rows if row.key == "music")
    guest_key = catalog.album_key(reseller.id, "Guest Star", "First Record")
    assert [(t.title, t.subtitle, t.href) for t in music.tiles] == [  # albums, newest first, then singles
        ("First Record", "Guest Star · 1 song", routes.catalog_album_url(guest_key)),
        ("First Record", "The Band · 2 songs", routes.catalog_album_url(key)),
        ("Loose Single", "The Band", f"/catalog/{loose.id}"),
    ]
    CatalogState.search.fn(home, {"query": "band"})
    assert [t.subtitle for t in home.albums] == ["The Band · 2 songs"]
    assert {t.title for t in home.grid} == {"First", "Second", "Loose Single"}


def test_play_album_shuffle_and_add_album_to_queue(session: Session, tmp_path: Path) -> None:
    admin = make_user(session, role=Role.ADMIN)
    listener = make_user(session)
    record = {"artist": "Quartet", "album": "Suite"}
    tracks = [song(session, admin, tmp_path, f"Part {n}", track_number=str(n), **record) for n in (3, 1, 2)]
    by_number = sorted(tracks, key=lambda e: e.track_number)
    ids = [entry.id for entry in by_number]
    extra = song(session, admin, tmp_path, "Encore")
    key = tracks[0].album_key
    player = _state(session, listener, MusicQueueState, routes.catalog_album_url(key))

    MusicQueueState.play_album.fn(player, key)
    assert player._queue == ids and player.index == 0 and not player.shuffle
    assert (player.now_title, player.now_artist, player.now_subtitle) == ("Part 1", "Quartet", "Suite")
    assert player.now_album_href == routes.catalog_album_url(key) and player.stream_url
    MusicQueueState.ended.fn(player, 30.0, 30.0)  # auto-advance in album order
    assert player.now_title == "Part 2"

    MusicQueueState.play_album.fn(player, key, ids[2])  # a track's play button: the album from that song
    assert player._queue == ids and player.now_title == "Part 3"
    assert "not on this album" in _said(MusicQueueState.play_album.fn(player, key, extra.id))
    assert "not in the catalog" in _said(MusicQueueState.play_album.fn(player, "f" * 20))
    assert "not in the catalog" in _said(MusicQueueState.play_album.fn(player, {"key": key}))
    assert player._queue == ids and player.now_title == "Part 3"  # refusals leave the queue alone

    MusicQueueState.shuffle_album.fn(player, key)
    assert player.shuffle and sorted(player._queue) == sorted(ids) and player.index == 0

    MusicQueueState.clear_queue.fn(player)
    MusicQueueState.play_now.fn(player, extra.id)
    said = _said(MusicQueueState.queue_album.fn(player, key))
    assert "3 songs added to the queue" in said
    assert player._queue[0] == extra.id and sorted(player._queue[1:]) == sorted(ids)
    assert player.now_title == "Encore"  # still playing what it played
    MusicQueueState.toggle_shuffle.fn(player)  # shuffle off: back to the album's order after the encore
    assert player._queue == [extra.id, *ids]

    MusicQueueState.clear_queue.fn(player)
    MusicQueueState.queue_album.fn(player, key)  # nothing was queued: the album starts
    assert player._queue == ids and player.now_title == "Part 1"


def test_lengths_read_like_a_player() -> None:
    assert [clock(s) for s in (None, 0, 7.4, 187, 3723)] == ["", "", "0:07", "3:07", "1:02:03"]
    assert [total_length(s) for s in (0, 40, 61, 2520, 3900)] == ["", "40 s", "1 min", "42 min", "1 h 5 min"]
