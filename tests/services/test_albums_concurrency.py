"""Album order under real concurrency, on PostgreSQL only (SQLite serializes every writer):
concurrent adds, moves and removals on one album leave every item once, at dense positions."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediashare import db
from mediashare.models import AlbumItem, User
from mediashare.services import albums
from tests.factories import make_user
from tests.services.test_gallery import _rows
from tests.services.test_ledger_concurrency import run_threads

pytestmark = pytest.mark.parametrize("migrated_database", ["postgresql"], indirect=True)

THREADS = 8


@pytest.fixture
def sessions(database_url: str) -> Iterator[Callable[[], Session]]:
    """A connection for every thread, as concurrent requests would have."""
    engine = sa.create_engine(db.driver_url(database_url), pool_size=THREADS, max_overflow=0)
    try:
        yield lambda: Session(engine, expire_on_commit=False)
    finally:
        engine.dispose()


def test_concurrent_adds_moves_and_removals_keep_positions_dense(
        session: Session, sessions: Callable[[], Session]) -> None:
    user = make_user(session)
    items = [item.id for item in _rows(session, user, THREADS * 6)]
    album = albums.create(session, actor=user, title="Busy")
    albums.add_items(session, actor=user, album_id=album.id, ids=items[:THREADS])  # one per thread to move
    batches = [items[THREADS + n * 5: THREADS + (n + 1) * 5] for n in range(THREADS)]

    def work(number: int) -> None:
        with sessions() as own:
            actor = own.get(User, user.id)
            for media_id in batches[number]:
                albums.add_items(own, actor=actor, album_id=album.id, ids=[media_id])
                albums.move_item(own, actor=actor, album_id=album.id, media_id=items[number], position=number)
            albums.remove_items(own, actor=actor, album_id=album.id, ids=[batches[number][0]])
            albums.add_items(own, actor=actor, album_id=album.id, ids=batches[number])  # idempotent but one

    run_threads(THREADS, work)
    session.expire_all()
    rows = session.exec(select(AlbumItem).where(AlbumItem.album_id == album.id).order_by(col(AlbumItem.position))).all()
    assert [row.position for row in rows] == list(range(THREADS * 6))
    assert sorted(row.media_id for row in rows) == sorted(items)
