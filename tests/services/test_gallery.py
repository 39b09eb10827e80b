"""Gallery: keyset pages, sorting and filters, authorization of chosen ids, trash and purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from mediashare.errors import NotFound, ValidationFailed
from mediashare.jobs import queue
from mediashare.models import AuditEvent, MediaItem, MediaKind, MediaStatus, Role, User
from mediashare.services import gallery, ingest
from mediashare.services.gallery import Sort
from tests.factories import make_user
from tests.media_files import jpeg_bytes, png_bytes
from tests.services.test_ingest import _upload

BASE = datetime(2024, 1, 1, tzinfo=UTC)


def _rows(session: Session, owner: User, count: int, *, kind_every: int = 3) -> list[MediaItem]:
    """`count` rows without files; sort_at has ties (every 2 share a value) to test the id tiebreak."""
    items = []
    for index in range(count):
        items.append(MediaItem(
            owner_id=owner.id, status=MediaStatus.READY,
            kind=MediaKind.VIDEO if index % kind_every == 0 else MediaKind.IMAGE,
            original_filename=f"f{index}.jpg", extension="jpg", mime="image/jpeg", size_bytes=10,
            sha256=f"{owner.id}-{index}", storage_key=f"{index:032x}.jpg",
            sort_at=BASE + timedelta(hours=index // 2), uploaded_at=BASE - timedelta(minutes=index),
        ))
    session.add_all(items)
    session.commit()
    return items


def _walk(session: Session, actor: User, **filters) -> list[int]:
    ids, cursor = [], None
    while True:
        page = gallery.list_page(session, actor=actor, cursor=cursor, limit=7, **filters)
        ids += [card.id for card in page.cards]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


def test_pages_cover_everything_once_in_order_for_both_sorts(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 50)
    _rows(session, make_user(session), 5)  # someone else's: never shown
    items[3].trashed_at = BASE
    session.commit()
    live = [item for item in items if item.trashed_at is None]
    by_taken = [i.id for i in sorted(live, key=lambda i: (i.sort_at, i.id), reverse=True)]
    assert _walk(session, user) == by_taken
    by_upload = [i.id for i in sorted(live, key=lambda i: (i.uploaded_at, i.id), reverse=True)]
    assert _walk(session, user, sort=Sort.UPLOADED) == by_upload
    videos = [media_id for media_id in by_taken if session.get(MediaItem, media_id).kind is MediaKind.VIDEO]
    assert _walk(session, user, kind=MediaKind.VIDEO) == videos and len(videos) == 16


def test_a_forged_cursor_is_refused(session: Session) -> None:
    user = make_user(session)
    for bad in ("nonsense", "W10", gallery.encode_cursor(BASE, 1)[:-3] + "!!!"):
        with pytest.raises(ValidationFailed):
            gallery.list_page(session, actor=user, cursor=bad)


def test_another_persons_gallery_and_ids_are_refused_everywhere(session: Session) -> None:
    alice, bob = make_user(session), make_user(session)
    theirs = _rows(session, bob, 2)
    ids = [item.id for item in theirs]
    with pytest.raises(NotFound):
        gallery.list_page(session, actor=alice, owner_id=bob.id)
    for action in (gallery.trash, gallery.restore, gallery.empty_trash):
        with pytest.raises(NotFound):
            action(session, actor=alice, ids=ids)
    with pytest.raises(NotFound):
        gallery.authorized_items(session, actor=alice, ids=[ids[0], 999999])
    assert gallery.statuses(session, actor=alice, ids=ids) == {}
    with pytest.raises(ValidationFailed):
        gallery.trash(session, actor=alice, ids=["1"])  # type: ignore[list-item]
    with pytest.raises(ValidationFailed):
        gallery.trash(session, actor=alice, ids=list(range(1, 600)))
    session.expire_all()
    assert all(session.get(MediaItem, media_id).trashed_at is None for media_id in ids)
    reseller = make_user(session, role=Role.RESELLER)
    customer = make_user(session, parent=reseller)
    mine = _rows(session, customer, 1)
    assert gallery.trash(session, actor=reseller, ids=[mine[0].id]) == 1  # a manager may act


def test_trash_restore_and_empty_give_back_quota_and_remove_files(session: Session) -> None:
    user = make_user(session)
    first = _upload(session, user, "a.jpg", jpeg_bytes())
    second = _upload(session, user, "b.png", png_bytes())
    queue.drain_local()
    session.expire_all()
    a, b = session.get(MediaItem, first.media_id), session.get(MediaItem, second.media_id)
    used = session.get(User, user.id).storage_used_bytes
    assert used == a.size_bytes + b.size_bytes
    assert gallery.trash(session, actor=user, ids=[a.id, b.id]) == 2
    assert [card.id for card in gallery.list_page(session, actor=user).cards] == []
    assert {card.id for card in gallery.list_trash(session, actor=user)} == {a.id, b.id}
    assert gallery.restore(session, actor=user, ids=[b.id]) == 1
    assert [card.id for card in gallery.list_page(session, actor=user).cards] == [b.id]
    store = ingest.storage()
    a_files = [store.path(a.storage_key), store.path(a.thumbnail_key, area="derived")]
    assert all(path.is_file() for path in a_files)
    assert gallery.empty_trash(session, actor=user) == 1
    assert not any(path.is_file() for path in a_files)
    session.expire_all()
    assert session.get(MediaItem, a.id) is None and session.get(MediaItem, b.id) is not None
    assert session.get(User, user.id).storage_used_bytes == b.size_bytes
    deleted = session.exec(select(AuditEvent).where(AuditEvent.action == "media.deleted")).all()
    assert [event.details["media_id"] for event in deleted] == [a.id]


def test_purge_removes_only_items_trashed_over_thirty_days_ago_and_is_idempotent(session: Session) -> None:
    user = make_user(session)
    old = _upload(session, user, "old.jpg", jpeg_bytes(seed=2))
    recent = _upload(session, user, "recent.jpg", jpeg_bytes(seed=3))
    queue.drain_local()
    now = datetime.now(UTC)
    session.get(MediaItem, old.media_id).trashed_at = now - timedelta(days=31)
    session.get(MediaItem, recent.media_id).trashed_at = now - timedelta(days=29)
    session.commit()
    key = session.get(MediaItem, old.media_id).storage_key
    assert gallery.purge_expired(session, now=now) == 1
    assert gallery.purge_expired(session, now=now) == 0
    session.expire_all()
    assert session.get(MediaItem, old.media_id) is None and session.get(MediaItem, recent.media_id) is not None
    assert not ingest.storage().path(key).exists()
    remaining = session.get(MediaItem, recent.media_id).size_bytes
    assert session.get(User, user.id).storage_used_bytes == remaining


def test_statuses_report_items_still_processing(session: Session) -> None:
    user = make_user(session)
    stored = _upload(session, user, "a.jpg", jpeg_bytes(seed=4))
    assert gallery.statuses(session, actor=user, ids=[stored.media_id])[stored.media_id].processing
    queue.drain_local()
    session.expire_all()
    card = gallery.statuses(session, actor=user, ids=[stored.media_id])[stored.media_id]
    assert not card.processing and card.has_thumbnail
    assert gallery.thumbnail_url(card.id, viewer_id=user.id).startswith(f"/api/media/{card.id}/thumbnail?t=")


def test_the_daily_job_and_the_command_purge_expired_trash(session: Session) -> None:
    from mediashare.jobs import media_purge
    from tests.cli.test_cli import run

    user = make_user(session)
    items = _rows(session, user, 3)
    for item in items[:2]:
        item.trashed_at = datetime.now(UTC) - timedelta(days=40)
    session.commit()
    items[1].trashed_at = datetime.now(UTC)
    session.commit()
    assert media_purge.purge_expired_trash() == 1
    items[1].trashed_at = datetime.now(UTC) - timedelta(days=40)
    session.commit()
    result = run("purge-trash")
    assert result.returncode == 0 and "Purged 1 item" in result.stdout, result.stderr
    session.expire_all()
    assert [item.id for item in session.exec(select(MediaItem))] == [items[2].id]
    assert media_purge.purge_expired_trash() == 0
