"""Credits a dead request left on hold go back to their owner (a periodic job; idempotent)."""

from __future__ import annotations

from mediashare import db
from mediashare.services import credits


def release_abandoned_holds() -> int:
    """Release holds older than their action's limit that nothing settled; returns how many."""
    with db.session_scope() as session:
        return credits.release_abandoned(session)
