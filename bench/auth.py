"""Cost of signing in and of the per-event session check, against references measured in the same run.

    .venv/bin/python bench/auth.py [--quick] [--database-url URL]

Prints one line per figure, then a JSON object of all figures as the last line. The reference for
hashing is one SHA-256 of the same password; for the session check it is a bare `SELECT 1` on the
same database, so the ratio shows what our authorization adds to every event.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlmodel import Session

from bench.common import summary, timed
from mediashare import db, migrations
from mediashare.models import Role
from mediashare.services import auth, passwords, users


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (well under a minute)")
    parser.add_argument("--database-url", help="database to use (default: a temporary SQLite file)")
    args = parser.parse_args()
    repeat = 10 if args.quick else 50
    password = "correct horse battery staple"

    figures: dict[str, object] = {"repeat": repeat}
    stored = passwords.hash_password(password)
    figures["hash"] = summary(timed(lambda: passwords.hash_password(password), repeat))
    figures["verify"] = summary(timed(lambda: passwords.verify_password(password, stored), repeat))
    figures["verify_unknown_account"] = summary(timed(lambda: passwords.verify_password(password, None), repeat))
    figures["sha256_reference"] = summary(timed(lambda: hashlib.sha256(password.encode()).digest(), repeat))

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        migrations.upgrade(url)
        with Session(db.engine(url), expire_on_commit=False) as session:
            users.create_user(session, actor=None, username="bench", email="bench@example.com",
                              password=password, role=Role.SUPERUSER)
            client = auth.Client(ip="127.0.0.1", user_agent="bench")
            # A returning browser (its device cookie): a new device each time would announce itself.
            device_key = auth.login(session, identifier="bench", password=password, client=client).device_key
            tokens: list[str] = []
            figures["login"] = summary(timed(
                lambda: tokens.append(auth.login(session, identifier="bench", password=password, client=client,
                                                 device_key=device_key).token),
                repeat,
            ))
            token = tokens[-1]
            figures["resolve_session"] = summary(timed(lambda: auth.resolve(session, token), repeat * 20))
            figures["select_1_reference"] = summary(timed(lambda: session.execute(sa.text("SELECT 1")), repeat * 20))
        db.dispose_all()

    figures["login_vs_verify"] = round(figures["login"]["p50_ms"] / figures["verify"]["p50_ms"], 2)
    figures["unknown_vs_known_verify"] = round(
        figures["verify_unknown_account"]["p50_ms"] / figures["verify"]["p50_ms"], 2
    )
    figures["resolve_vs_select_1"] = round(
        figures["resolve_session"]["p50_ms"] / max(figures["select_1_reference"]["p50_ms"], 1e-6), 2
    )
    for name, value in figures.items():
        print(f"{name:>26}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
