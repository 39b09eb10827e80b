"""A user's media as the camera tests inspect it, as JSON:

    python -m tests.e2e.camera_report USERNAME      (with the server's environment)

Prints [{"id", "filename", "width", "height", "taken_at", "path"}] oldest first; `path` is the
original's file.
"""

from __future__ import annotations

import json
import sys

from sqlmodel import select

from mediashare import db
from mediashare.models import MediaItem, User
from mediashare.services import ingest


def report(username: str) -> list[dict]:
    with db.session_scope() as session:
        user = session.exec(select(User).where(User.username == username)).one()
        items = session.exec(select(MediaItem).where(MediaItem.owner_id == user.id).order_by(MediaItem.id))
        return [{"id": item.id, "filename": item.original_filename, "width": item.width, "height": item.height,
                 "taken_at": item.taken_at.isoformat() if item.taken_at else None,
                 "path": str(ingest.storage().path(item.storage_key))} for item in items]


if __name__ == "__main__":
    print(json.dumps(report(sys.argv[1])))
