"""A viewer's own catalog lists: favorites (apart from "my list", which is what to watch next) and
the watch history (what they played, when, how far).

History rows are written by `catalog.start_play` (every start, free or paid, in the same transaction
as the play window); how far someone got is their playback position on the entry's item (the
resume position the players report). Forgetting an entry drops its history row and that position,
so it also leaves "continue watching". Lists leave out entries the viewer can no longer see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediashare.errors import NotFound
from mediashare.models import CatalogEntry, CatalogFavorite, CatalogPlay, PlaybackPosition, User
from mediashare.services import catalog

NOT_IN_HISTORY = "That title is not in your history."
MAX_HISTORY = 200


# ---- favorites ----------------------------------------------------------------------------------------

def set_favorite(session: Session, *, actor: User, entry_id: int, on: bool) -> bool:
    """Mark an entry `actor` can see as a favorite, or unmark it (idempotent). Commits."""
    if not isinstance(on, bool):
        raise TypeError("on is a bool")
    return catalog.set_mark(session, CatalogFavorite, actor=actor, entry_id=entry_id, on=on)


def favorite_ids(session: Session, *, user: User, entry_ids: list[int]) -> set[int]:
    return catalog.marked_ids(session, CatalogFavorite, user=user, entry_ids=entry_ids)


def favorites(session: Session, *, viewer: User, limit: int = 60) -> list[catalog.Card]:
    """`viewer`'s favorites, most recently marked first (entries they can no longer see left out)."""
    stmt = (catalog._visible_query(session, viewer)
            .join(CatalogFavorite, sa.and_(CatalogFavorite.entry_id == CatalogEntry.id,
                                           CatalogFavorite.user_id == viewer.id))
            .order_by(col(CatalogFavorite.created_at).desc())
            .limit(max(1, min(int(limit), catalog.MAX_PAGE))))
    return [catalog._card(entry, item) for entry, item in session.exec(stmt).all()]


# ---- watch history ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Played:
    """One line of the history page."""

    card: catalog.Card
    played_at: datetime  # the latest start
    plays: int
    position_seconds: float | None  # how far (None: no position reported yet)
    duration_seconds: float | None


def history(session: Session, *, viewer: User, limit: int = MAX_HISTORY) -> list[Played]:
    """What `viewer` played, the latest start first."""
    stmt = (catalog._visible_query(session, viewer).add_columns(CatalogPlay, PlaybackPosition)
            .join(CatalogPlay, sa.and_(CatalogPlay.entry_id == CatalogEntry.id, CatalogPlay.user_id == viewer.id))
            .outerjoin(PlaybackPosition, sa.and_(PlaybackPosition.media_id == CatalogEntry.media_id,
                                                 PlaybackPosition.user_id == viewer.id))
            .order_by(col(CatalogPlay.played_at).desc(), col(CatalogPlay.entry_id).desc())
            .limit(max(1, min(int(limit), MAX_HISTORY))))
    return [Played(card=catalog._card(entry, item), played_at=play.played_at, plays=play.plays,
                   position_seconds=position.position_seconds if position is not None else None,
                   duration_seconds=(position.duration_seconds if position is not None else None)
                   or item.duration_seconds)
            for entry, item, play, position in session.exec(stmt).all()]


def _forget(session: Session, user: User, entry_ids: list[int]) -> int:
    if not entry_ids:
        return 0
    media_ids = select(CatalogEntry.media_id).where(col(CatalogEntry.id).in_(entry_ids))
    session.execute(sa.delete(PlaybackPosition).where(col(PlaybackPosition.user_id) == user.id,
                                                      col(PlaybackPosition.media_id).in_(media_ids)))
    return session.execute(sa.delete(CatalogPlay).where(col(CatalogPlay.user_id) == user.id,
                                                        col(CatalogPlay.entry_id).in_(entry_ids))).rowcount


def forget(session: Session, *, actor: User, entry_id: int) -> None:
    """Take one entry out of `actor`'s history (and forget how far they got). NotFound when it is not
    in their history. Commits."""
    entry_id = catalog._as_id(entry_id)
    if session.get(CatalogPlay, (actor.id, entry_id)) is None:
        raise NotFound(NOT_IN_HISTORY)
    _forget(session, actor, [entry_id])
    session.commit()


def forget_all(session: Session, *, actor: User) -> int:
    """Clear `actor`'s whole history (and the positions of those entries); returns how many. Commits."""
    ids = list(session.exec(select(CatalogPlay.entry_id).where(CatalogPlay.user_id == actor.id)).all())
    count = _forget(session, actor, ids)
    session.commit()
    return count
