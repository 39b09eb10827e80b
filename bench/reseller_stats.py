"""How long the reseller figures take on PostgreSQL with a busy ledger.

    .venv/bin/python bench/reseller_stats.py [--quick] [--admin-url URL]

Creates a scratch database from --admin-url (dropped afterwards), migrates it, and bulk-seeds: one
reseller with 1,000 customers (500 with --quick) and 20 other resellers with as many customers
between them, each customer with 40 spends spread over the last 52 weeks (plus a transfer in), so
the ledger holds ~2 × 42 entries per customer. Then times `reseller_stats.dashboard` for the big
reseller and `reseller_stats.usage` for a page of 100 of its customers (median of 7 runs each).

Prints one line per figure, then a JSON object of all figures as the last line.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlmodel import Session

from bench.ledger import database  # the scratch-database helper
from mediashare import db, migrations
from mediashare.models import LedgerAccount, LedgerEntry, LedgerTransaction, Role, User, utc_now
from mediashare.services import reseller_stats

SPENDS = 40
OTHER_RESELLERS = 20


def seed(session: Session, customers: int) -> tuple[int, list[int]]:
    """Users, accounts, transactions and entries as bulk rows; returns the big reseller and its customers."""
    now = utc_now()
    users, number = [], 0

    def user(role: Role, parent_id: int | None) -> int:
        nonlocal number
        number += 1
        name = f"{role.value}{number}"
        users.append({"id": number, "username": name, "username_key": name, "email": f"{name}@example.com",
                      "email_key": f"{name}@example.com", "display_name": "", "password_hash": "x" * 60,
                      "role": role.value, "parent_id": parent_id, "is_active": True, "failed_login_count": 0,
                      "password_changed_at": now, "created_at": now, "updated_at": now, "storage_used_bytes": 0,
                      "last_login_at": now - timedelta(days=random.randint(0, 90))})
        return number

    root = user(Role.SUPERUSER, None)
    admin = user(Role.ADMIN, root)
    big = user(Role.RESELLER, admin)
    mine = [user(Role.USER, big) for _ in range(customers)]
    others = [user(Role.RESELLER, admin) for _ in range(OTHER_RESELLERS)]
    theirs = [(user(Role.USER, others[n % OTHER_RESELLERS]), others[n % OTHER_RESELLERS]) for n in range(customers)]
    session.execute(sa.insert(User.__table__), users)  # type: ignore[attr-defined]

    accounts = {user_id: user_id for user_id in [big, *others, *mine]}
    accounts.update({user_id: user_id for user_id, _ in theirs})
    transactions, entries, balances, tid = [], [], {}, 0
    rng = random.Random(7)
    for customer, reseller in [*((c, big) for c in mine), *theirs]:
        tid += 1
        transactions.append({"id": tid, "kind": "transfer", "amount": 1000, "idempotency_key": f"t{tid}",
                             "reference": "", "actor_id": reseller, "created_at": now - timedelta(weeks=53)})
        entries += [{"transaction_id": tid, "account_id": reseller, "amount": -1000},
                    {"transaction_id": tid, "account_id": customer, "amount": 1000}]
        spent = 0
        for _ in range(SPENDS):
            tid += 1
            amount = rng.randint(1, 20)
            spent += amount
            transactions.append({"id": tid, "kind": "spend", "amount": amount, "idempotency_key": f"t{tid}",
                                 "reference": "", "actor_id": customer,
                                 "created_at": now - timedelta(minutes=rng.randint(0, 52 * 7 * 24 * 60))})
            entries += [{"transaction_id": tid, "account_id": customer, "amount": -amount},
                        {"transaction_id": tid, "account_id": -2, "amount": amount}]
        balances[customer] = 1000 - spent
    # Ids follow time, as they do when the ledger writes them: renumber the transactions by created_at.
    order = {row["id"]: n for n, row in enumerate(sorted(transactions, key=lambda row: row["created_at"]), start=1)}
    for row in transactions:
        row["id"] = order[row["id"]]
    for row in entries:
        row["transaction_id"] = order[row["transaction_id"]]
    entries.sort(key=lambda row: row["transaction_id"])
    session.execute(sa.insert(LedgerAccount.__table__), [  # type: ignore[attr-defined]
        {"id": account, "user_id": user_id, "balance": balances.get(user_id, 10**9), "created_at": now}
        for user_id, account in accounts.items()])
    session.execute(sa.insert(LedgerTransaction.__table__), transactions)  # type: ignore[attr-defined]
    session.execute(sa.insert(LedgerEntry.__table__), entries)  # type: ignore[attr-defined]
    session.commit()
    session.execute(sa.text("ANALYZE"))
    return big, mine


def median_ms(run, times: int = 7) -> float:
    run()  # warm
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--admin-url", default="postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    customers = 500 if args.quick else 1000
    with database(args) as url:
        migrations.upgrade(url)
        with db.session_scope(url) as session:
            big, mine = seed(session, customers)
            entries = session.execute(sa.select(sa.func.count()).select_from(LedgerEntry)).scalar_one()
            reseller = session.get(User, big)
            figures = {
                "customers": customers,
                "ledger_entries": entries,
                "dashboard_ms": median_ms(lambda: reseller_stats.dashboard(session, actor=reseller)),
                "usage_100_rows_ms": median_ms(
                    lambda: reseller_stats.usage(session, actor=reseller, user_ids=mine[:100])),
            }
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
