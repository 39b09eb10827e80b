"""Face suggestions in the background: look for faces in one photo, or in a whole library.

`find_faces` runs after an image's derivatives are made (jobs/media.py) and `scan_library` when a
person asks for their existing photos ("Find faces in my library"). Both take ids, open their own
session and are idempotent: a photo already looked at (at the picture it shows now) is skipped,
and nothing runs while face suggestions are off for the owner or the whole site.
"""

from __future__ import annotations

import logging

import numpy as np
from PIL import Image
from sqlmodel import Session

from mediashare import db
from mediashare.imaging import faces
from mediashare.models import MediaItem
from mediashare.services import ingest, people

log = logging.getLogger(__name__)

_BATCH = 50


def _read(preview_key: str) -> np.ndarray:
    with ingest.storage().open(preview_key, area="derived") as handle, Image.open(handle) as image:
        return np.asarray(image.convert("RGB"))


def find_faces(media_id: int) -> int:
    """Detect faces on item `media_id`'s shown picture and store them as suggestions; returns how
    many suggestions were added (0 when there was nothing to do)."""
    with db.session_scope() as session:
        target = people.photo_to_scan(session, media_id)
        if target is None:
            return 0
        preview_key = target[1]
    try:
        found = faces.detect(_read(preview_key))
    except (OSError, ValueError):
        log.warning("face detection could not read the preview of media %s", media_id, exc_info=True)
        found = []  # recorded as looked at: an unreadable preview is not retried for ever
    boxes = [people.Box(x=box.x, y=box.y, w=box.w, h=box.h) for box in found]
    with db.session_scope() as session:
        if not people.suggestions_on(session, _owner_of(session, media_id)):
            return 0  # switched off while we were looking
        return people.record_detection(session, media_id=media_id, preview_key=preview_key, boxes=boxes)


def _owner_of(session: Session, media_id: int) -> int:
    item = session.get(MediaItem, media_id)
    return item.owner_id if item is not None else 0


def scan_library(user_id: int) -> int:
    """Look at every ready photo of `user_id` not looked at yet; returns how many were looked at."""
    seen: set[int] = set()
    while True:
        with db.session_scope() as session:
            if not people.suggestions_on(session, user_id):
                return len(seen)
            batch = [media_id for media_id in people.unscanned_ids(session, owner_id=user_id,
                                                                   limit=_BATCH + len(seen))
                     if media_id not in seen][:_BATCH]
        if not batch:  # done, or only photos that cannot be looked at (no preview) are left
            return len(seen)
        for media_id in batch:
            find_faces(media_id)
            seen.add(media_id)
