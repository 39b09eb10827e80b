"""Credit ledger throughput on PostgreSQL under 8 concurrent worker processes, against a reference measured in
the same run.

    .venv/bin/python bench/ledger.py [--quick] [--workers 8] [--operations N]
                                     [--database-url URL | --admin-url URL]

Uses the EMPTY PostgreSQL database given by --database-url (migrating it), or creates a scratch one
from --admin-url and drops it afterwards. Seeds an admin, 8 resellers with 25 customers each and
their credits, then lets the workers run N ledger operations in all (16,000 by default, 2,000 with
--quick), each its own committed transaction as the services run them: 70% spends, 20% reseller
transfers, 10% admin grants, with a replayed idempotency key every 20th operation. The reference is
the same number of operations, on as many worker processes, each a committed transaction of one plain
`UPDATE … SET balance = balance - 1` on a bare table: no entries, no check, no key, no audit. The
ratio says what the ledger's guarantees cost compared with the least a committed write costs.
Finally `ledger.verify` checks the books.

Prints one line per figure, then a JSON object of all figures as the last line.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlmodel import Session

from bench.common import DEFAULT_ADMIN_URL, scratch_database
from mediashare import db, migrations
from mediashare.errors import InsufficientCredits
from mediashare.models import Role, User, utc_now
from mediashare.services import ledger

RESELLERS, CUSTOMERS = 8, 25


def seed(session: Session) -> tuple[int, dict[int, list[int]]]:
    """Root, an admin, resellers with customers (bulk rows, one shared dummy hash), and their credits."""
    now = utc_now()
    table = User.__table__  # type: ignore[attr-defined]
    rows, number = [], 0

    def row(role: Role, parent_id: int | None) -> int:
        nonlocal number
        number += 1
        name = f"{role.value}{number}"
        rows.append({"id": number, "username": name, "username_key": name, "email": f"{name}@example.com",
                     "email_key": f"{name}@example.com", "display_name": "", "password_hash": "x" * 60,
                     "role": role.value, "parent_id": parent_id, "is_active": True, "email_verified_at": now,
                     "failed_login_count": 0, "password_changed_at": now, "created_at": now, "updated_at": now,
                     "storage_used_bytes": 0})
        return number

    root = row(Role.SUPERUSER, None)
    admin = row(Role.ADMIN, root)
    teams = {}
    for _ in range(RESELLERS):
        reseller = row(Role.RESELLER, admin)
        teams[reseller] = [row(Role.USER, reseller) for _ in range(CUSTOMERS)]
    session.execute(table.insert(), rows)
    session.execute(sa.text("SELECT setval('users_id_seq', :n)"), {"n": number})
    session.commit()
    granter = session.get(User, admin)
    for reseller, customers in teams.items():
        ledger.grant(session, actor=granter, to=session.get(User, reseller), amount=10_000_000, key=f"seed-{reseller}")
        for customer in customers:
            ledger.grant(session, actor=granter, to=session.get(User, customer), amount=1_000_000,
                         key=f"seed-{customer}")
    return admin, teams


def ledger_worker(url: str, number: int, admin_id: int, teams: dict[int, list[int]], label: str
                  ) -> Callable[[int], str]:
    """One worker's operation: 70% spends, 20% transfers, 10% grants, a replayed key every 20th."""
    rng = random.Random(number)
    session = Session(sa.create_engine(db.driver_url(url), pool_size=1), expire_on_commit=False)
    admin = session.get(User, admin_id)
    resellers = {reseller: session.get(User, reseller) for reseller in teams}
    people = {c: session.get(User, c) for customers in teams.values() for c in customers}
    ids = list(people)

    def operation(step: int) -> str:
        key = f"{label}{number}-{step}"
        roll = rng.random()
        kind = "replay" if step % 20 == 19 else "spend" if roll < 0.7 else "transfer" if roll < 0.9 else "grant"
        try:
            if kind == "replay":
                ledger.spend(session, actor=people[ids[number]], amount=1, key=f"{label}{number}-replayed")
            elif kind == "spend":
                ledger.spend(session, actor=people[rng.choice(ids)], amount=rng.randint(1, 5), key=key,
                             reference=f"media:{step}")
            elif kind == "transfer":
                reseller = rng.choice(list(teams))
                ledger.transfer(session, actor=resellers[reseller], to=people[rng.choice(teams[reseller])],
                                amount=rng.randint(1, 50), key=key)
            else:
                ledger.grant(session, actor=admin, to=people[rng.choice(ids)], amount=rng.randint(1, 20),
                             key=key)
        except InsufficientCredits:
            kind = "insufficient"
        return kind

    return operation


