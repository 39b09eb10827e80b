"""What a server's database and storage hold, as JSON, for tests that inspect them from outside:

    python -m tests.e2e.storage_report      (with the server's environment: DATA_DIR, DATABASE_URL)

Prints {"items": [...], "used": {username: storage_used_bytes}, "files": {area: [relative paths]}}.
"""

from __future__ import annotations

import json

from sqlmodel import select

from mediashare import db
from mediashare.models import MediaItem, User
from mediashare.services import ingest


def report() -> dict:
    root = ingest.storage().root
    files: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if path.is_file():
            area = path.relative_to(root).parts[0] if len(path.relative_to(root).parts) > 1 else ""
            files.setdefault(area, []).append(str(path.relative_to(root)))
    with db.session_scope() as session:
        items = [
            {"id": item.id, "owner_id": item.owner_id, "status": item.status.value, "filename": item.original_filename,
             "size": item.size_bytes, "sha256": item.sha256, "original": item.storage_key,
             "derived": sorted(key for key in (item.preview_key, item.preview_jpeg_key, item.thumbnail_key) if key)}
            for item in session.exec(select(MediaItem).order_by(MediaItem.id))
        ]
        users = {user.username: {"id": user.id, "used": user.storage_used_bytes, "avatar": user.avatar_key}
                 for user in session.exec(select(User))}
    return {"items": items, "users": users, "files": files}


if __name__ == "__main__":
    print(json.dumps(report()))
