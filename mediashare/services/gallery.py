"""The gallery: a person's media page by page (keyset), the trash, and bulk actions on chosen items.

Pages are fetched by keyset, never by offset: the cursor is the last card's (sort value, id),
encoded opaquely, so page 2,000 costs what page 1 costs (the composite indexes
(owner_id, trashed_at, sort_at, id) and (owner_id, trashed_at, uploaded_at, id) serve both the
filter and the order). Every function authorizes: an item is reachable by its owner and by anyone
who `access.can_manage` the owner; anything else looks like it does not exist.

Trash: trashing sets `trashed_at`; restoring clears it; emptying (or the daily purge of items
trashed more than `TRASH_DAYS` ago) removes rows first, then files, and gives the quota back.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare.errors import NotFound, ValidationFailed
from mediashare.models import (
    AuditAction,
    MediaFavorite,
    MediaItem,
    MediaKind,
    MediaRendition,
    MediaStatus,
    MediaTag,
    PlaybackPosition,
    Tag,
    User,
    utc_now,
)
from mediashare.services import access, audit, ingest, media, search, shared_copies, studio_versions, transcode

PAGE_SIZE = 60
MAX_PAGE_SIZE = 200
MAX_SELECTION = 500  # ids in one bulk action
TRASH_DAYS = 30
PROCESSING = (MediaStatus.PENDING, MediaStatus.STORED)


class Sort(StrEnum):
    TAKEN = "taken"  # sort_at: the taken date, else the upload date
    UPLOADED = "uploaded"


@dataclass(frozen=True)
class Card:
    """One item as a grid shows it."""

    id: int
    title: str
    filename: str
    kind: MediaKind
    status: MediaStatus
    has_thumbnail: bool
    sort_at: datetime
    uploaded_at: datetime
    trashed_at: datetime | None
    size_bytes: int
    owner_id: int
    favorite: bool = False  # starred by the person asking

    @property
    def processing(self) -> bool:
        return self.status in PROCESSING


@dataclass(frozen=True)
class Page:
    cards: list[Card]
    next_cursor: str | None  # None: this was the last page


def thumbnail_url(media_id: int, *, viewer_id: int | None) -> str:
    """The signed thumbnail URL of an item."""
    return media.url_for(media_id, "thumbnail", viewer_id)


# Cursors ------------------------------------------------------------------------------------------


def encode_cursor(value: datetime, media_id: int) -> str:
    raw = json.dumps([value.isoformat(), media_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (sort value, id) in `cursor`; raises ValidationFailed for anything we did not make."""
    try:
        if not isinstance(cursor, str) or len(cursor) > 200:
            raise ValueError
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        text, media_id = json.loads(raw)
        value = datetime.fromisoformat(text)
        if value.tzinfo is None or not isinstance(media_id, int) or isinstance(media_id, bool):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise ValidationFailed("That page of the gallery does not exist; reload the page.") from None
    return value, media_id


# Reading -------------------------------------------------------------------------------------------


def prune_tags(session: Session, *, tag_ids: list[int]) -> None:
    """Forget those of `tag_ids` that no item carries any more (in the caller's transaction)."""
    if tag_ids:
        used = sa.select(MediaTag.media_id).where(MediaTag.tag_id == Tag.id).exists()
        session.execute(sa.delete(Tag).where(Tag.id.in_(tag_ids), ~used))  # type: ignore[union-attr]


def favorite_ids(session: Session, *, user_id: int, media_ids: Iterable[int]) -> set[int]:
    """Which of `media_ids` `user_id` has starred."""
    wanted = list(media_ids)
    if not wanted:
        return set()
    return set(session.exec(select(MediaFavorite.media_id).where(
        MediaFavorite.user_id == user_id, MediaFavorite.media_id.in_(wanted))).all())  # type: ignore[attr-defined]


