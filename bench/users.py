"""Cost of the account list at platform scale, against a reference measured in the same run.

    .venv/bin/python bench/users.py [--quick] [--users N] [--admin-url URL]

Creates a scratch PostgreSQL database (dropped afterwards), seeds it with N accounts (100,000 by
default, 10,000 with --quick) in bulk, sharing one argon2id hash, then times the admin list the
way the pages call it: the first page, searches, a filtered and sorted page, a deep page, and a
reseller's team. The reference is a bare `SELECT count(*) FROM users` on the same database, so the
ratios say what the list costs compared with merely counting the accounts.

Prints one line per figure, then a JSON object of all figures as the last line.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlmodel import Session, select

from bench.common import DEFAULT_ADMIN_URL, add_ratios, report, scratch_database, summary, timed
from mediashare import db, migrations
from mediashare.models import Role, User, utc_now
from mediashare.services import passwords, user_admin
from mediashare.services.user_admin import Scope, Sort, UserFilter

FIRST = ("Ada", "Ben", "Carla", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivo", "Jonas", "Keiko", "Lena",
         "Mateo", "Nia", "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tomás", "Uma", "Vera", "Wen", "Yusuf", "Zoë")
LAST = ("Adams", "Berg", "Costa", "Dubois", "Evans", "Fischer", "García", "Hansen", "Ivanova", "Jensen", "Kim",
        "Larsen", "Müller", "Novak", "Okafor", "Petrov", "Rossi", "Schmidt", "Tanaka", "Weber")


def seed(session: Session, total: int, rng: random.Random) -> dict[str, User]:
    """Root, admins, resellers with their customers, and walk-in users below the root."""
    table = User.__table__  # type: ignore[attr-defined]
    password_hash = passwords.hash_password("bench password")
    now = utc_now()
    next_id = iter(range(1, total + 1))

    def row(role: Role, parent_id: int | None) -> dict[str, object]:
        number = next(next_id)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        username = f"{first.lower()[:3]}{last.lower()[:3]}{number}".encode("ascii", "ignore").decode()
        roll = rng.random()
        return {
            "id": number, "username": username, "username_key": username.casefold(),
            "email": f"{username}@example.com", "email_key": f"{username}@example.com",
            "display_name": f"{first} {last}", "password_hash": password_hash, "role": role.value,
            "parent_id": parent_id, "is_active": roll > 0.03,
            "email_verified_at": now if roll > 0.2 else None, "failed_login_count": 0,
            "locked_until": now + timedelta(minutes=10) if roll < 0.002 else None,
            "last_login_at": now - timedelta(minutes=rng.randrange(1, 500_000)) if roll > 0.3 else None,
            "password_changed_at": now,
            "created_at": now - timedelta(minutes=total - number), "updated_at": now,
        }

    rows = [row(Role.SUPERUSER, None)]
    admins = [row(Role.ADMIN, 1) for _ in range(max(2, total // 5000))]
    resellers = [row(Role.RESELLER, rng.choice(admins)["id"]) for _ in range(max(5, total // 100))]  # type: ignore[arg-type]
    rows += admins + resellers
    while len(rows) < total:
        parent = rng.choice(resellers)["id"] if rng.random() < 0.9 else 1
        rows.append(row(Role.USER, parent))  # type: ignore[arg-type]
    for start in range(0, len(rows), 5000):
        session.execute(sa.insert(table), rows[start:start + 5000])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT setval(pg_get_serial_sequence('users', 'id'), :n)"), {"n": total})
    session.commit()
    session.execute(sa.text("ANALYZE users")) if session.get_bind().dialect.name == "postgresql" else None
    session.commit()
    biggest = session.exec(
        select(User.parent_id).where(User.role == Role.USER, User.parent_id != 1)
        .group_by(User.parent_id).order_by(sa.func.count().desc()).limit(1)
    ).one()
    return {"root": session.get(User, 1), "reseller": session.get(User, biggest)}  # type: ignore[dict-item]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 accounts and fewer repetitions")
    parser.add_argument("--users", type=int, help="how many accounts to seed (default 100,000)")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL,
                        help="a PostgreSQL database to create the scratch database from")
    args = parser.parse_args()
    total = args.users or (10_000 if args.quick else 100_000)
    repeat = 15 if args.quick else 60
    rng = random.Random(20261121)

    figures: dict[str, object] = {"users": total, "repeat": repeat}
    with scratch_database(args.admin_url) as url:
        migrations.upgrade(url)
        with Session(db.engine(url), expire_on_commit=False) as session:
            started = time.perf_counter()
            people = seed(session, total, rng)
            figures["seed_s"] = round(time.perf_counter() - started, 2)
            root, reseller = people["root"], people["reseller"]

            def page(actor: User, scope: Scope = Scope.EVERYONE, **options: object) -> Callable[[], object]:
                return lambda: user_admin.list_users(session, actor=actor, scope=scope, **options)  # type: ignore[arg-type]

            cases: dict[str, Callable[[], object]] = {
                "count_reference": lambda: session.execute(sa.text("SELECT count(*) FROM users")).scalar_one(),
                "first_page": page(root),
                "search_common": page(root, filters=UserFilter(q="müller")),
                "search_rare": page(root, filters=UserFilter(q=f"{total - 7}@exa")),
                "filtered_sorted": page(root, filters=UserFilter(role=Role.USER, active=True, verified=True),
                                        sort=Sort.LAST_LOGIN, descending=True, page=3),
                "sorted_by_role": page(root, sort=Sort.ROLE),
                "locked_only": page(root, filters=UserFilter(locked=True)),
                "deep_page": page(root, sort=Sort.CREATED, page=max(1, total // 25 - 2)),
                "reseller_team": page(reseller, Scope.TEAM),
                "reseller_team_search": page(reseller, Scope.TEAM, filters=UserFilter(q="an")),
            }
            for label, call in cases.items():
                call()  # warm the plan and the cache
                figures[label] = summary(timed(call, repeat))

    add_ratios(figures, "count_reference", key="ratios_p50_vs_count")
    report(figures)


if __name__ == "__main__":
    main()
