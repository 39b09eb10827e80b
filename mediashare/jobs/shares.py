"""Share-link work in the background: the copies without metadata of shared videos and audio."""

from __future__ import annotations

from mediashare import db
from mediashare.services import shares


def prepare_copies(share_id: int) -> int:
    """Make the metadata-free copies behind link `share_id` (harmless twice: made ones are kept)."""
    with db.session_scope() as session:
        return shares.prepare_copies(session, share_id)
