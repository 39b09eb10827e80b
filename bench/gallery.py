"""Cost of gallery pages at 100,000 items for one person, against a count measured in the same run.

    .venv/bin/python bench/gallery.py [--quick] [--items N] [--admin-url URL]

Creates a scratch PostgreSQL database (dropped afterwards), inserts N media rows for one user
(100,000 by default, 10,000 with --quick) with multi-row inserts (no files), plus some items of a
second user and some trashed ones, then times `gallery.list_page` as the page calls it: the first
page by date taken and by upload date, a type-filtered page, and a deep page (keyset cursor near
the end) for both sorts. The reference is `SELECT count(*)` of that user's items, so the ratios say
what a page costs compared with merely counting the items.

Prints one line per figure, then a JSON object of all figures as the last line.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlmodel import Session

from bench.common import add_ratios, library_accounts, library_arguments, report, scratch_database, summary, timed
from mediashare import db, migrations
from mediashare.models import MediaItem, MediaKind, MediaStatus
from mediashare.services import gallery
from mediashare.services.gallery import Sort

BATCH = 2_000
START = datetime(2015, 1, 1, tzinfo=UTC)


def seed(session: Session, owner_id: int, total: int, rng: random.Random, *, prefix: str) -> None:
    """`total` rows for `owner_id`, in multi-row INSERTs of BATCH rows; 2% trashed."""
    table = MediaItem.__table__  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    for start in range(0, total, BATCH):
        rows = []
        for index in range(start, min(start + BATCH, total)):
            kind = rng.choices((MediaKind.IMAGE, MediaKind.VIDEO, MediaKind.AUDIO), (85, 12, 3))[0]
            taken = START + timedelta(seconds=rng.randrange(0, 10 * 365 * 86400))
            uploaded = now - timedelta(seconds=rng.randrange(0, 3 * 365 * 86400))
            rows.append({
                "owner_id": owner_id, "uploaded_by_id": owner_id, "status": MediaStatus.READY,
                "kind": kind, "original_filename": f"IMG_{index:06d}.jpg", "title": f"IMG_{index:06d}",
                "description": "", "extension": "jpg", "mime": "image/jpeg", "size_bytes": 3_000_000,
                "sha256": f"{prefix}{index:060d}", "storage_key": f"{uuid.uuid4().hex}.jpg",
                "taken_at": taken, "sort_at": taken if rng.random() < 0.9 else uploaded,
                "uploaded_at": uploaded, "updated_at": uploaded, "exif": {},
                "thumbnail_key": f"{uuid.uuid4().hex}.webp", "error": "",
                "trashed_at": now if rng.random() < 0.02 else None,
            })
        session.execute(sa.insert(table).values(rows))
    session.commit()


def main() -> None:
    args = library_arguments(__doc__.splitlines()[0])
    total = args.items or (10_000 if args.quick else 100_000)
    repeat = 15 if args.quick else 60
    rng = random.Random(20261121)

    figures: dict[str, object] = {"items": total, "repeat": repeat}
    with scratch_database(args.admin_url) as url:
        migrations.upgrade(url)
        with Session(db.engine(url), expire_on_commit=False) as session:
            owner, other = library_accounts(session)
            started = time.perf_counter()
            seed(session, owner.id, total, rng, prefix="a")  # type: ignore[arg-type]
            seed(session, other.id, total // 10, rng, prefix="b")  # type: ignore[arg-type]
            figures["seed_s"] = round(time.perf_counter() - started, 2)
            session.execute(sa.text("ANALYZE media_items"))

            def deep_cursor(sort: Sort) -> str:
                """The cursor of the page 100 items before the end (found by walking with OFFSET once)."""
                column = "sort_at" if sort is Sort.TAKEN else "uploaded_at"
                value, media_id = session.execute(sa.text(
                    f"SELECT {column}, id FROM media_items WHERE owner_id = :o AND trashed_at IS NULL "
                    f"ORDER BY {column} DESC, id DESC OFFSET :n LIMIT 1"), {"o": owner.id, "n": int(total * 0.97)},
                ).one()
                return gallery.encode_cursor(value, media_id)

            def page(**options: object) -> Callable[[], object]:
                return lambda: gallery.list_page(session, actor=owner, **options)  # type: ignore[arg-type]

            cases: dict[str, Callable[[], object]] = {
                "count_reference": lambda: session.execute(
                    sa.text("SELECT count(*) FROM media_items WHERE owner_id = :o"), {"o": owner.id}).scalar_one(),
                "first_page_taken": page(),
                "first_page_uploaded": page(sort=Sort.UPLOADED),
                "first_page_videos": page(kind=MediaKind.VIDEO),
                "deep_page_taken": page(cursor=deep_cursor(Sort.TAKEN)),
                "deep_page_uploaded": page(sort=Sort.UPLOADED, cursor=deep_cursor(Sort.UPLOADED)),
            }
            for label, call in cases.items():
                call()  # warm the plan and the cache
                figures[label] = summary(timed(call, repeat))
            deep = gallery.list_page(session, actor=owner, cursor=deep_cursor(Sort.TAKEN))
            assert len(deep.cards) == gallery.PAGE_SIZE

    add_ratios(figures, "count_reference", key="ratios_p50_vs_count")
    report(figures)


if __name__ == "__main__":
    main()
