"""Put a video's playable version in a given state in a running server's data, as the job would.

    python -m tests.e2e.transcode_rows running MEDIA_ID PERCENT   → the job is "at PERCENT %"
    python -m tests.e2e.transcode_rows make MEDIA_ID              → the job runs to the end here

Run with the server's environment (DATA_DIR, DATABASE_URL) but without REDIS_URL.
"""

from __future__ import annotations

import sys

from sqlmodel import select

from mediashare import db
from mediashare.jobs import transcode as transcode_jobs
from mediashare.models import MediaRendition, RenditionStatus, utc_now
from mediashare.services import transcode


def main(action: str, media_id: int, percent: int = 0) -> None:
    with db.session_scope() as session:
        transcode.plan(session, media_id)
        row = session.exec(select(MediaRendition).where(MediaRendition.media_id == media_id,
                                                        MediaRendition.label == transcode.MAIN)).one()
        store, old = transcode.ingest.storage(), row.storage_key
        row.status = RenditionStatus.RUNNING if action == "running" else RenditionStatus.PENDING
        row.progress, row.storage_key, row.updated_at, row.claim = percent / 100, None, utc_now(), None
        session.commit()
        rendition_id = row.id
    if old:
        store.delete(old, area="derived")
    if action == "make":
        print(transcode_jobs.make_rendition(rendition_id))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *(int(value) for value in sys.argv[3:]))
