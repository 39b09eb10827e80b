"""What the bench scripts share: timing samples, their summary, a scratch PostgreSQL database, a scratch
library of N media rows in it, and the report format (one line per figure, then one JSON object of all
figures as the last line)."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from mediashare import db, migrations
from mediashare.models import MediaItem, MediaKind, MediaStatus, Role, User
from mediashare.services import users

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BATCH = 2_000  # rows per multi-row INSERT
START = datetime(2015, 1, 1, tzinfo=UTC)  # the earliest date taken of a seeded item
Seed = Callable[..., None]  # seed(session, owner_id, total, rng, *, prefix=…)


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    """`repeat` timings of `function()`, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 3)}


@contextmanager
def scratch_database(admin_url: str = DEFAULT_ADMIN_URL, *, empty_url: str | None = None) -> Iterator[str]:
    """The URL of a new PostgreSQL database made from `admin_url` and dropped afterwards, or of
    `empty_url` when given (which must hold no tables; it is left as the run leaves it)."""
    if empty_url:
        engine = db.make_engine(empty_url)
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
        engine.dispose()
        if tables:
            raise SystemExit(f"--database-url must name an empty database; it has tables: {sorted(tables)[:5]}")
        yield empty_url
        return
    admin_engine = db.make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"ms_bench_{uuid.uuid4().hex[:10]}"
    with admin_engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        db.dispose_all()
        with admin_engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


def add_ratios(figures: dict[str, object], reference: str, *, key: str) -> None:
    """figures[key] = each timed figure's p50 over the `reference` figure's p50."""
    base = max(figures[reference]["p50_ms"], 1e-6)  # type: ignore[index]
    figures[key] = {
        label: round(value["p50_ms"] / base, 2)
        for label, value in figures.items()
        if isinstance(value, dict) and "p50_ms" in value and label != reference
    }


def report(figures: dict[str, object], *, width: int = 22) -> None:
    """One line per figure, then all of them as one JSON object (the last line)."""
    for label, value in figures.items():
        print(f"{label:>{width}}: {value}")
    print(json.dumps(figures))


def library_arguments(description: str) -> argparse.Namespace:
    """The options of the library benches (gallery, search, timeline and map)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="10,000 items and fewer repetitions")
    parser.add_argument("--items", type=int, help="how many items to seed (default 100,000)")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL,
                        help="a PostgreSQL database to create the scratch database from")
    return parser.parse_args()


def library_accounts(session: Session) -> tuple[User, User]:
    """A superuser (so the platform is set up as in production), the library's owner and another user."""
    make = dict(actor=None, password="bench password 123", role=Role.USER, verified=True)
    users.create_user(session, username="bench-root", email="root@example.com", **{**make, "role": Role.SUPERUSER})
    owner = users.create_user(session, username="bench-owner", email="owner@example.com", **make)
    other = users.create_user(session, username="bench-other", email="other@example.com", **make)
    return owner, other


def seed_media(session: Session, owner_id: int, total: int, rng: random.Random, *, prefix: str) -> None:
    """`total` plain media rows for `owner_id` (85% photos, 12% videos, 3% audio; 2% trashed; no
    files), in multi-row INSERTs of BATCH rows."""
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


@dataclass
class Library:
    """A seeded scratch library: its session, the owner of the N items, a second user with N/10, how
    many times to time each case, and the figures so far (items, repeat, seed_s)."""

    session: Session
    owner: User
    other: User
    total: int
    repeat: int
    rng: random.Random
    figures: dict[str, object]

    def count_reference(self) -> Callable[[], object]:
        """The reference every library bench compares with: counting the owner's items."""
        return lambda: self.session.execute(sa.text("SELECT count(*) FROM media_items WHERE owner_id = :o"),
                                            {"o": self.owner.id}).scalar_one()

    def time_cases(self, cases: dict[str, Callable[[], object]]) -> None:
        """Each case once to warm the plan and the cache, then `repeat` timings into the figures."""
        for label, call in cases.items():
            call()
            self.figures[label] = summary(timed(call, self.repeat))


@contextmanager
def scratch_library(args: argparse.Namespace, *, repeat: tuple[int, int], seed: Seed = seed_media,
                    also: Callable[[Library], None] | None = None) -> Iterator[Library]:
    """A scratch database (dropped afterwards) migrated to head, with the library accounts, `seed` run
    for the owner (--items, else 100,000 or 10,000 with --quick) and for the other user (a tenth),
    then `also` (more seeding, counted in seed_s) and ANALYZE. `repeat` is (quick, full)."""
    total = args.items or (10_000 if args.quick else 100_000)
    library_repeat = repeat[0] if args.quick else repeat[1]
    rng = random.Random(20261121)
    with scratch_database(args.admin_url) as url:
        migrations.upgrade(url)
        with Session(db.engine(url), expire_on_commit=False) as session:
            owner, other = library_accounts(session)
            library = Library(session=session, owner=owner, other=other, total=total, repeat=library_repeat,
                              rng=rng, figures={"items": total, "repeat": library_repeat})
            started = time.perf_counter()
            seed(session, owner.id, total, rng, prefix="a")
            seed(session, other.id, total // 10, rng, prefix="b")
            if also is not None:
                also(library)
            library.figures["seed_s"] = round(time.perf_counter() - started, 2)
            session.execute(sa.text("ANALYZE media_items"))
            session.commit()
            yield library
