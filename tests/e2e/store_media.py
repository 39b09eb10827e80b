"""Store media for an account in a running server's database and storage, as an upload would.

    python -m tests.e2e.store_media USERNAME FILE [FILE ...]   → prints the item ids as JSON

Run with the server's environment (DATA_DIR, DATABASE_URL) but without REDIS_URL, so the
derivatives are made here, before this returns.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from mediashare import db
from mediashare.jobs import queue
from mediashare.services import auth, ingest, users


def main(username: str, *files: str) -> list[int]:
    ids: list[int] = []
    with db.session_scope() as session:
        owner = users.find_by_login(session, username)
        assert owner is not None, f"no account {username}"
        for name in files:
            path = Path(name)
            with ingest.Receiver(ingest.storage(), filename=path.name,
                                 limit=ingest.limit_for(session, path.name)) as receiver:
                receiver.write(path.read_bytes())
            assert receiver.result is not None
            outcome = ingest.store(session, actor=owner, owner_id=owner.id, received=receiver.result,
                                   client=auth.Client(ip="127.0.0.1", user_agent="e2e"))
            ids.append(outcome.media_id)
    queue.drain_local()
    return ids


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], *sys.argv[2:])))
