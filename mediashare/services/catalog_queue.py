"""The music queue's rules: which entries may be queued (published music the viewer can see), and
how "play now", "play next", "add to queue", shuffle and removing reorder it.

The queue itself (a list of entry ids and the index of the current one) lives in the player's state
on the server; every action passes it through `tracks`, which keeps only what the viewer may still
see, so an entry unpublished meanwhile simply drops out. Playing a track is `catalog.start_play`,
the same call as for videos: a priced track opens (and pays for) its play window once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlmodel import Session, col

from mediashare.errors import NotFound
from mediashare.models import CatalogEntry, EntryKind, User
from mediashare.services import catalog

NOT_MUSIC = "That song is not in the catalog."
MAX_QUEUE = 200


def _music_query(session: Session, viewer: User):
    return catalog._visible_query(session, viewer).where(CatalogEntry.kind == EntryKind.MUSIC)


def track(session: Session, *, viewer: User, entry_id: int) -> catalog.Card:
    """One music entry `viewer` may play; NotFound otherwise (also for films and episodes)."""
    if not viewer.is_active:
        raise NotFound(NOT_MUSIC)
    try:
        entry_id = catalog._as_id(entry_id)
    except NotFound:
        raise NotFound(NOT_MUSIC) from None
    row = session.exec(_music_query(session, viewer).where(CatalogEntry.id == entry_id)).first()
    if row is None:
        raise NotFound(NOT_MUSIC)
    return catalog._card(row[0], row[1])


def tracks(session: Session, *, viewer: User, entry_ids: list[int]) -> list[catalog.Card]:
    """The entries of `entry_ids` that are music `viewer` may play, in the given order (repeats and
    the rest dropped; at most MAX_QUEUE)."""
    wanted = list(dict.fromkeys(i for i in entry_ids if isinstance(i, int) and not isinstance(i, bool)))
    wanted = wanted[:MAX_QUEUE]
    if not wanted or not viewer.is_active:
        return []
    found = {entry.id: catalog._card(entry, item) for entry, item in session.exec(
        _music_query(session, viewer).where(col(CatalogEntry.id).in_(wanted))).all()}
    return [found[i] for i in wanted if i in found]


def group(session: Session, *, viewer: User, key: str) -> list[catalog.Card]:
    """The music of a catalog row, newest first: "music" (all of it) or "genre-<id>"."""
    genre: int | None = None
    if key.startswith("genre-") and key[6:].isascii() and key[6:].isdigit() and len(key) <= 18:
        genre = int(key[6:])
    elif key != "music":
        raise NotFound("That row has no songs.")
    cards = catalog.browse(session, viewer=viewer, kind=EntryKind.MUSIC.value, genre=genre, limit=MAX_QUEUE)
    if not cards:
        raise NotFound("That row has no songs.")
    return cards


@dataclass(frozen=True)
class Queue:
    """Entry ids in play order, and the index of the current one (-1: nothing yet)."""

    ids: tuple[int, ...] = ()
    index: int = -1

    @property
    def current(self) -> int | None:
        return self.ids[self.index] if 0 <= self.index < len(self.ids) else None


def keep(queue: Queue, allowed: list[int]) -> Queue:
    """`queue` without the entries not in `allowed`; the current one stays current if it is kept,
    otherwise the next kept one becomes current."""
    allowed_set = set(allowed)
    ids = tuple(i for i in queue.ids if i in allowed_set)
    if queue.index < 0 or not ids:
        return Queue(ids, -1 if not ids or queue.index < 0 else 0)
    before = sum(1 for i in queue.ids[:queue.index] if i in allowed_set)
    return Queue(ids, min(before, len(ids) - 1))


def insert(queue: Queue, entry_id: int, *, mode: str) -> Queue:
    """"now": play it at once (right after the current one, which it replaces as current);
    "next": after the current one; "end": last. An entry already queued moves rather than repeats."""
    current = queue.current
    ids = [i for i in queue.ids if i != entry_id]
    index = ids.index(current) if current is not None and current != entry_id else -1
    if mode == "end":
        ids.append(entry_id)
    elif mode in ("now", "next"):
        ids.insert(index + 1, entry_id)
    else:
        raise ValueError(mode)
    ids = ids[-MAX_QUEUE:] if mode == "end" else ids[:MAX_QUEUE]
    if mode == "now" or (current is None or current == entry_id):
        return Queue(tuple(ids), ids.index(entry_id))
    return Queue(tuple(ids), ids.index(current))


def remove(queue: Queue, position: int) -> Queue:
    """Take the entry at `position` out; removing the current one makes the next one current."""
    if not 0 <= position < len(queue.ids):
        return queue
    ids = queue.ids[:position] + queue.ids[position + 1:]
    if not ids:
        return Queue()
    index = queue.index - 1 if position < queue.index else queue.index
    return Queue(ids, min(index, len(ids) - 1) if queue.index >= 0 else -1)


def shuffled(queue: Queue, rng: random.Random | None = None) -> Queue:
    """The current entry first, the others after it in a random order."""
    current = queue.current
    rest = [i for i in queue.ids if i != current]
    (rng or random.Random()).shuffle(rest)
    ids = ([current] if current is not None else []) + rest
    return Queue(tuple(ids), 0 if ids else -1)


def unshuffled(queue: Queue, original: list[int]) -> Queue:
    """Back to the order before shuffling (entries added since then keep their place at the end)."""
    present = set(queue.ids)
    ids = [i for i in original if i in present]
    ids += [i for i in queue.ids if i not in set(ids)]
    current = queue.current
    return Queue(tuple(ids), ids.index(current) if current is not None else -1)
