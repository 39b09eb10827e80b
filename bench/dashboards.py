"""Cost of the dashboards' aggregate queries at 100,000 users and 1,000,000 items on PostgreSQL,
against a plain count measured in the same run.

    .venv/bin/python bench/dashboards.py [--quick] [--users N] [--items N] [--admin-url URL]

Creates a scratch PostgreSQL database (dropped afterwards), migrates it and seeds it in SQL
(generate_series, no files): N users (100,000; 10,000 with --quick) of every role and status who
signed up over a year, M items (1,000,000; 100,000 with --quick) uploaded over two years, one
session per user, a grant and a spend per user in the ledger (2 × N transactions over the last year, ids in time
order, 4 × N entries),
two audit events per user, and 10,000 items of the person whose own dashboard is timed. Then it
runs VACUUM ANALYZE and times each query of services/dashboards.py, the whole admin dashboard and
the user dashboard. The reference is `SELECT count(*) FROM media_items`, so each ratio says what a
figure costs compared with merely counting the items.

Prints one line per figure, then a JSON object of all figures as the last line.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlmodel import Session

from bench.common import DEFAULT_ADMIN_URL, add_ratios, library_accounts, report, scratch_database, summary, timed
from mediashare import db, migrations
from mediashare.models import User, utc_now
from mediashare.services import dashboards

FIRST_ID = 100  # bulk users start here (the accounts made through the service come first)
OWN_ITEMS = 10_000

_SEED = (
    # Users: 1 in 1,000 an admin, 1 in 100 a reseller; 1 in 37 deactivated; signed up over a year.
    """INSERT INTO users (id, username, username_key, email, email_key, display_name, password_hash, role,
           is_active, failed_login_count, password_changed_at, storage_used_bytes, created_at, updated_at)
       SELECT :first + g, 'u' || g, 'u' || g, 'u' || g || '@example.com', 'u' || g || '@example.com', '',
              repeat('x', 60),
              CASE WHEN g % 1000 = 0 THEN 'admin' WHEN g % 100 = 0 THEN 'reseller' ELSE 'user' END,
              g % 37 <> 0, 0, :now, (g * 7919) % 5000000000, :now - make_interval(mins => ((g * 37) % 525600)::int),
              :now
       FROM generate_series(1::bigint, :users) AS g""",
    # Items: spread over the users and over two years; 80 % photos, 10 % videos, 10 % audio.
    """INSERT INTO media_items (owner_id, uploaded_by_id, status, kind, original_filename, title, description,
           extension, mime, size_bytes, sha256, storage_key, sort_at, exif, error, uploaded_at, updated_at,
           search_text)
       SELECT :first + 1 + g % :users, NULL, CASE WHEN g % 500 = 0 THEN 'failed' ELSE 'ready' END,
              CASE g % 10 WHEN 0 THEN 'video' WHEN 1 THEN 'audio' ELSE 'image' END,
              'f' || g || '.jpg', '', '', 'jpg', 'image/jpeg', 100000 + (g * 7919) % 8000000, md5(g::text),
              md5(g::text), t, '{}', '', t, t, ''
       FROM (SELECT g, :now - make_interval(mins => ((g * 53) % 1051200)::int) AS t
             FROM generate_series(1::bigint, :items) AS g) AS s""",
    """INSERT INTO media_items (owner_id, status, kind, original_filename, title, description, extension, mime,
           size_bytes, sha256, storage_key, sort_at, exif, error, uploaded_at, updated_at, search_text)
       SELECT :owner, 'ready', CASE g % 4 WHEN 0 THEN 'video' ELSE 'image' END, 'own' || g || '.jpg', '', '',
              'jpg', 'image/jpeg', 2000000, md5('own' || g), md5('own' || g), t, '{}', '', t, t, ''
       FROM (SELECT g, :now - make_interval(mins => (g * 97)::int) AS t
             FROM generate_series(1::bigint, :own) AS g) AS s""",
    # One session per user, last used within the last two weeks.
    """INSERT INTO auth_sessions (user_id, token_hash, ip, user_agent, created_at, last_seen_at, expires_at)
       SELECT :first + g, md5(g::text) || md5((g + 1)::text), '', '', :now - interval '20 days',
              :now - make_interval(mins => ((g * 13) % 20160)::int), :now + interval '10 days'
       FROM generate_series(1::bigint, :users) AS g""",
    # The ledger: an account per user, a grant (issuance → user) and a spend (user → consumption) each.
    """INSERT INTO ledger_accounts (id, user_id, balance, created_at) SELECT id, id, 90, :now FROM users""",
    # Ids follow time, as the ledger writes them: grants and spends alternate over the last year.
    """INSERT INTO ledger_transactions (id, kind, amount, idempotency_key, reference, actor_id, created_at)
       SELECT g, CASE WHEN g % 2 = 1 THEN 'grant' ELSE 'spend' END, CASE WHEN g % 2 = 1 THEN 100 ELSE 10 END,
              'k' || g, '', NULL, :now - make_interval(mins => ((2 * :users - g) * 525600 / (2 * :users))::int)
       FROM generate_series(1::bigint, 2 * :users) AS g""",
    """INSERT INTO ledger_entries (transaction_id, account_id, amount)
       SELECT g, CASE WHEN side = 0 AND g % 2 = 1 THEN -1 WHEN side = 1 AND g % 2 = 0 THEN -2
                      ELSE :first + 1 + ((g - 1) / 2) % :users END,
              CASE WHEN g % 2 = 1 THEN 100 ELSE 10 END * CASE WHEN side = 0 THEN -1 ELSE 1 END
       FROM generate_series(1::bigint, 2 * :users) AS g, (VALUES (0), (1)) AS sides (side)
       ORDER BY g, side""",
    # Two audit events per user, and some by the timed person.
    """INSERT INTO audit_events (created_at, action, actor_id, actor_label, target_id, target_label, ip, user_agent,
           details)
       SELECT :now - make_interval(mins => ((g * 29) % 525600)::int), 'auth.login_succeeded',
              CASE WHEN g % 1000 = 0 THEN :owner ELSE :first + 1 + g % :users END, 'someone', NULL, '', '', '', '{}'
       FROM generate_series(1::bigint, 2 * :users) AS g""",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 users, 100,000 items, fewer repetitions")
    parser.add_argument("--users", type=int)
    parser.add_argument("--items", type=int)
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    args = parser.parse_args()
    users = args.users or (10_000 if args.quick else 100_000)
    items = args.items or (100_000 if args.quick else 1_000_000)
    own = OWN_ITEMS // 10 if args.quick else OWN_ITEMS
    repeat = 7 if args.quick else 25

    figures: dict[str, object] = {"users": users, "items": items + own, "repeat": repeat}
    with scratch_database(args.admin_url) as url:
        migrations.upgrade(url)
        engine = db.engine(url)
        with Session(engine, expire_on_commit=False) as session:
            owner, _other = library_accounts(session)
            started = time.perf_counter()
            values = {"first": FIRST_ID, "users": users, "items": items, "own": own, "owner": owner.id,
                      "now": utc_now()}
            for statement in _SEED:
                session.execute(sa.text(statement), values)
            session.commit()
            figures["seed_s"] = round(time.perf_counter() - started, 2)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))

        with Session(engine, expire_on_commit=False) as session:
            admin = session.execute(sa.text("SELECT id FROM users WHERE role = 'superuser'")).scalar_one()
            root, me = session.get(User, admin), session.get(User, owner.id)
            now = utc_now()
            cases: dict[str, Callable[[], object]] = {
                "count_reference": lambda: session.execute(sa.text("SELECT count(*) FROM media_items")).scalar_one(),
                "users_by_role_and_storage": lambda: dashboards.users_by_role(session),
                "signups_30d": lambda: dashboards.signups(session, now=now),
                "uploads_30d": lambda: dashboards.uploads(session, now=now),
                "credits_30d": lambda: dashboards.credits(session, now=now),
                "credits_in_circulation": lambda: dashboards.in_circulation(session),
                "sessions_now": lambda: dashboards.sessions_now(session, now=now),
                "failed_items": lambda: dashboards.failed_items(session),
                "recent_audit": lambda: dashboards.recent_audit(session),
                "admin_dashboard": lambda: dashboards.admin_dashboard(session, actor=root),
                "user_dashboard": lambda: dashboards.user_dashboard(session, actor=me),
            }
            for label, call in cases.items():
                call()  # warm the plan and the cache
                figures[label] = summary(timed(call, repeat))
            board = dashboards.admin_dashboard(session, actor=root)
            assert board.total_users == users + 3 and sum(day.items for day in board.uploads) > 0
            assert dashboards.user_dashboard(session, actor=me).recent_uploads

    add_ratios(figures, "count_reference", key="ratios_p50_vs_count")
    report(figures)


if __name__ == "__main__":
    main()