def reference_worker(url: str, number: int, *_: object) -> Callable[[int], str]:
    """One worker's reference operation: a committed single-row UPDATE, nothing else."""
    rng = random.Random(number)
    engine = sa.create_engine(db.driver_url(url), pool_size=1)
    statement = sa.text("UPDATE bench_reference SET balance = balance - 1 WHERE id = :id")

    def operation(_step: int) -> str:
        with engine.begin() as connection:  # a pooled connection per transaction, as a Session does
            connection.execute(statement, {"id": rng.randint(1, 256)})
        return "update"

    return operation


def _worker_process(make: Callable[..., Callable[[int], str]], arguments: tuple, steps: int,
                    barrier: Any, results: Any) -> None:
    try:
        operation = make(*arguments)
        operation(-1) if make is reference_worker else None  # connect before the clock starts
        barrier.wait()
        kinds: dict[str, list[float]] = {}  # kind: [count, seconds]
        for step in range(steps):
            started = time.perf_counter()
            kind = operation(step)
            tally = kinds.setdefault(kind, [0, 0.0])
            tally[0] += 1
            tally[1] += time.perf_counter() - started
        results.put(kinds)
    except BaseException as error:  # reported by the parent
        barrier.abort()
        results.put(repr(error))


def in_workers(workers: int, total: int, make: Callable[..., Callable[[int], str]], *arguments: object
               ) -> tuple[float, dict[str, dict[str, float]]]:
    """Run `total` operations split over `workers` processes started together (own engines, no
    shared interpreter lock, as separate app workers would); wall time in seconds and the mix."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(workers + 1), context.Queue()
    processes = [context.Process(target=_worker_process,
                                 args=(make, (arguments[0], number, *arguments[1:]), total // workers, barrier,
                                       results))
                 for number in range(workers)]
    for process in processes:
        process.start()
    barrier.wait(timeout=120)
    started = time.perf_counter()
    outcomes = [results.get(timeout=600) for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    mix: dict[str, list[float]] = {}
    for outcome in outcomes:
        if isinstance(outcome, str):
            raise SystemExit(f"a worker failed: {outcome}")
        for kind, (count, seconds) in outcome.items():
            tally = mix.setdefault(kind, [0, 0.0])
            tally[0] += count
            tally[1] += seconds
    return elapsed, {kind: {"count": int(count), "mean_ms": round(seconds / count * 1000, 2)}
                     for kind, (count, seconds) in mix.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 operations instead of 16,000")
    parser.add_argument("--workers", type=int, default=8, help="concurrent worker processes (default 8)")
    parser.add_argument("--operations", type=int, help="ledger operations in all")
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database to use (left with the data)")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL,
                        help="without --database-url: where to create (and drop) a scratch database")
    args = parser.parse_args()
    total = args.operations or (2_000 if args.quick else 16_000)
    workers = args.workers
    figures: dict[str, object] = {"workers": workers, "operations": total}

    with scratch_database(args.admin_url, empty_url=args.database_url) as url:
        migrations.upgrade(url)
        engine = sa.create_engine(db.driver_url(url))
        with Session(engine, expire_on_commit=False) as session:
            admin_id, teams = seed(session)
            with session.begin():
                session.execute(sa.text("CREATE TABLE bench_reference (id integer PRIMARY KEY, balance bigint)"))
                session.execute(sa.text("INSERT INTO bench_reference SELECT g, 1000000000 "
                                        "FROM generate_series(1, 256) g"))
        engine.dispose()
        db.dispose_all()  # nothing pooled crosses the fork

        in_workers(workers, workers * 20, reference_worker, url)  # warm the caches, both ways
        in_workers(workers, workers * 20, ledger_worker, url, admin_id, teams, "warm")
        reference_s, reference_mix = in_workers(workers, total, reference_worker, url)
        ledger_s, mix = in_workers(workers, total, ledger_worker, url, admin_id, teams, "w")
        done = total // workers * workers
        figures["ledger_ops_per_s"] = round(done / ledger_s, 1)
        figures["reference_ops_per_s"] = round(done / reference_s, 1)
        figures["ratio_ledger_vs_reference"] = round(reference_s / ledger_s, 3)
        figures["target_ops_per_s"] = 500
        figures["meets_target"] = done / ledger_s >= 500
        figures["mix"] = mix
        figures["reference_mean_ms"] = reference_mix["update"]["mean_ms"]
        engine = sa.create_engine(db.driver_url(url))
        with Session(engine) as session:
            started = time.perf_counter()
            report = ledger.verify(session)
            figures["verify_s"] = round(time.perf_counter() - started, 3)
            figures["verify_ok"] = report.ok
            figures["transactions"] = report.transactions
            figures["problems"] = report.problems[:5]
        engine.dispose()

    for label, value in figures.items():
        print(f"{label:>26}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
