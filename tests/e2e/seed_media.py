"""Run as `python -m tests.e2e.seed_media USERNAME COUNT` with a server's environment: stores COUNT
real photos for USERNAME through ingest (with derivatives) and prints their ids as JSON."""

from __future__ import annotations

import json
import sys

from mediashare import db
from mediashare.jobs import media as media_jobs
from mediashare.services import auth, ingest, users
from tests.media_files import jpeg_bytes


def seed(username: str, count: int, first_seed: int) -> list[int]:
    ids = []
    with db.session_scope() as session:
        user = users.find_by_login(session, username)
        for index in range(count):
            data = jpeg_bytes(640, 480, seed=first_seed + index)
            name = f"photo-{first_seed + index}.jpg"
            with ingest.Receiver(ingest.storage(), filename=name, limit=ingest.limit_for(session, name)) as receiver:
                receiver.write(data)
            outcome = ingest.store(session, actor=user, owner_id=user.id, received=receiver.result,
                                   client=auth.Client(ip="127.0.0.1", user_agent="e2e"))
            ids.append(outcome.media_id)
    for media_id in ids:
        media_jobs.make_derivatives(media_id)
    return ids


if __name__ == "__main__":
    print(json.dumps(seed(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)))
