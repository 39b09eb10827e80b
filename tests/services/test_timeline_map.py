"""Timeline months (counts, order, trash and other people excluded) and the map's clusters and
photos in view (only located items, the owner's only)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare.errors import NotFound, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, MediaItem, MediaKind, MediaStatus, Role, User
from mediashare.services import media_meta, photo_map, platform, timeline
from tests.factories import make_user

_serial = itertools.count()


def _item(session: Session, owner: User, when: datetime, *, place: tuple[float, float] | None = None,
          trashed: bool = False) -> MediaItem:
    index = next(_serial)
    item = MediaItem(
        owner_id=owner.id, status=MediaStatus.READY, kind=MediaKind.IMAGE,
        original_filename=f"t{index}.jpg", extension="jpg", mime="image/jpeg", size_bytes=10,
        sha256=f"tl-{owner.id}-{index}", storage_key=f"tl{index:030x}.jpg", sort_at=when, uploaded_at=when,
        latitude=place[0] if place else None, longitude=place[1] if place else None,
        trashed_at=when if trashed else None,
    )
    session.add(item)
    session.commit()
    return item


def _at(year: int, month: int, day: int = 1, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_months_count_each_month_newest_first_without_trash_or_other_people(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    for when in (_at(2023, 12, 31, 23), _at(2023, 12, 1, 0), _at(2024, 2, 29), _at(2024, 2, 1), _at(2024, 2, 3),
                 _at(2019, 7, 4)):
        _item(session, user, when)
    _item(session, user, _at(2024, 2, 5), trashed=True)
    _item(session, user, _at(2022, 5, 5), trashed=True)  # a month that holds only trash is not shown
    _item(session, other, _at(2024, 2, 6))
    _item(session, other, _at(2020, 1, 1))

    months = timeline.months(session, actor=user)
    assert [(m.year, m.month, m.count) for m in months] == [(2024, 2, 3), (2023, 12, 2), (2019, 7, 1)]
    assert months[0].key == "2024-02" and months[0].label == "February 2024"
    assert timeline.months(session, actor=make_user(session)) == []


def test_months_follow_new_dates_bulk_inserts_and_other_time_zones(session: Session) -> None:
    user = make_user(session)
    first, second = _item(session, user, _at(2024, 3, 10)), _item(session, user, _at(2024, 3, 11))
    media_meta.set_taken_at(session, actor=user, ids=[first.id], local="2021-07-04T09:30", offset_minutes=0)
    media_meta.shift_taken_at(session, actor=user, ids=[second.id], minutes=-60 * 24 * 40)  # into January
    late_evening_in_new_york = datetime(2022, 8, 31, 22, tzinfo=timezone(timedelta(hours=-4)))  # September in UTC
    session.execute(sa.insert(MediaItem), [{  # rows inserted without the ORM (imports, benchmarks)
        "owner_id": user.id, "status": MediaStatus.READY, "kind": MediaKind.IMAGE, "original_filename": "b.jpg",
        "extension": "jpg", "mime": "image/jpeg", "size_bytes": 1, "sha256": f"bulk-{index}",
        "storage_key": f"bulk{index:028x}.jpg", "sort_at": late_evening_in_new_york, "uploaded_at": _at(2025, 1, 1),
        "updated_at": _at(2025, 1, 1), "exif": {}, "search_text": ""} for index in range(2)])
    session.commit()
    months = timeline.months(session, actor=user)
    assert [(m.year, m.month, m.count) for m in months] == [(2024, 1, 1), (2022, 9, 2), (2021, 7, 1)]
    assert [card.id for card in timeline.month_page(session, actor=user, year=2024, month=1).cards] == [second.id]


def test_a_month_page_holds_that_month_only_newest_first(session: Session) -> None:
    user = make_user(session)
    december = [_item(session, user, _at(2023, 12, day)) for day in (1, 15, 31)]
    _item(session, user, _at(2024, 1, 1, 0))
    _item(session, user, _at(2023, 11, 30, 23))
    _item(session, make_user(session), _at(2023, 12, 10))
    first = timeline.month_page(session, actor=user, year=2023, month=12, limit=2)
    assert [card.id for card in first.cards] == [december[2].id, december[1].id]
    rest = timeline.month_page(session, actor=user, year=2023, month=12, cursor=first.next_cursor, limit=2)
    assert [card.id for card in rest.cards] == [december[0].id] and rest.next_cursor is None
    with pytest.raises(ValidationFailed):
        timeline.month_page(session, actor=user, year=2023, month=13)
    with pytest.raises(ValidationFailed):
        timeline.month_bounds("2023", 1)


def test_someone_elses_timeline_needs_their_manager(session: Session) -> None:
    user, stranger = make_user(session), make_user(session)
    _item(session, user, _at(2024, 3, 3))
    with pytest.raises(NotFound):
        timeline.months(session, actor=stranger, owner_id=user.id)
    with pytest.raises(NotFound):
        photo_map.clusters(session, actor=stranger, owner_id=user.id, south=-90, west=-180, north=90, east=180,
                           zoom=2)


WORLD = {"south": -90, "west": -180, "north": 90, "east": 180}
PARIS, LYON, TOKYO = (48.8566, 2.3522), (45.764, 4.8357), (35.6762, 139.6503)


def test_clusters_group_located_items_by_zoom_for_the_owner_only(session: Session) -> None:
    user = make_user(session)
    paris = [_item(session, user, _at(2024, 5, day), place=(PARIS[0] + day / 1e4, PARIS[1])) for day in (1, 2, 3)]
    lyon = _item(session, user, _at(2024, 6, 1), place=LYON)
    tokyo = _item(session, user, _at(2022, 6, 1), place=TOKYO)
    _item(session, user, _at(2024, 7, 1))  # no place: not on the map
    _item(session, user, _at(2024, 7, 2), place=PARIS, trashed=True)
    _item(session, make_user(session), _at(2024, 7, 3), place=PARIS)  # someone else's

    far = photo_map.clusters(session, actor=user, zoom=2, **WORLD)
    assert sorted(c.count for c in far) == [1, 4]  # France together, Tokyo alone
    france = next(c for c in far if c.count == 4)
    assert france.media_id == lyon.id  # the newest stands for the cluster
    assert france.box.south == pytest.approx(LYON[0]) and france.box.north == pytest.approx(PARIS[0] + 3e-4)
    assert LYON[0] < france.latitude < PARIS[0]

    near = photo_map.clusters(session, actor=user, zoom=9, **WORLD)
    assert sorted(c.count for c in near) == [1, 1, 3]
    assert {c.media_id for c in near} == {paris[2].id, lyon.id, tokyo.id}

    europe = {"south": 40, "west": -10, "north": 55, "east": 20}
    assert sum(c.count for c in photo_map.clusters(session, actor=user, zoom=5, **europe)) == 4
    since, until = _at(2024, 5, 2, 0), _at(2024, 6, 1, 0)
    assert sum(c.count for c in photo_map.clusters(session, actor=user, zoom=5, since=since, until=until,
                                                   **europe)) == 2

    cards, total = photo_map.in_view(session, actor=user, **europe)
    assert total == 4 and [card.id for card in cards] == [lyon.id, paris[2].id, paris[1].id, paris[0].id]
    cards, total = photo_map.in_view(session, actor=user, limit=1, **WORLD)
    assert total == 5 and [card.id for card in cards] == [lyon.id]


def test_a_view_across_the_repeated_world_still_finds_its_items(session: Session) -> None:
    user = make_user(session)
    tokyo = _item(session, user, _at(2024, 1, 1), place=TOKYO)
    # Leaflet reports longitudes past 180 after panning east around the world.
    cards, total = photo_map.in_view(session, actor=user, south=20, west=130 + 360, north=50, east=150 + 360)
    assert total == 1 and cards[0].id == tokyo.id
    assert photo_map.clean_box(-10, -500, 10, 900) == photo_map.Box(-10, -180, 10, 180)
    for bad in ({"south": "x"}, {"south": float("nan")}, {"south": 10, "north": -10}, {"west": True}):
        with pytest.raises(ValidationFailed):
            photo_map.clean_box(**{**WORLD, **bad})
    with pytest.raises(ValidationFailed):
        photo_map.clean_zoom("3")


def test_the_tile_url_is_an_admin_setting_checked_before_use(session: Session) -> None:
    admin, member = make_user(session, role=Role.ADMIN), make_user(session)
    assert photo_map.tile_url(session) == ""
    url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    photo_map.set_tile_url(session, actor=admin, value=f"  {url} ")
    assert photo_map.tile_url(session) == url
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.SETTING_CHANGED)).all()) == 1
    for bad in ("http://tiles.example/{z}/{x}/{y}.png", "https://tiles.example/{z}/{x}.png",
                "javascript:alert(1)//{z}{x}{y}", "https://x.example/{z}/{x}/{y}\"onload"):
        with pytest.raises(ValidationFailed):
            photo_map.set_tile_url(session, actor=admin, value=bad)
    with pytest.raises(PermissionDenied):
        photo_map.set_tile_url(session, actor=member, value="")
    platform.set_value(session, actor=admin, key=photo_map.TILE_URL_SETTING, value="ftp://nope")
    assert photo_map.tile_url(session) == ""  # a bad stored value is never handed to browsers
    photo_map.set_tile_url(session, actor=admin, value="")
    assert photo_map.tile_url(session) == ""