def _card(item: MediaItem, favorite: bool = False) -> Card:
    return Card(
        id=item.id,  # type: ignore[arg-type]
        title=item.title or item.original_filename,
        filename=item.original_filename,
        kind=item.kind,
        status=item.status,
        has_thumbnail=item.thumbnail_key is not None,
        sort_at=item.sort_at,
        uploaded_at=item.uploaded_at,
        trashed_at=item.trashed_at,
        size_bytes=item.size_bytes,
        owner_id=item.owner_id,
        favorite=favorite,
    )


card = _card  # public: albums list their items as gallery cards


def owner_for(session: Session, *, actor: User, owner_id: int | None) -> User:
    """The library being looked at: the actor's, or (`owner_id`) one they manage; else NotFound."""
    if owner_id is None or owner_id == actor.id:
        return actor
    owner = session.get(User, owner_id) if isinstance(owner_id, int) and not isinstance(owner_id, bool) else None
    if owner is None or not access.can_manage(session, actor=actor, target=owner):
        raise NotFound("That gallery does not exist.")
    return owner


def list_page(
    session: Session,
    *,
    actor: User,
    owner_id: int | None = None,
    sort: Sort = Sort.TAKEN,
    kind: MediaKind | None = None,
    favorites_only: bool = False,
    tag: str | None = None,
    q: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    has_place: bool | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """One page of `owner_id`'s (default: the actor's) media, newest first, trash excluded. Filters:
    `favorites_only` (what the actor starred), `tag`, `q` (services/search.py: every word
    somewhere in the item's text), the date it is sorted by within [`since`, `until`), and
    whether it has a place (`has_place`)."""
    owner = owner_for(session, actor=actor, owner_id=owner_id)
    column = MediaItem.sort_at if Sort(sort) is Sort.TAKEN else MediaItem.uploaded_at
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    query = select(MediaItem).where(MediaItem.owner_id == owner.id, MediaItem.trashed_at.is_(None))  # type: ignore[union-attr]
    if kind is not None:
        query = query.where(MediaItem.kind == MediaKind(kind))
    if favorites_only:
        query = query.join(MediaFavorite, sa.and_(MediaFavorite.media_id == MediaItem.id,
                                                  MediaFavorite.user_id == actor.id))
    if q:
        query = query.where(*search.conditions(q))
    if since is not None:
        query = query.where(MediaItem.sort_at >= since)
    if until is not None:
        query = query.where(MediaItem.sort_at < until)
    if has_place is not None:
        located = sa.and_(MediaItem.latitude.is_not(None), MediaItem.longitude.is_not(None))  # type: ignore[union-attr]
        query = query.where(located if has_place else sa.not_(located))
    if tag:
        tagged = (sa.select(MediaTag.media_id).join(Tag, Tag.id == MediaTag.tag_id)
                  .where(Tag.owner_id == owner.id, Tag.name_key == tag.casefold()[:40]))
        query = query.where(MediaItem.id.in_(tagged))  # type: ignore[union-attr]
    if cursor:
        value, last_id = decode_cursor(cursor)
        after = sa.tuple_(sa.literal(value, MediaItem.sort_at.type), last_id)  # type: ignore[union-attr]
        query = query.where(sa.tuple_(column, MediaItem.id) < after)  # type: ignore[arg-type]
    # trashed_at is NULL on every row here, but PostgreSQL takes the index's order only when the
    # ORDER BY names it (IS NULL is not an equality to the planner): without it, a sort of all rows.
    order = (MediaItem.trashed_at.desc(), column.desc(), MediaItem.id.desc())  # type: ignore[union-attr]
    query = query.order_by(*order).limit(limit + 1)
    items = list(session.exec(query))
    more = len(items) > limit
    items = items[:limit]
    next_cursor = None
    if more and items:
        last = items[-1]
        next_cursor = encode_cursor(last.sort_at if Sort(sort) is Sort.TAKEN else last.uploaded_at, last.id)  # type: ignore[arg-type]
    starred = favorite_ids(session, user_id=actor.id, media_ids=[item.id for item in items])  # type: ignore[misc, arg-type]
    return Page(cards=[_card(item, item.id in starred) for item in items], next_cursor=next_cursor)


def list_trash(session: Session, *, actor: User, limit: int = MAX_SELECTION) -> list[Card]:
    """The actor's trashed items, most recently trashed first."""
    query = (
        select(MediaItem)
        .where(MediaItem.owner_id == actor.id, MediaItem.trashed_at.is_not(None))  # type: ignore[union-attr]
        .order_by(MediaItem.trashed_at.desc(), MediaItem.id.desc())  # type: ignore[union-attr]
        .limit(max(1, min(int(limit), MAX_SELECTION)))
    )
    return [_card(item) for item in session.exec(query)]


def clean_ids(ids: object) -> list[int]:
    """A bounded list of distinct positive ints; raises ValidationFailed for anything else."""
    if not isinstance(ids, list | tuple) or len(ids) > MAX_SELECTION:
        raise ValidationFailed(f"Choose at most {MAX_SELECTION} items at a time.")
    seen: dict[int, None] = {}
    for value in ids:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 2**31 - 1:
            raise ValidationFailed("That item does not exist.")
        seen[value] = None
    return list(seen)


def authorized_items(session: Session, *, actor: User, ids: Iterable[int]) -> list[MediaItem]:
    """The items `ids`, in that order, when the actor may act on every one; else NotFound."""
    wanted = clean_ids(list(ids))
    if not wanted:
        return []
    found = {item.id: item for item in session.exec(select(MediaItem).where(MediaItem.id.in_(wanted)))}  # type: ignore[union-attr]
    if len(found) != len(wanted):
        raise NotFound("Some of those items do not exist.")
    allowed: dict[int, bool] = {actor.id: True}  # type: ignore[dict-item]
    for item in found.values():
        if item.owner_id not in allowed:
            owner = session.get(User, item.owner_id)
            allowed[item.owner_id] = owner is not None and access.can_manage(session, actor=actor, target=owner)
        if not allowed[item.owner_id]:
            raise NotFound("Some of those items do not exist.")
    return [found[media_id] for media_id in wanted]


def statuses(session: Session, *, actor: User, ids: Sequence[int]) -> dict[int, Card]:
    """The current cards of `ids` the actor may see (for refreshing items still processing)."""
    wanted = clean_ids(list(ids))
    if not wanted:
        return {}
    items = session.exec(select(MediaItem).where(MediaItem.id.in_(wanted), MediaItem.owner_id == actor.id))  # type: ignore[union-attr]
    return {item.id: _card(item) for item in items}  # type: ignore[misc]


# Trash --------------------------------------------------------------------------------------------


def trash(session: Session, *, actor: User, ids: Sequence[int]) -> int:
    """Move items to the trash; returns how many were moved (already trashed ones are skipped)."""
    items = authorized_items(session, actor=actor, ids=ids)
    now = utc_now()
    moved = [item for item in items if item.trashed_at is None]
    for item in moved:
        item.trashed_at, item.updated_at = now, now
        session.add(item)
    if moved:
        audit.record(session, action=AuditAction.MEDIA_TRASHED, actor=actor,
                     details={"media_ids": [item.id for item in moved]})
    session.commit()
    return len(moved)


def restore(session: Session, *, actor: User, ids: Sequence[int]) -> int:
    """Bring items back from the trash; returns how many came back."""
    items = authorized_items(session, actor=actor, ids=ids)
    back = [item for item in items if item.trashed_at is not None]
    now = utc_now()
    for item in back:
        item.trashed_at, item.updated_at = None, now
        session.add(item)
    if back:
        audit.record(session, action=AuditAction.MEDIA_RESTORED, actor=actor,
                     details={"media_ids": [item.id for item in back]})
    session.commit()
    return len(back)


def _file_keys(item: MediaItem) -> list[tuple[str, str]]:
    keys = [("originals", item.storage_key)]
    keys += [("derived", key) for key in (item.preview_key, item.preview_jpeg_key, item.thumbnail_key) if key]
    return keys


def delete_items(session: Session, *, actor: User | None, items: list[MediaItem]) -> int:
    """Remove rows (commit), then files, and give the quota back (the originals' and the edited
    versions' bytes); audited MEDIA_DELETED per item.
    Callers authorize first. A crash after the commit leaves only orphan files, which the
    reconciler removes."""
    if not items:
        return 0
    files: list[tuple[str, str]] = []
    freed: dict[int, int] = {}
    owners: dict[int, User | None] = {}
    for media_id in sorted(item.id for item in items):  # locked first (in one order: no deadlock), so
        studio_versions.lock_item(session, media_id)  # type: ignore[arg-type]  # no render settles meanwhile
    versions = studio_versions.stored_bytes_of_items(session, items)
    for item in items:
        files += _file_keys(item)
        freed[item.owner_id] = freed.get(item.owner_id, 0) + item.size_bytes + versions[item.id]  # type: ignore[index]
        owners.setdefault(item.owner_id, session.get(User, item.owner_id))
        audit.record(session, action=AuditAction.MEDIA_DELETED, actor=actor, target=owners[item.owner_id],
                     details={"media_id": item.id, "filename": item.original_filename, "size": item.size_bytes})
    ids = [item.id for item in items]
    files += [("derived", key) for key in studio_versions.keys_of_items(session, ids)]  # type: ignore[arg-type]
    files += [("derived", key) for key in transcode.keys_of_items(session, ids)]  # type: ignore[arg-type]
    files += [("derived", key) for key in shared_copies.keys_of_items(items)]
    session.execute(sa.delete(MediaRendition).where(MediaRendition.media_id.in_(ids)))  # type: ignore[attr-defined]
    session.execute(sa.delete(PlaybackPosition).where(PlaybackPosition.media_id.in_(ids)))  # type: ignore[attr-defined]
    session.execute(sa.delete(MediaFavorite).where(MediaFavorite.media_id.in_(ids)))  # type: ignore[attr-defined]
    tag_ids = list(session.exec(select(MediaTag.tag_id).where(MediaTag.media_id.in_(ids)).distinct()).all())  # type: ignore[attr-defined]
    session.execute(sa.delete(MediaTag).where(MediaTag.media_id.in_(ids)))  # type: ignore[attr-defined]
    prune_tags(session, tag_ids=tag_ids)
    from mediashare.services import albums  # albums builds on this module

    albums.forget_media(session, ids)  # type: ignore[arg-type]
    for item in items:
        session.delete(item)
    for owner_id, size in freed.items():
        ingest.release_storage(session, owner_id, size)
    session.commit()
    store = ingest.storage()
    for area, key in files:
        store.delete(key, area=area)
    return len(items)


def empty_trash(session: Session, *, actor: User, ids: Sequence[int] | None = None) -> int:
    """Delete the actor's trashed items for good (all of them, or just `ids`); returns how many."""
    if ids is not None:
        items = [item for item in authorized_items(session, actor=actor, ids=ids) if item.trashed_at is not None]
    else:
        items = list(session.exec(select(MediaItem).where(
            MediaItem.owner_id == actor.id, MediaItem.trashed_at.is_not(None))))  # type: ignore[union-attr]
    return delete_items(session, actor=actor, items=items)


def purge_expired(session: Session, *, now: datetime | None = None, batch: int = 500) -> int:
    """Delete every item trashed more than TRASH_DAYS ago (idempotent); returns how many."""
    cutoff = (now or utc_now()) - timedelta(days=TRASH_DAYS)
    total = 0
    while True:
        items = list(session.exec(
            select(MediaItem).where(MediaItem.trashed_at.is_not(None), MediaItem.trashed_at < cutoff)  # type: ignore[union-attr,operator]
            .order_by(MediaItem.id).limit(batch)
        ))
        if not items:
            return total
        total += delete_items(session, actor=None, items=items)
