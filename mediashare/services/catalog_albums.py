"""Music albums in the catalog: the songs one publisher published with the same artist and album
name (ignoring case and spacing), in disc and track order.

An album is not a row of its own: each song keeps `album_key` (services/catalog.py `album_key`, set
whenever a song's details are saved), and an album is whatever songs with that key a viewer may see.
So the audience rules are the catalog's own (`catalog.filtered`): another reseller's album, an
unpublished song or a trashed item never appear, and an album nobody may see is NotFound. Playing
an album puts its songs in the music queue (services/catalog_queue.py); each priced song still opens
(and pays for) its own play window as it plays.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediashare.errors import NotFound
from mediashare.models import CatalogEntry, EntryKind, User
from mediashare.services import catalog

NOT_FOUND = "That album is not in the catalog."
MAX_TRACKS = 200  # the music queue's length
HEX = set("0123456789abcdef")


@dataclass(frozen=True)
class Album:
    """An album as a viewer sees it: its songs in play order."""

    key: str
    title: str  # as the first song spells it
    artist: str
    tracks: list[catalog.Card]

    @property
    def cover(self) -> catalog.Card:
        """The song whose poster is the album's cover (the first one)."""
        return self.tracks[0]

    @property
    def seconds(self) -> float:
        """The total length of the songs whose length is known."""
        return sum(card.item.duration_seconds or 0.0 for card in self.tracks)

    @property
    def discs(self) -> int:
        return len({card.entry.disc_number or 1 for card in self.tracks})


def valid_key(value: object) -> str:
    """`value` if it has the shape of an album key (lowercase hex); NotFound otherwise."""
    if (not isinstance(value, str) or len(value) != catalog.ALBUM_KEY_LENGTH
            or not set(value) <= HEX):
        raise NotFound(NOT_FOUND)
    return value


def _order(card: catalog.Card) -> tuple:
    """Disc, then track number (songs without one after the numbered ones), then title."""
    entry = card.entry
    return (entry.disc_number or 1, entry.track_number is None, entry.track_number or 0,
            entry.title.casefold(), entry.id)


def _build(key: str, cards: list[catalog.Card]) -> Album:
    tracks = sorted(cards, key=_order)
    first = tracks[0].entry
    return Album(key=key, title=first.album, artist=next((c.entry.artist for c in tracks if c.entry.artist), ""),
                 tracks=tracks[:MAX_TRACKS])


def album(session: Session, *, viewer: User, key: str) -> Album:
    """The album `key` with the songs of it `viewer` may see; NotFound when they see none."""
    if not viewer.is_active:
        raise NotFound(NOT_FOUND)
    key = valid_key(key)
    stmt = catalog.filtered(session, viewer=viewer, kind=EntryKind.MUSIC.value).where(CatalogEntry.album_key == key)
    cards = [catalog._card(entry, item) for entry, item in session.exec(stmt.limit(MAX_TRACKS * 2)).all()]
    if not cards:
        raise NotFound(NOT_FOUND)
    return _build(key, cards)


def albums(session: Session, *, viewer: User, query: str = "", year: int | None = None, genre: int | None = None,
           limit: int = 20) -> list[Album]:
    """Albums `viewer` can see with at least one song passing the filters (`catalog.filtered`: words in a
    song's title, artist, album…), most recently published first; each with all its visible songs."""
    if not viewer.is_active:
        return []
    matching = (catalog.filtered(session, viewer=viewer, query=query, kind=EntryKind.MUSIC.value, year=year,
                                 genre=genre)
                .where(col(CatalogEntry.album_key).is_not(None)).with_only_columns(col(CatalogEntry.id)))
    newest = sa.func.max(CatalogEntry.published_at)
    keys = [key for key in session.exec(
        select(CatalogEntry.album_key).where(col(CatalogEntry.id).in_(matching))
        .group_by(col(CatalogEntry.album_key)).order_by(newest.desc(), col(CatalogEntry.album_key))
        .limit(max(1, min(int(limit), catalog.MAX_PAGE)))).all() if key]
    if not keys:
        return []
    grouped: dict[str, list[catalog.Card]] = {key: [] for key in keys}
    stmt = catalog.filtered(session, viewer=viewer, kind=EntryKind.MUSIC.value).where(
        col(CatalogEntry.album_key).in_(keys))
    for entry, item in session.exec(stmt).all():
        grouped[entry.album_key].append(catalog._card(entry, item))  # type: ignore[index]
    return [_build(key, cards) for key, cards in grouped.items() if cards]


def track_ids(session: Session, *, viewer: User, key: str) -> list[int]:
    """The album's songs `viewer` may play, in play order (the music queue's "Play album")."""
    return [card.entry.id for card in album(session, viewer=viewer, key=key).tracks]  # type: ignore[misc]
