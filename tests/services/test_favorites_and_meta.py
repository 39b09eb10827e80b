"""Favorites (stars and the favorites view) and correcting when and where items were taken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from mediashare.errors import NotFound, ValidationFailed
from mediashare.models import AuditEvent, MediaFavorite, MediaItem, Role
from mediashare.services import favorites, gallery, media_meta
from tests.factories import make_user
from tests.services.test_gallery import _rows, _walk


def test_a_star_puts_an_item_in_the_favorites_view_in_gallery_order_and_twice_changes_nothing(
    session: Session,
) -> None:
    user = make_user(session)
    items = _rows(session, user, 30)
    chosen = [items[2], items[17], items[25]]
    for item in chosen:
        assert favorites.set_favorite(session, actor=user, media_id=item.id, favorite=True) is True
    favorites.set_favorite(session, actor=user, media_id=items[2].id, favorite=True)  # again: still one row
    assert len(session.exec(select(MediaFavorite)).all()) == 3
    expected = [i.id for i in sorted(chosen, key=lambda i: (i.sort_at, i.id), reverse=True)]
    assert _walk(session, user, favorites_only=True) == expected
    page = gallery.list_page(session, actor=user)
    assert {card.id for card in page.cards if card.favorite} == {item.id for item in chosen}
    favorites.set_favorite(session, actor=user, media_id=items[17].id, favorite=False)
    assert set(_walk(session, user, favorites_only=True)) == {items[2].id, items[25].id}


def test_stars_are_per_person_and_others_items_cannot_be_starred(session: Session) -> None:
    owner, stranger = make_user(session), make_user(session)
    reseller = make_user(session, role=Role.RESELLER)
    customer = make_user(session, parent=reseller)
    mine, theirs = _rows(session, owner, 3), _rows(session, customer, 2)
    favorites.set_favorite(session, actor=owner, media_id=mine[0].id, favorite=True)
    assert gallery.list_page(session, actor=stranger, favorites_only=True).cards == []
    with pytest.raises(NotFound):
        favorites.set_favorite(session, actor=stranger, media_id=mine[1].id, favorite=True)
    with pytest.raises(NotFound):  # all or nothing: one foreign id refuses the whole batch
        favorites.set_favorites(session, actor=owner, ids=[mine[1].id, theirs[0].id], favorite=True)
    assert len(session.exec(select(MediaFavorite)).all()) == 1
    # A reseller may star their customer's items; the star is the reseller's, not the customer's.
    assert favorites.set_favorites(session, actor=reseller, ids=[t.id for t in theirs], favorite=True) == 2
    assert gallery.list_page(session, actor=customer, favorites_only=True).cards == []
    assert len(gallery.list_page(session, actor=reseller, owner_id=customer.id, favorites_only=True).cards) == 2


def test_deleting_an_item_for_good_removes_its_stars(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 2)
    favorites.set_favorite(session, actor=user, media_id=items[0].id, favorite=True)
    gallery.trash(session, actor=user, ids=[items[0].id])
    gallery.empty_trash(session, actor=user)
    assert session.exec(select(MediaFavorite)).all() == []


def test_setting_the_date_taken_of_many_items_uses_the_local_time_and_zone_and_reorders_them(
    session: Session,
) -> None:
    user = make_user(session)
    items = _rows(session, user, 6)
    changed = media_meta.set_taken_at(session, actor=user, ids=[items[0].id, items[1].id],
                                      local="1987-06-14T18:30", offset_minutes=120)
    assert changed == 2
    for item in (items[0], items[1]):
        session.refresh(item)
        assert item.taken_at == datetime(1987, 6, 14, 16, 30, tzinfo=UTC)  # stored in UTC …
        assert item.taken_at_offset_minutes == 120  # … with the zone beside it
        assert item.sort_at == item.taken_at
    assert _walk(session, user)[-2:] == sorted([items[0].id, items[1].id], reverse=True)  # oldest now
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "media.updated")).all()
    assert sorted(e.details["media_id"] for e in events) == sorted([items[0].id, items[1].id])


def test_shifting_dates_moves_each_item_by_the_same_amount(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 4)
    before = {item.id: item.sort_at for item in items}
    media_meta.shift_taken_at(session, actor=user, ids=[i.id for i in items], minutes=-(2 * 24 * 60 + 90))
    for item in items:
        session.refresh(item)
        assert item.taken_at == before[item.id] - timedelta(days=2, minutes=90)


@pytest.mark.parametrize(("local", "offset", "message"), [
    ("", 0, "Enter a date and a time"),
    ("14/06/1987 18:30", 0, "YYYY-MM-DD HH:MM"),
    ("1700-01-01T10:00", 0, "between 1826 and today"),
    ((datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"), 0, "between 1826 and today"),
    ("1987-06-14T18:30", 7, "time zone"),
    ("1987-06-14T18:30", 15 * 60, "time zone"),
    ("1987-06-14T18:30", "60", "time zone"),
])
def test_bad_dates_are_refused_with_a_reason_and_change_nothing(
    session: Session, local: str, offset: object, message: str
) -> None:
    user = make_user(session)
    items = _rows(session, user, 2)
    with pytest.raises(ValidationFailed, match=message):
        media_meta.set_taken_at(session, actor=user, ids=[i.id for i in items], local=local, offset_minutes=offset)
    session.expire_all()
    assert all(session.get(MediaItem, i.id).taken_at is None for i in items)


def test_a_shift_that_would_leave_the_allowed_range_for_one_item_changes_none(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 2)
    media_meta.set_taken_at(session, actor=user, ids=[items[0].id], local="1830-01-01T00:00", offset_minutes=0)
    with pytest.raises(ValidationFailed, match=r"f0\.jpg"):
        media_meta.shift_taken_at(session, actor=user, ids=[items[1].id, items[0].id], minutes=-10 * 365 * 24 * 60)
    session.expire_all()
    assert session.get(MediaItem, items[1].id).taken_at is None
    assert session.get(MediaItem, items[0].id).taken_at == datetime(1830, 1, 1, tzinfo=UTC)


def test_places_are_set_and_cleared_for_many_items_and_checked(session: Session) -> None:
    user, stranger = make_user(session), make_user(session)
    items = _rows(session, user, 3)
    ids = [i.id for i in items]
    assert media_meta.set_location(session, actor=user, ids=ids, latitude="48,8584", longitude=2.2945) == 3
    session.expire_all()
    places = {(session.get(MediaItem, i).latitude, session.get(MediaItem, i).longitude) for i in ids}
    assert places == {(48.8584, 2.2945)}
    for latitude, longitude, field in ((91, 0, "latitude"), (0, -181, "longitude"), ("north", 0, "latitude"),
                                       (float("nan"), 0, "latitude"), (True, 0, "latitude")):
        with pytest.raises(ValidationFailed, match=field):
            media_meta.set_location(session, actor=user, ids=ids, latitude=latitude, longitude=longitude)
    with pytest.raises(NotFound):
        media_meta.set_location(session, actor=stranger, ids=ids, latitude=1, longitude=1)
    with pytest.raises(NotFound):
        media_meta.clear_location(session, actor=stranger, ids=ids)
    media_meta.clear_location(session, actor=user, ids=ids[:2])
    session.expire_all()
    assert [session.get(MediaItem, i).latitude for i in ids] == [None, None, 48.8584]


def test_nobody_else_can_change_dates(session: Session) -> None:
    user, stranger = make_user(session), make_user(session)
    items = _rows(session, user, 1)
    with pytest.raises(NotFound):
        media_meta.set_taken_at(session, actor=stranger, ids=[items[0].id], local="2001-01-01T00:00", offset_minutes=0)
    with pytest.raises(NotFound):
        media_meta.shift_taken_at(session, actor=stranger, ids=[items[0].id], minutes=60)
