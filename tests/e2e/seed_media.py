"""Run with a server's environment as `python -m tests.e2e.seed_media USERNAME COUNT FIRST_SEED
[--no-derivatives]`: stores COUNT real photos for USERNAME through ingest and prints their ids as
JSON; `python -m tests.e2e.seed_media --derivatives ID…` makes the derivatives later."""

from __future__ import annotations

import json
import sys

from mediashare import db
from mediashare.jobs import media as media_jobs
from mediashare.jobs import queue
from mediashare.services import auth, ingest, users
from tests.media_files import jpeg_bytes


def seed(username: str, count: int, first_seed: int, *, derivatives: bool = True) -> list[int]:
    queue.enqueue = lambda *args, **kwargs: None  # type: ignore[assignment]  # the job runs below, or later
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
    for media_id in ids if derivatives else ():
        media_jobs.make_derivatives(media_id)
    return ids


if __name__ == "__main__":
    if sys.argv[1] == "--derivatives":  # make the derivatives of the given ids now
        print(json.dumps([media_jobs.make_derivatives(int(media_id)) for media_id in sys.argv[2:]]))
    else:
        later = len(sys.argv) > 4 and sys.argv[4] == "--no-derivatives"
        print(json.dumps(seed(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), derivatives=not later)))
