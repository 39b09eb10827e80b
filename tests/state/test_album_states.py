"""Album states past the gate: the "Add to album…" dialog with another person's items planted in the
gallery's selection, and a suggestion index a browser made up."""

from __future__ import annotations

from sqlmodel import Session, select

from mediashare.models import Album, AlbumItem, Role, User
from mediashare.services import albums
from mediashare.state.albums import AlbumPickerState, AlbumsState, AlbumState
from tests.state.test_foreign_ids import SUCCESS, Check, make_caller, make_peer, refusals


def test_planted_foreign_items_are_not_added_to_the_callers_album(session: Session) -> None:
    peer, caller = make_peer(session, Role.USER), make_caller(session, Role.USER)
    own = albums.create(session, actor=session.get(User, caller.user.id), title="Caller album")
    for planted in ([peer.media["ready"]], list(peer.media.values())):
        state = caller.page(AlbumPickerState, "/gallery")
        state.parent_state.selected = planted
        check = Check(session, peer, state)
        for name, arguments in (("add_to", (own.id,)), ("add_to_new", ({"title": "Planted"},))):
            sent = caller.call(state, name, *arguments)
            check.nothing_happened(f"{name} with {planted}", sent)
            assert refusals(sent) and not SUCCESS.search(sent), sent[:300]
    session.expire_all()
    assert not session.exec(select(AlbumItem)).all() or all(
        row.album_id in peer.albums for row in session.exec(select(AlbumItem)))
    assert [card.title for card in albums.list_albums(session, actor=session.get(User, caller.user.id))] \
        == ["Caller album"]  # no album was created for the refused "new album"


def test_a_made_up_suggestion_index_is_refused(session: Session) -> None:
    caller = make_caller(session, Role.USER)
    state = caller.page(AlbumsState, "/albums")
    for index in (0, -1, 5, True, "0"):
        sent = caller.call(state, "accept", index)
        assert refusals(sent) and not SUCCESS.search(sent)


def test_an_album_cannot_move_into_another_persons_album(session: Session) -> None:
    peer, caller = make_peer(session, Role.USER), make_caller(session, Role.USER)
    own = albums.create(session, actor=session.get(User, caller.user.id), title="Caller album")
    for target in peer.albums:
        state = caller.page(AlbumState, "/albums/0")
        state.album_id = own.id
        check = Check(session, peer, state)
        sent = caller.call(state, "move_into", str(target))
        check.nothing_happened(f"move_into({target})", sent)
        assert refusals(sent) and not SUCCESS.search(sent), sent[:300]
    session.expire_all()
    assert session.get(Album, own.id).parent_id is None
    state = caller.page(AlbumState, "/albums/0")
    state.album_id = own.id
    other = albums.create(session, actor=session.get(User, caller.user.id), title="Caller other")
    assert SUCCESS.search(caller.call(state, "move_into", str(other.id)))  # the same call works for your own
    session.expire_all()
    assert session.get(Album, own.id).parent_id == other.id


def test_an_album_page_loads_more_items_and_its_slideshow_covers_them_all(session: Session) -> None:
    from mediashare.state.albums import PAGE
    from tests.services.test_albums import _big_album

    caller = make_caller(session, Role.USER)
    user = session.get(User, caller.user.id)
    album_id, order = _big_album(session, user, PAGE + 30)
    state = caller.page(AlbumState, "/albums/0")
    state.album_id = album_id
    state._fill()
    assert [tile.id for tile in state.tiles] == order[:PAGE] and state.has_more
    assert not state.tiles[-1].last  # the last item shown is not the album's last: it may move later
    caller.call(state, "open_slideshow")
    assert state.slide_count == PAGE + 30
    caller.call(state, "previous_slide")  # from the first photo back to the album's very last
    assert state.slide == PAGE + 29 and state.slide_title == f"b{0}.jpg" and state.slide_url
    caller.call(state, "load_more")
    assert [tile.id for tile in state.tiles] == order and not state.has_more and state.tiles[-1].last
    caller.call(state, "remove", order[0])  # an edit keeps every item shown
    assert [tile.id for tile in state.tiles] == order[1:] and state.slide_count == PAGE + 29


def test_a_sub_album_is_created_and_the_album_deleted_from_its_page(session: Session) -> None:
    caller = make_caller(session, Role.USER)
    own = albums.create(session, actor=session.get(User, caller.user.id), title="Caller album")
    state = caller.page(AlbumState, "/albums/0")
    state.album_id = own_id = own.id
    state._fill()
    for form, message in (({"title": " "}, "Give the album a title."), ({"title": 7}, "The title must be text.")):
        assert set(refusals(caller.call(state, "create_sub", form))) == {message}
    assert state.subs == []
    sent = caller.call(state, "create_sub", {"title": "Inner"})
    assert SUCCESS.search(sent) and [tile.title for tile in state.subs] == ["Inner"]
    sent = caller.call(state, "delete_album")
    assert SUCCESS.search(sent) and "/albums" in sent and state.missing
    session.expire_all()
    assert session.get(Album, own_id) is None
    assert set(refusals(caller.call(state, "delete_album"))) == {"That album does not exist."}


def test_an_album_page_loads_the_album_in_its_url_and_sends_a_visitor_to_sign_in(session: Session) -> None:
    import reflex as rx
    from reflex.istate.data import RouterData

    caller = make_caller(session, Role.USER)
    own = albums.create(session, actor=session.get(User, caller.user.id), title="Caller album")
    for cookie, value in ((caller.cookie, str(own.id)), (caller.cookie, "nope"), ("", str(own.id))):
        root = rx.State(_reflex_internal_init=True)
        root.router = RouterData.from_router_data({
            "headers": {"cookie": cookie}, "pathname": f"/albums/{value}", "query": {"album_id": value}})
        state = root.get_substate(AlbumState.get_full_name().split(".")[1:])
        sent = repr(AlbumState.event_handlers["load"].fn(state))
        if not cookie:
            assert "/login?next=" in sent and state.title == ""
        elif value == "nope":
            assert state.missing and state.title == ""
        else:
            assert not state.missing and state.title == "Caller album" and state.album_id == own.id
