"""What the bench scripts share: timing samples, their summary, a scratch PostgreSQL database, and the
report format (one line per figure, then one JSON object of all figures as the last line)."""

from __future__ import annotations

import argparse
import json
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlmodel import Session

from mediashare import db
from mediashare.models import Role, User
from mediashare.services import users

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


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
