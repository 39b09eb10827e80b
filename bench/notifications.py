"""Cost of one bell poll (re-authorize, then count the unread) and of a notifications page, with many rows.

    .venv/bin/python bench/notifications.py [--quick] [--database-url URL]

Every open tab of a signed-in person runs one poll a second (state/notifications.py POLL_SECONDS),
so its cost times the open tabs is the load the live bell puts on the database. Seeds `--rows`
notifications over 20 accounts (a third unread), plus 2,000 for the account measured. The
reference is a bare `SELECT 1` on the same database. Prints one line per figure, then one JSON object.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlmodel import Session

from bench.common import add_ratios, report, summary, timed
from mediashare import db, migrations
from mediashare.models import Notification, Role, User, utc_now
from mediashare.services import auth, notifications, users

PASSWORD = "correct horse battery staple"


def _seed(session: Session, owners: list[int], per_user: int) -> None:
    now = utc_now()
    table = Notification.__table__  # type: ignore[attr-defined]
    rows = [{"user_id": owner, "kind": "share_viewed", "title": f"Note {n}", "body": "", "link": "/shares",
             "created_at": now - timedelta(minutes=n), "read_at": None if n % 3 == 0 else now, "repeat": 1}
            for owner in owners for n in range(per_user)]
    for start in range(0, len(rows), 5000):
        session.execute(sa.insert(table), rows[start:start + 5000])
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer accounts and repetitions")
    parser.add_argument("--database-url", help="an empty database to use (default: a temporary SQLite file)")
    parser.add_argument("--rows", type=int, help="notifications of other accounts (default 200,000; quick 20,000)")
    args = parser.parse_args()
    per_user = (args.rows or (20_000 if args.quick else 200_000)) // 20
    repeat = 100 if args.quick else 500

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        migrations.upgrade(url)
        with Session(db.engine(url), expire_on_commit=False) as session:
            make = dict(actor=None, password=PASSWORD, role=Role.USER, verified=True)
            users.create_user(session, username="bench-root", email="root@example.com",
                              **{**make, "role": Role.SUPERUSER})
            heavy = users.create_user(session, username="bench", email="bench@example.com", **make)
            others = [users.create_user(session, username=f"other{n:02d}", email=f"other{n}@example.com", **make).id
                      for n in range(20)]
            _seed(session, others, per_user)  # type: ignore[arg-type]
            _seed(session, [heavy.id], 2000)  # type: ignore[list-item]
            signed = auth.login(session, identifier="bench", password=PASSWORD,
                                client=auth.Client(ip="127.0.0.1", user_agent="bench"))
            token = signed.token  # type: ignore[union-attr]

            def poll() -> int:
                user = auth.resolve(session, token, touch=False)
                assert isinstance(user, User)
                return notifications.unread_count(session, actor=user)

            figures: dict[str, object] = {
                "rows": 20 * per_user + 2000, "user_rows": 2000, "user_unread": poll(), "repeat": repeat,
                "bell_poll": summary(timed(poll, repeat)),
                "page_1_all": summary(timed(lambda: notifications.page(session, actor=heavy), repeat // 5)),
                "page_1_unread": summary(timed(lambda: notifications.page(session, actor=heavy, unread_only=True),
                                               repeat // 5)),
                "select_1_reference": summary(timed(lambda: session.execute(sa.text("SELECT 1")), repeat)),
            }
        db.dispose_all()
    add_ratios(figures, "select_1_reference", key="vs_select_1")
    report(figures)


if __name__ == "__main__":
    main()
