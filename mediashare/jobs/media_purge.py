"""The daily purge of the trash: items trashed more than 30 days ago go for good (idempotent)."""

from __future__ import annotations

from mediashare import db
from mediashare.services import gallery


def purge_expired_trash() -> int:
    """Delete rows and files of items trashed over `gallery.TRASH_DAYS` ago; returns how many."""
    with db.session_scope() as session:
        return gallery.purge_expired(session)
