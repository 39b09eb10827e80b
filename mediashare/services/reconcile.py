"""Make the database and the files agree again after a crash: the reconciler.

Run at start-up (`python -m mediashare run`) and on demand (`python -m mediashare reconcile`):
- rows still `pending` after the grace period (an upload died between its two commits) are
  removed with their file, if it got that far, and the owner's quota and credits are given back;
- files in `incoming/` older than the grace period (uploads cut off mid-stream) are removed;
- files under `originals/` or `derived/` that no row points at (items, edited versions, avatars, logos)
  are removed, and so are the temporary files of writes cut off before their rename (a derivative
  being made at the crash).
The grace period keeps it from touching uploads that are in progress right now.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from mediashare.models import CatalogEntry, MediaItem, MediaStatus, MediaVersion, User, utc_now
from mediashare.services import branding, credits, ingest, shared_copies, studio_versions, tickets, transcode

GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class Report:
    pending_rows_removed: int
    partial_uploads_removed: int
    orphan_files_removed: int

    def __str__(self) -> str:
        return (f"{self.pending_rows_removed} unfinished uploads, {self.partial_uploads_removed} partial files "
                f"and {self.orphan_files_removed} orphan files removed")


def reconcile(session: Session, *, grace: timedelta = GRACE) -> Report:
    store = ingest.storage()
    cutoff = utc_now() - grace

    stuck = session.exec(
        select(MediaItem).where(MediaItem.status == MediaStatus.PENDING, MediaItem.uploaded_at < cutoff)
    ).all()
    for item in stuck:
        store.delete(item.storage_key)
        credits.refund_media(session, item.id)
        session.execute(
            update(User).where(User.id == item.owner_id)
            .values(storage_used_bytes=User.storage_used_bytes - item.size_bytes)
        )
        session.delete(item)
    session.commit()

    partial = 0
    if store.incoming.is_dir():
        oldest = time.time() - grace.total_seconds()
        for path in store.incoming.iterdir():
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
                partial += 1

    originals = set(session.exec(select(MediaItem.storage_key)).all())
    derived: set[str] = set()
    for row in session.exec(select(MediaItem.preview_key, MediaItem.preview_jpeg_key, MediaItem.thumbnail_key)):
        derived.update(key for key in row if key)
    derived.update(key for key in session.exec(select(User.avatar_key)).all() if key)
    derived.update(branding.logo_keys(session))
    derived.update(tickets.attachment_keys(session))
    for row in session.exec(select(CatalogEntry.poster_key, CatalogEntry.backdrop_key)):
        derived.update(key for key in row if key)
    for version in session.exec(select(MediaVersion)):
        derived.update(studio_versions.version_keys(version))
    derived.update(transcode.all_keys(session))
    derived.update(shared_copies.all_keys(session))
    orphans = 0
    oldest = time.time() - grace.total_seconds()
    for area, known in (("originals", originals), ("derived", derived)):
        for key, path in list(store.keys(area)):
            if key not in known and path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
                orphans += 1
        for path in list(store.leftovers(area)):  # a write cut off before its rename
            if path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
                orphans += 1
    return Report(len(stuck), partial, orphans)
