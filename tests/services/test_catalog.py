"""The catalog: who publishes, who sees what, the byte route's rules for the audience, play windows,
the watchlist and "continue watching" (both databases)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from mediashare.errors import InsufficientCredits, NotFound, PaymentRequired, PermissionDenied, ValidationFailed
from mediashare.models import AuditEvent, CreditCharge, MediaItem, PlayWindow, Role, User, utc_now
from mediashare.services import catalog, credits, ledger, media, platform
from tests.factories import make_user
from tests.media_files import mp4_file, wav_file
from tests.services.test_media import stored


def video(session: Session, owner: User, tmp_path: Path, name: str = "film.mp4") -> MediaItem:
    return stored(session, owner, name, mp4_file(tmp_path / name).read_bytes())


def publish(session: Session, actor: User, item: MediaItem, **values: object):
    return catalog.publish(session, actor=actor, media_id=item.id, values={"title": "A film", **values})


@pytest.fixture
def world(session: Session, tmp_path: Path) -> dict:
    """An admin, two resellers with a customer each, and an entry published by each publisher."""
    admin = make_user(session, role=Role.ADMIN)
    reseller_a = make_user(session, role=Role.RESELLER)
    reseller_b = make_user(session, role=Role.RESELLER)
    customer_a = make_user(session, parent=reseller_a)
    customer_b = make_user(session, parent=reseller_b)
    by_admin = publish(session, admin, video(session, admin, tmp_path, "admin.mp4"), title="Admin film", price=0)
    by_a = publish(session, reseller_a, video(session, reseller_a, tmp_path, "a.mp4"), title="A's film", price=0)
    by_b = publish(session, reseller_b, video(session, reseller_b, tmp_path, "b.mp4"), title="B's film", price=0)
    return {"admin": admin, "a": reseller_a, "b": reseller_b, "customer_a": customer_a, "customer_b": customer_b,
            "by_admin": by_admin, "by_a": by_a, "by_b": by_b}


def titles(session: Session, viewer: User) -> set[str]:
    return {card.entry.title for card in catalog.browse(session, viewer=viewer)}


def test_a_resellers_customer_sees_the_resellers_and_the_admins_entries_never_another_resellers(
        session: Session, world: dict) -> None:
    assert titles(session, world["customer_a"]) == {"Admin film", "A's film"}
    assert titles(session, world["customer_b"]) == {"Admin film", "B's film"}
    assert titles(session, world["a"]) == {"Admin film", "A's film"}
    with pytest.raises(NotFound, match="not in the catalog"):
        catalog.visible(session, viewer=world["customer_a"], entry_id=world["by_b"].id)
    entry, _ = catalog.visible(session, viewer=world["customer_a"], entry_id=world["by_a"].id)
    assert entry.title == "A's film"
    # the audience gets the stream and the previews; the other reseller's customers get nothing
    item_a = world["by_a"].media_id
    assert media.serve(session, actor=world["customer_a"], media_id=item_a, variant="original").path.is_file()
    assert media.serve(session, actor=world["customer_a"], media_id=item_a, variant="thumbnail").path.is_file()
    for variant in media.VARIANTS:
        with pytest.raises(NotFound):
            media.serve(session, actor=world["customer_b"], media_id=item_a, variant=variant)
    with pytest.raises(NotFound):  # streaming only: no download for the audience
        media.serve(session, actor=world["customer_a"], media_id=item_a, variant="download")
    with pytest.raises(NotFound):  # the catalog does not open the owner's library
        media.viewable(session, actor=world["customer_a"], media_id=item_a)


def test_unpublishing_hides_an_entry_at_once_everywhere(session: Session, world: dict) -> None:
    customer, entry = world["customer_a"], world["by_a"]
    catalog.set_on_list(session, actor=customer, entry_id=entry.id, on=True)
    catalog.unpublish(session, actor=world["a"], entry_id=entry.id)
    assert titles(session, customer) == {"Admin film"}
    assert catalog.watchlist(session, viewer=customer) == []
    for call in (lambda: catalog.visible(session, viewer=customer, entry_id=entry.id),
                 lambda: catalog.start_play(session, actor=customer, entry_id=entry.id),
                 lambda: catalog.save_position(session, actor=customer, entry_id=entry.id, position=10),
                 lambda: catalog.set_on_list(session, actor=customer, entry_id=entry.id, on=True)):
        with pytest.raises(NotFound):
            call()
    for variant in media.VARIANTS:
        with pytest.raises(NotFound):
            media.serve(session, actor=customer, media_id=entry.media_id, variant=variant)
    events = session.exec(select(AuditEvent.action).where(AuditEvent.action.like("catalog.%"))).all()
    assert "catalog.unpublished" in events and events.count("catalog.published") == 3
    # the publisher still manages it, and can publish it again
    assert [row.entry.id for row in catalog.manage_list(session, actor=world["a"])] == [entry.id]
    catalog.publish(session, actor=world["a"], media_id=entry.media_id, values={"title": "Back again"})
    assert "Back again" in titles(session, customer)


def test_trashing_the_item_hides_its_entry(session: Session, world: dict) -> None:
    item = session.get(MediaItem, world["by_admin"].media_id)
    item.trashed_at = utc_now()
    session.commit()
    assert "Admin film" not in titles(session, world["customer_b"])
    with pytest.raises(NotFound):
        media.serve(session, actor=world["customer_b"], media_id=item.id, variant="original")


def test_who_may_publish_what(session: Session, world: dict, tmp_path: Path) -> None:
    customer, reseller_a = world["customer_a"], world["a"]
    own = video(session, customer, tmp_path, "mine.mp4")
    with pytest.raises(PermissionDenied):
        publish(session, customer, own)
    with pytest.raises(NotFound):  # another reseller's customer's item
        publish(session, world["b"], own)
    with pytest.raises(ValidationFailed, match="Only videos and audio"):
        publish(session, reseller_a, stored(session, reseller_a))
    entry = publish(session, reseller_a, own, title="Customer's clip")  # a reseller publishes what it manages
    with pytest.raises(ValidationFailed, match="already in the catalog"):
        publish(session, reseller_a, own)
    with pytest.raises(NotFound):  # the other reseller cannot edit or unpublish it
        catalog.unpublish(session, actor=world["b"], entry_id=entry.id)
    with pytest.raises(NotFound):
        catalog.update(session, actor=customer, entry_id=entry.id, values={"title": "x"})
    # an admin manages every reseller's entries
    catalog.update(session, actor=world["admin"], entry_id=entry.id, values={"title": "Renamed", "price": "4"})
    assert session.get(type(entry), entry.id).price == 4


def test_details_are_validated_and_default_price_comes_from_the_price_list(
        session: Session, tmp_path: Path) -> None:
    admin = make_user(session, role=Role.ADMIN)
    credits.set_prices(session, actor=admin, values={"catalog.play": 7})
    item = video(session, admin, tmp_path)
    for values, message in (({"title": " "}, "Give the title"), ({"year": "1700"}, "year must be"),
                            ({"kind": "episode"}, "series"), ({"rating": "11"}, "rating must be"),
                            ({"kind": "podcast"}, "Choose film"), ({"price": "-1"}, "price must be"),
                            ({"cast": [1, 2]}, "list of names")):
        with pytest.raises(ValidationFailed, match=message):
            publish(session, admin, item, **values)
    entry = publish(session, admin, item, kind="episode", series_title="The Show", season="2", episode="3",
                    cast="Ann Actor,  Bob  Builder ,", rating="7.45", year="2024")
    assert (entry.price, entry.season, entry.episode, entry.cast, entry.rating, entry.year) == \
        (7, 2, 3, ["Ann Actor", "Bob Builder"], 7.5, 2024)
    seasons = catalog.series_seasons(session, viewer=make_user(session), series="The Show")
    assert list(seasons) == [2] and seasons[2][0].entry.id == entry.id


def test_priced_play_charges_once_per_window_and_again_after_expiry(session: Session, tmp_path: Path) -> None:
    admin = make_user(session, role=Role.ADMIN)
    viewer = make_user(session)
    ledger.grant(session, actor=None, to=viewer, amount=10)
    entry = publish(session, admin, video(session, admin, tmp_path), price=3)
    with pytest.raises(PaymentRequired, match="3 credits"):
        media.serve(session, actor=viewer, media_id=entry.media_id, variant="original")
    with pytest.raises(PaymentRequired):  # its playable version (for a browser that cannot play it) too
        media.serve(session, actor=viewer, media_id=entry.media_id, variant="playable")
    assert media.serve(session, actor=viewer, media_id=entry.media_id, variant="thumbnail")  # the poster is free
    first = catalog.start_play(session, actor=viewer, entry_id=entry.id)
    again = catalog.start_play(session, actor=viewer, entry_id=entry.id)
    assert first.charged == 3 and again.charged == 0 and again.window_id == first.window_id
    assert ledger.balance(session, user=viewer) == 7
    assert media.serve(session, actor=viewer, media_id=entry.media_id, variant="original").path.is_file()
    window = session.get(PlayWindow, first.window_id)
    window.expires_at = utc_now() - timedelta(seconds=1)
    session.commit()
    with pytest.raises(PaymentRequired):
        media.serve(session, actor=viewer, media_id=entry.media_id, variant="original")
    second = catalog.start_play(session, actor=viewer, entry_id=entry.id)
    assert second.charged == 3 and second.window_id != first.window_id
    assert ledger.balance(session, user=viewer) == 4
    platform.set_value(session, actor=make_user(session, role=Role.SUPERUSER), key="catalog_play_window_hours",
                       value=2)
    assert catalog.window_hours(session) == 2


def test_insufficient_credits_open_no_window_and_say_how_to_top_up(session: Session, tmp_path: Path) -> None:
    admin = make_user(session, role=Role.ADMIN)
    viewer = make_user(session)
    ledger.grant(session, actor=None, to=viewer, amount=2)
    entry = publish(session, admin, video(session, admin, tmp_path), price=3)
    with pytest.raises(InsufficientCredits, match="top up"):
        catalog.start_play(session, actor=viewer, entry_id=entry.id)
    assert session.exec(select(PlayWindow)).all() == []
    assert session.exec(select(CreditCharge).where(CreditCharge.action == "catalog.play")).all() == []
    assert ledger.balance(session, user=viewer) == 2
    with pytest.raises(PaymentRequired):
        media.serve(session, actor=viewer, media_id=entry.media_id, variant="original")


def test_a_failed_start_is_refunded_once_but_not_after_watching(session: Session, tmp_path: Path) -> None:
    admin = make_user(session, role=Role.ADMIN)
    viewer = make_user(session)
    ledger.grant(session, actor=None, to=viewer, amount=10)
    entry = publish(session, admin, video(session, admin, tmp_path), price=3)
    catalog.start_play(session, actor=viewer, entry_id=entry.id)
    assert catalog.report_failed_start(session, actor=viewer, entry_id=entry.id) is True
    assert catalog.report_failed_start(session, actor=viewer, entry_id=entry.id) is False
    assert ledger.balance(session, user=viewer) == 10
    with pytest.raises(PaymentRequired):
        media.serve(session, actor=viewer, media_id=entry.media_id, variant="original")
    assert catalog.start_play(session, actor=viewer, entry_id=entry.id).charged == 3
    catalog.save_position(session, actor=viewer, entry_id=entry.id, position=60, duration=120)
    assert catalog.report_failed_start(session, actor=viewer, entry_id=entry.id) is False
    assert ledger.balance(session, user=viewer) == 7


def test_free_entries_play_without_a_window_and_music_plays_too(session: Session, tmp_path: Path) -> None:
    admin = make_user(session, role=Role.ADMIN)
    viewer = make_user(session)
    song = stored(session, admin, "tone.wav", wav_file(tmp_path / "tone.wav").read_bytes())
    entry = publish(session, admin, song, kind="music", price=0)
    assert catalog.start_play(session, actor=viewer, entry_id=entry.id).window_id is None
    assert media.serve(session, actor=viewer, media_id=song.id, variant="original").path.is_file()
    assert [card.entry.id for card in catalog.browse(session, viewer=viewer, kind="music")] == [entry.id]
    assert catalog.browse(session, viewer=viewer, kind="film") == []


def test_watchlist_continue_watching_search_and_year(session: Session, world: dict) -> None:
    customer = world["customer_a"]
    catalog.set_on_list(session, actor=customer, entry_id=world["by_a"].id, on=True)
    catalog.set_on_list(session, actor=customer, entry_id=world["by_a"].id, on=True)  # idempotent
    catalog.set_on_list(session, actor=customer, entry_id=world["by_admin"].id, on=True)
    assert [card.entry.title for card in catalog.watchlist(session, viewer=customer)] == ["Admin film", "A's film"]
    catalog.set_on_list(session, actor=customer, entry_id=world["by_admin"].id, on=False)
    assert [card.entry.title for card in catalog.watchlist(session, viewer=customer)] == ["A's film"]
    with pytest.raises(NotFound):
        catalog.set_on_list(session, actor=customer, entry_id=world["by_b"].id, on=True)
    catalog.save_position(session, actor=customer, entry_id=world["by_a"].id, position=30, duration=600)
    watching = catalog.continue_watching(session, viewer=customer)
    assert [(p.card.entry.title, p.position_seconds) for p in watching] == [("A's film", 30.0)]
    assert [c.entry.title for c in catalog.browse(session, viewer=customer, query="admin")] == ["Admin film"]
    catalog.update(session, actor=world["a"], entry_id=world["by_a"].id, values={"title": "A's film", "year": 1999})
    assert catalog.years(session, viewer=customer) == [1999]
    assert [c.entry.title for c in catalog.browse(session, viewer=customer, year=1999)] == ["A's film"]
