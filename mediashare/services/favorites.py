"""Favorites: a user stars items they may view (their own, or their team's for admins and resellers)
and finds them again in their favorites view (gallery.list_page(favorites_only=True))."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from mediashare.models import MediaFavorite, User, utc_now
from mediashare.services import gallery, media


def set_favorite(session: Session, *, actor: User, media_id: int, favorite: bool) -> bool:
    """Star (or unstar) one item for `actor`; returns whether it is a favorite now. NotFound for an
    item the actor may not view. Doing it twice changes nothing."""
    if not isinstance(favorite, bool):
        raise TypeError("favorite is a bool")
    item = media.viewable(session, actor=actor, media_id=media_id)
    _apply(session, user_id=actor.id, media_ids=[item.id], favorite=favorite)  # type: ignore[list-item, arg-type]
    session.commit()
    return favorite


def set_favorites(session: Session, *, actor: User, ids: Iterable[int], favorite: bool) -> int:
    """Star (or unstar) several items at once (all or none: NotFound if any may not be acted on)."""
    items = gallery.authorized_items(session, actor=actor, ids=ids)
    _apply(session, user_id=actor.id, media_ids=[item.id for item in items], favorite=favorite)  # type: ignore[misc, arg-type]
    session.commit()
    return len(items)


def _apply(session: Session, *, user_id: int, media_ids: list[int], favorite: bool) -> None:
    if not media_ids:
        return
    table = MediaFavorite.__table__  # type: ignore[attr-defined]
    if not favorite:
        session.execute(sa.delete(table).where(table.c.user_id == user_id, table.c.media_id.in_(media_ids)))
        return
    have = gallery.favorite_ids(session, user_id=user_id, media_ids=media_ids)
    now = utc_now()
    rows = [{"user_id": user_id, "media_id": media_id, "created_at": now} for media_id in media_ids
            if media_id not in have]
    if rows:
        # A concurrent star of the same item by the same user is harmless: the key already holds it.
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        session.execute(insert(table).values(rows).on_conflict_do_nothing())
