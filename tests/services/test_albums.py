"""Albums: authorization, nesting without cycles, order, covers, delete semantics, media cleanup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from mediashare.errors import NotFound, ValidationFailed
from mediashare.models import Album, AlbumItem, AuditEvent, MediaItem, MediaKind, Role
from mediashare.services import albums, gallery, media_admin
from tests.factories import make_user
from tests.media_files import jpeg_bytes
from tests.services.test_gallery import _rows
from tests.services.test_media import stored


def _order(session: Session, actor, album_id: int) -> list[int]:
    return [card.id for card in albums.list_items(session, actor=actor, album_id=album_id).cards]


def _positions(session: Session, album_id: int) -> list[int]:
    session.expire_all()
    return list(session.exec(select(AlbumItem.position).where(AlbumItem.album_id == album_id)
                             .order_by(col(AlbumItem.position))))


def test_items_are_added_once_in_order_and_listed_in_pages(session: Session) -> None:
    user = make_user(session)
    items = [item.id for item in _rows(session, user, 7)]
    album = albums.create(session, actor=user, title="  Summer   2024 ", description="Beach")
    assert album.title == "Summer 2024"
    assert albums.add_items(session, actor=user, album_id=album.id, ids=items[:4]) == 4
    assert albums.add_items(session, actor=user, album_id=album.id, ids=[items[2], items[5], items[4]]) == 2
    assert _order(session, user, album.id) == [*items[:4], items[5], items[4]]
    assert _positions(session, album.id) == [0, 1, 2, 3, 4, 5]
    first = albums.list_items(session, actor=user, album_id=album.id, limit=4)
    rest = albums.list_items(session, actor=user, album_id=album.id, after=first.next_after, limit=4)
    assert [c.id for c in first.cards + rest.cards] == _order(session, user, album.id) and rest.next_after is None
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "album.items_added")).all()
    assert [event.details["media_ids"] for event in events] == [items[:4], [items[5], items[4]]]


def test_another_persons_albums_and_items_are_not_found(session: Session) -> None:
    owner, stranger = make_user(session), make_user(session)
    mine = _rows(session, owner, 3)
    theirs = _rows(session, stranger, 2)
    album = albums.create(session, actor=owner, title="Mine")
    albums.add_items(session, actor=owner, album_id=album.id, ids=[mine[0].id])
    for call in (
        lambda: albums.info(session, actor=stranger, album_id=album.id),
        lambda: albums.list_items(session, actor=stranger, album_id=album.id),
        lambda: albums.add_items(session, actor=stranger, album_id=album.id, ids=[theirs[0].id]),
        lambda: albums.remove_items(session, actor=stranger, album_id=album.id, ids=[mine[0].id]),
        lambda: albums.move_item(session, actor=stranger, album_id=album.id, media_id=mine[0].id, position=0),
        lambda: albums.set_cover(session, actor=stranger, album_id=album.id, media_id=mine[0].id),
        lambda: albums.update_details(session, actor=stranger, album_id=album.id, title="x", description=""),
        lambda: albums.delete(session, actor=stranger, album_id=album.id),
        lambda: albums.create(session, actor=stranger, title="In yours", parent_id=album.id),
        lambda: albums.list_albums(session, actor=stranger, owner_id=owner.id),
        lambda: albums.list_albums(session, actor=stranger, parent_id=album.id),
        # the owner cannot put a stranger's item into their own album either
        lambda: albums.add_items(session, actor=owner, album_id=album.id, ids=[theirs[0].id]),
        lambda: albums.set_cover(session, actor=owner, album_id=album.id, media_id=mine[1].id),  # not in it
    ):
        with pytest.raises(NotFound):
            call()
    session.expire_all()
    assert session.get(Album, album.id).title == "Mine" and _order(session, owner, album.id) == [mine[0].id]
    theirs_album = albums.create(session, actor=stranger, title="Theirs")
    with pytest.raises(NotFound):
        albums.move_album(session, actor=owner, album_id=album.id, parent_id=theirs_album.id)


def test_a_manager_works_on_their_customers_albums(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    customer = make_user(session, parent=reseller)
    items = _rows(session, customer, 2)
    album = albums.create(session, actor=reseller, title="For the customer", owner_id=customer.id)
    assert album.owner_id == customer.id
    assert albums.add_items(session, actor=reseller, album_id=album.id, ids=[i.id for i in items]) == 2
    assert [card.id for card in albums.list_albums(session, actor=customer)] == [album.id]


def test_nesting_never_forms_a_cycle(session: Session) -> None:
    user = make_user(session)
    top = albums.create(session, actor=user, title="2024")
    middle = albums.create(session, actor=user, title="Trips", parent_id=top.id)
    leaf = albums.create(session, actor=user, title="Rome", parent_id=middle.id)
    for parent in (top, middle, leaf):
        with pytest.raises(ValidationFailed, match="inside itself"):
            albums.move_album(session, actor=user, album_id=top.id, parent_id=parent.id)
    session.expire_all()
    assert session.get(Album, top.id).parent_id is None
    albums.move_album(session, actor=user, album_id=leaf.id, parent_id=top.id)
    albums.move_album(session, actor=user, album_id=middle.id, parent_id=leaf.id)  # now below Rome: fine
    assert [card.title for card in albums.list_albums(session, actor=user)] == ["2024"]
    assert [card.title for card in albums.list_albums(session, actor=user, parent_id=top.id)] == ["Rome"]
    assert albums.list_albums(session, actor=user)[0].sub_albums == 1
    # top > Rome > Trips: Rome may go nowhere below itself; top only into an unrelated album
    other = albums.create(session, actor=user, title="Other")
    assert [title for _id, title in albums.move_targets(session, actor=user, album_id=leaf.id)] == ["2024", "Other"]
    assert [title for _id, title in albums.move_targets(session, actor=user, album_id=top.id)] == ["Other"]
    with pytest.raises(NotFound):
        albums.move_targets(session, actor=make_user(session), album_id=top.id)
    assert other.id


def test_deleting_an_album_keeps_media_and_moves_sub_albums_up(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 3)
    top = albums.create(session, actor=user, title="Top")
    doomed = albums.create(session, actor=user, title="Doomed", parent_id=top.id)
    child = albums.create(session, actor=user, title="Child", parent_id=doomed.id)
    albums.add_items(session, actor=user, album_id=doomed.id, ids=[i.id for i in items])
    assert albums.delete(session, actor=user, album_id=doomed.id) == 1
    session.expire_all()
    assert session.get(Album, doomed.id) is None and session.get(Album, child.id).parent_id == top.id
    assert all(session.get(MediaItem, item.id) is not None for item in items)
    assert not session.exec(select(AlbumItem).where(AlbumItem.album_id == doomed.id)).all()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "album.deleted")).one()
    assert event.details["title"] == "Doomed"


def test_moving_items_keeps_positions_dense_and_skips_over_trashed_ones(session: Session) -> None:
    user = make_user(session)
    a, b, c, d = (item.id for item in _rows(session, user, 4))
    album = albums.create(session, actor=user, title="Order")
    albums.add_items(session, actor=user, album_id=album.id, ids=[a, b, c, d])
    assert albums.move_item(session, actor=user, album_id=album.id, media_id=d, position=0) == 0
    assert _order(session, user, album.id) == [d, a, b, c]
    assert albums.move_item(session, actor=user, album_id=album.id, media_id=d, position=99) == 3
    assert _order(session, user, album.id) == [a, b, c, d]
    gallery.trash(session, actor=user, ids=[b])  # hidden from the album, still in it
    assert _order(session, user, album.id) == [a, c, d]
    albums.move_item(session, actor=user, album_id=album.id, media_id=d, position=1)  # "move earlier" past c
    assert _order(session, user, album.id) == [a, d, c]
    albums.move_item(session, actor=user, album_id=album.id, media_id=a, position=1)  # "move later" past d
    assert _order(session, user, album.id) == [d, a, c]
    assert _positions(session, album.id) == [0, 1, 2, 3]
    gallery.restore(session, actor=user, ids=[b])
    assert set(_order(session, user, album.id)) == {a, b, c, d}
    assert albums.remove_items(session, actor=user, album_id=album.id, ids=[a, c]) == 2
    assert _positions(session, album.id) == [0, 1]
    with pytest.raises(NotFound):
        albums.move_item(session, actor=user, album_id=album.id, media_id=a, position=0)


def test_the_cover_is_an_item_of_the_album_and_falls_back_to_the_first(session: Session) -> None:
    user = make_user(session)
    first = stored(session, user, "one.jpg", jpeg_bytes(seed=1))
    second = stored(session, user, "two.jpg", jpeg_bytes(seed=2))
    album = albums.create(session, actor=user, title="Covers")
    assert albums.list_albums(session, actor=user)[0].cover_media_id is None  # empty: no cover
    albums.add_items(session, actor=user, album_id=album.id, ids=[first.id, second.id])
    assert albums.list_albums(session, actor=user)[0].cover_media_id == first.id
    albums.set_cover(session, actor=user, album_id=album.id, media_id=second.id)
    card = albums.list_albums(session, actor=user)[0]
    assert (card.cover_media_id, card.count) == (second.id, 2)
    gallery.trash(session, actor=user, ids=[second.id])  # a trashed cover is not shown
    card = albums.list_albums(session, actor=user)[0]
    assert (card.cover_media_id, card.count) == (first.id, 1)
    gallery.restore(session, actor=user, ids=[second.id])
    albums.remove_items(session, actor=user, album_id=album.id, ids=[second.id])
    session.expire_all()
    assert session.get(Album, album.id).cover_id is None


def test_items_deleted_for_good_leave_every_album(session: Session) -> None:
    user = make_user(session)
    keep = stored(session, user, "keep.jpg", jpeg_bytes(seed=3))
    gone = stored(session, user, "gone.jpg", jpeg_bytes(seed=4))
    one = albums.create(session, actor=user, title="One")
    two = albums.create(session, actor=user, title="Two")
    albums.add_items(session, actor=user, album_id=one.id, ids=[gone.id, keep.id])
    albums.add_items(session, actor=user, album_id=two.id, ids=[gone.id])
    albums.set_cover(session, actor=user, album_id=one.id, media_id=gone.id)
    gallery.trash(session, actor=user, ids=[gone.id])
    assert gallery.empty_trash(session, actor=user) == 1
    session.expire_all()
    assert session.get(Album, one.id).cover_id is None
    assert _order(session, user, one.id) == [keep.id] and _positions(session, one.id) == [0]
    assert _positions(session, two.id) == []
    assert session.get(Album, two.id) is not None


def test_titles_are_required_and_bounded(session: Session) -> None:
    user = make_user(session)
    for title in ("", "   ", "x" * 201, 5):
        with pytest.raises(ValidationFailed):
            albums.create(session, actor=user, title=title)
    album = albums.create(session, actor=user, title="Ok")
    albums.update_details(session, actor=user, album_id=album.id, title="Renamed", description="About it")
    info = albums.info(session, actor=user, album_id=album.id)
    assert (info.title, info.description) == ("Renamed", "About it")


def test_events_are_grouped_by_gaps_between_neighbours() -> None:
    base = datetime(2024, 3, 14, 9, tzinfo=UTC)
    hours = [0, 5, 30, 65.9, 200, 201, 500, 501, 502, 503]
    moments = [(index + 1, base + timedelta(hours=h)) for index, h in enumerate(hours)]
    moments.reverse()  # any input order
    assert albums.group_events(moments, gap_hours=36) == [[1, 2, 3, 4], [7, 8, 9, 10]]
    assert albums.group_events(moments, gap_hours=36, min_size=2) == [[1, 2, 3, 4], [5, 6], [7, 8, 9, 10]]
    assert albums.group_events(moments, gap_hours=24) == [[7, 8, 9, 10]]
    assert albums.event_title(base, base + timedelta(hours=50)) == "14–16 Mar 2024"
    assert albums.event_title(base, base) == "14 Mar 2024"


def test_suggestions_group_unalbumed_photos_and_become_albums(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 12)
    base = items[0].sort_at
    for index, item in enumerate(items):  # three events: 0-3, 4-7 (two days later), 8-11 (a week later)
        item.sort_at = base + timedelta(hours=[0, 1, 2, 3, 50, 51, 52, 53, 200, 201, 202, 203][index])
        item.kind = MediaKind.IMAGE  # suggestions are made of photos
        session.add(item)
    session.commit()
    album = albums.create(session, actor=user, title="Already")
    albums.add_items(session, actor=user, album_id=album.id, ids=[items[9].id, items[10].id])  # leaves 2: too few
    found = albums.suggestions(session, actor=user)
    assert [s.media_ids for s in found] == [[i.id for i in items[4:8]], [i.id for i in items[0:4]]]
    made = albums.accept_suggestion(session, actor=user, media_ids=found[1].media_ids)
    assert made.title == albums.event_title(items[0].sort_at, items[3].sort_at)
    assert _order(session, user, made.id) == [i.id for i in items[0:4]]
    assert [s.media_ids for s in albums.suggestions(session, actor=user)] == [[i.id for i in items[4:8]]]
    stranger = make_user(session)
    with pytest.raises(NotFound):
        albums.accept_suggestion(session, actor=stranger, media_ids=found[0].media_ids)


def test_an_item_given_to_another_account_leaves_its_old_owners_albums(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    owner, receiver = make_user(session), make_user(session)
    item = stored(session, owner, "given.jpg", jpeg_bytes(seed=5))
    album = albums.create(session, actor=owner, title="Mine")
    albums.add_items(session, actor=owner, album_id=album.id, ids=[item.id])
    albums.set_cover(session, actor=owner, album_id=album.id, media_id=item.id)
    media_admin.move(session, actor=admin, media_id=item.id, new_owner=receiver.username)
    session.expire_all()
    assert _positions(session, album.id) == [] and session.get(Album, album.id).cover_id is None


def _big_album(session: Session, user, count: int) -> tuple[int, list[int]]:
    """An album of `count` ready photos, inserted in bulk (two statements) rather than one by one."""
    import sqlalchemy as sa

    from mediashare.models import MediaStatus
    start = datetime(2024, 1, 1, tzinfo=UTC)
    session.execute(sa.insert(MediaItem), [
        {"owner_id": user.id, "status": MediaStatus.READY, "kind": MediaKind.IMAGE, "original_filename": f"b{i}.jpg",
         "extension": "jpg", "mime": "image/jpeg", "size_bytes": 10, "sha256": f"big-{user.id}-{i}",
         "storage_key": f"big{i:029x}.jpg", "thumbnail_key": f"t{i}.webp", "sort_at": start + timedelta(minutes=i),
         "uploaded_at": start, "search_text": ""} for i in range(count)])
    ids = list(session.exec(select(MediaItem.id).where(MediaItem.owner_id == user.id, MediaItem.sha256.like("big-%"))
                            .order_by(col(MediaItem.id))))
    album = albums.create(session, actor=user, title="Everything")
    session.execute(sa.insert(AlbumItem), [{"album_id": album.id, "media_id": media_id, "position": position}
                                           for position, media_id in enumerate(reversed(ids))])
    session.commit()
    return album.id, list(reversed(ids))


def test_an_album_past_the_largest_page_is_read_whole_in_pages_and_by_the_slideshow(session: Session) -> None:
    user = make_user(session)
    album_id, order = _big_album(session, user, 1_200)
    seen, after, pages = [], None, 0
    while True:
        page = albums.list_items(session, actor=user, album_id=album_id, after=after, limit=10_000)
        assert len(page.cards) <= albums.MAX_PAGE_SIZE
        seen += [card.id for card in page.cards]
        pages, after = pages + 1, page.next_after
        if after is None:
            break
    assert seen == order and pages == 3
    assert [media_id for media_id, _title in albums.slides(session, actor=user, album_id=album_id)] == order
    assert albums.info(session, actor=user, album_id=album_id).count == 1_200
    gallery.trash(session, actor=user, ids=order[:2])
    slides = albums.slides(session, actor=user, album_id=album_id)
    assert [media_id for media_id, _ in slides] == order[2:] and slides[0][1] == "b1197.jpg"
    with pytest.raises(NotFound):
        albums.slides(session, actor=make_user(session), album_id=album_id)
