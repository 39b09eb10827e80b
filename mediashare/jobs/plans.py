"""The monthly plan allotment as a periodic job (idempotent: each account is paid once a month)."""

from __future__ import annotations

from mediashare import db
from mediashare.services import plans


def grant_allotments() -> int:
    """Pay this month's allotment to every account on a plan not paid yet; returns how many."""
    with db.session_scope() as session:
        return plans.grant_period(session).granted
