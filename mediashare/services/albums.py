"""Event albums: a person's named, ordered collections of media, nested in sub-albums.

Authorization is the gallery's: an album is reachable by its owner and by anyone who
`access.can_manage` the owner; anything else looks like it does not exist (NotFound), and so do
items the album's owner does not own. An album holds only its owner's items; an item can be in
many albums.

Order: an album's items have positions 0, 1, … without gaps. Every write to an album's items
first locks the album row (a no-op UPDATE: a row lock on PostgreSQL, the write lock on SQLite), so
concurrent adds, removals and moves happen one after the other and positions stay dense. Moving an
album inside another (or creating one inside another) locks the owner's row instead, so two
concurrent moves cannot build a cycle between them.

Trashed items stay in their albums (restoring brings them back) but are hidden from album views
and counts; items deleted for good leave their albums (`forget_media`, called by
`gallery.delete_items`). Deleting an album never deletes media: its items simply leave it, and its
sub-albums move up to its parent (to the top level for a top-level album).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediashare.errors import NotFound, ValidationFailed
from mediashare.models import Album, AlbumItem, AuditAction, MediaItem, MediaKind, MediaStatus, User, utc_now
from mediashare.services import access, audit, gallery, media, platform, search

NOT_FOUND = "That album does not exist."
MAX_TITLE = 200
MAX_DESCRIPTION = media.MAX_DESCRIPTION
MAX_ALBUMS = 500  # listed at one level
MAX_DEPTH = 16  # nesting levels; deeper means a mistake (or corrupt data), and we stop walking
SUGGESTION_GAP_SETTING = "album_suggestion_gap_hours"
SUGGESTION_MIN_PHOTOS = 3
SUGGESTION_SCAN = 20_000  # photos considered (the newest), so one request stays bounded
PAGE_SIZE = 120
MAX_PAGE_SIZE = 500
MAX_SLIDES = 20_000  # one slideshow's photos (ids and titles only)


@dataclass(frozen=True)
class AlbumCard:
    """One album as a list shows it."""

    id: int
    title: str
    description: str
    parent_id: int | None
    count: int  # visible items (not trashed, not pending)
    cover_media_id: int | None  # the cover, else the first visible item; None when it has no thumbnail
    sub_albums: int


@dataclass(frozen=True)
class AlbumInfo:
    """One album with what its page shows above the items."""

    id: int
    owner_id: int
    title: str
    description: str
    cover_id: int | None
    parent_id: int | None
    parent_title: str
    count: int


@dataclass(frozen=True)
class ItemsPage:
    cards: list[gallery.Card]
    next_after: int | None  # the position to continue after; None: this was the last page


# Arguments ---------------------------------------------------------------------------------------


def _as_id(value: object, message: str = NOT_FOUND) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2**31 - 1:
        raise NotFound(message)
    return value


def clean_title(value: object) -> str:
    """An album title with its spaces tidied; raises ValidationFailed when empty or too long."""
    if not isinstance(value, str):
        raise ValidationFailed("The album title must be text.", field="title")
    title = " ".join(value.split())
    if not title:
        raise ValidationFailed("Give the album a title.", field="title")
    if len(title) > MAX_TITLE:
        raise ValidationFailed(f"The album title can be at most {MAX_TITLE} characters long.", field="title")
    return title


# Authorization and locks ---------------------------------------------------------------------------


def _may_act_for(session: Session, *, actor: User, owner_id: int) -> User | None:
    """The owner when the actor may act on their albums, else None."""
    if owner_id == actor.id:
        return actor if actor.is_active else None
    owner = session.get(User, owner_id)
    if owner is None or not access.can_manage(session, actor=actor, target=owner):
        return None
    return owner


def _owner(session: Session, *, actor: User, owner_id: int | None) -> User:
    if owner_id is None:
        owner_id = actor.id
    owner = _may_act_for(session, actor=actor, owner_id=_as_id(owner_id, "Those albums do not exist."))
    if owner is None:
        raise NotFound("Those albums do not exist.")
    return owner


def _album(session: Session, *, actor: User, album_id: object, lock: bool = False) -> Album:
    """The album when the actor may act on it; NotFound otherwise. `lock` serializes writes to it."""
    album_id = _as_id(album_id)
    if lock:
        session.execute(sa.update(Album).where(col(Album.id) == album_id).values(updated_at=Album.updated_at))
    album = session.get(Album, album_id)
    if album is None or _may_act_for(session, actor=actor, owner_id=album.owner_id) is None:
        raise NotFound(NOT_FOUND)
    if lock:
        session.refresh(album)
    return album


def _lock_owner(session: Session, owner_id: int) -> None:
    """Serialize changes to one owner's album tree (creating inside, moving, deleting)."""
    session.execute(sa.update(User).where(col(User.id) == owner_id).values(updated_at=User.updated_at))


def _ancestor_ids(session: Session, album: Album) -> list[int]:
    ids: list[int] = []
    parent_id = album.parent_id
    while parent_id is not None and parent_id not in ids and len(ids) <= MAX_DEPTH:
        ids.append(parent_id)
        parent_id = session.exec(select(Album.parent_id).where(Album.id == parent_id)).first()
    return ids


def _parent_for(session: Session, *, actor: User, owner_id: int, parent_id: object, moving: Album | None) -> Album:
    """The album `parent_id` as a valid parent (same owner, no cycle, not too deep)."""
    parent = _album(session, actor=actor, album_id=parent_id)
    if parent.owner_id != owner_id:
        raise NotFound(NOT_FOUND)
    ancestors = _ancestor_ids(session, parent)
    if moving is not None and (parent.id == moving.id or moving.id in ancestors):
        raise ValidationFailed("An album cannot go inside itself or one of its own sub-albums.")
    if len(ancestors) + 1 >= MAX_DEPTH:
        raise ValidationFailed(f"Albums can be nested at most {MAX_DEPTH} levels deep.")
    return parent


def _audit(session: Session, action: AuditAction, *, actor: User, album: Album, **details: object) -> None:
    target = actor if album.owner_id == actor.id else session.get(User, album.owner_id)
    audit.record(session, action=action, actor=actor, target=target,
                 details={"album_id": album.id, "title": album.title, **details})


# Creating, editing, deleting -------------------------------------------------------------------------


def create(session: Session, *, actor: User, title: object, description: object = "",
           parent_id: int | None = None, owner_id: int | None = None) -> Album:
    """A new empty album of `owner_id` (default: the actor), at the top level or inside `parent_id`."""
    if parent_id is not None:
        parent = _album(session, actor=actor, album_id=parent_id)
        owner = _owner(session, actor=actor, owner_id=parent.owner_id)
        if owner_id is not None and owner_id != owner.id:
            raise NotFound(NOT_FOUND)
        _lock_owner(session, owner.id)  # type: ignore[arg-type]
        _parent_for(session, actor=actor, owner_id=owner.id, parent_id=parent_id, moving=None)  # type: ignore[arg-type]
    else:
        owner = _owner(session, actor=actor, owner_id=owner_id)
    album = Album(owner_id=owner.id, parent_id=parent_id, title=clean_title(title),  # type: ignore[arg-type]
                  description=media.clean_description(description))
    session.add(album)
    session.flush()
    _audit(session, AuditAction.ALBUM_CREATED, actor=actor, album=album, parent_id=parent_id)
    session.commit()
    return album


def update_details(session: Session, *, actor: User, album_id: int, title: object, description: object) -> Album:
    """Rename an album and set its description; audited when something changed."""
    album = _album(session, actor=actor, album_id=album_id)
    new_title, new_description = clean_title(title), media.clean_description(description)
    changed = [name for name, old, new in (("title", album.title, new_title),
                                           ("description", album.description, new_description)) if old != new]
    if changed:
        album.title, album.description, album.updated_at = new_title, new_description, utc_now()
        session.add(album)
        if "title" in changed:  # its items are found by its title
            session.flush()
            search.refresh(session, _member_ids(session, album.id))  # type: ignore[arg-type]
        _audit(session, AuditAction.ALBUM_UPDATED, actor=actor, album=album, fields=changed)
        session.commit()
    return album


def move_album(session: Session, *, actor: User, album_id: int, parent_id: int | None) -> Album:
    """Put an album inside `parent_id` (same owner), or at the top level (None). Never a cycle."""
    album = _album(session, actor=actor, album_id=album_id)
    _lock_owner(session, album.owner_id)
    session.refresh(album)
    if parent_id is not None:
        _parent_for(session, actor=actor, owner_id=album.owner_id, parent_id=parent_id, moving=album)
    if album.parent_id != parent_id:
        album.parent_id, album.updated_at = parent_id, utc_now()
        session.add(album)
        _audit(session, AuditAction.ALBUM_UPDATED, actor=actor, album=album, fields=["parent"], parent_id=parent_id)
    session.commit()
    return album


def delete(session: Session, *, actor: User, album_id: int) -> int:
    """Delete an album (never its media); its sub-albums move up to its parent. Returns how many
    sub-albums moved."""
    album = _album(session, actor=actor, album_id=album_id)
    _lock_owner(session, album.owner_id)
    session.refresh(album)
    children = list(session.exec(select(Album).where(Album.parent_id == album.id)))
    now = utc_now()
    for child in children:
        child.parent_id, child.updated_at = album.parent_id, now
        session.add(child)
    session.flush()
    members = _member_ids(session, album.id)  # type: ignore[arg-type]
    session.execute(sa.delete(AlbumItem).where(col(AlbumItem.album_id) == album.id))
    _audit(session, AuditAction.ALBUM_DELETED, actor=actor, album=album, sub_albums_moved=[c.id for c in children])
    session.delete(album)
    session.flush()
    search.refresh(session, members)
    session.commit()
    return len(children)


def set_cover(session: Session, *, actor: User, album_id: int, media_id: int | None) -> Album:
    """Make one of the album's (visible) items its cover, or clear the cover (None)."""
    album = _album(session, actor=actor, album_id=album_id, lock=True)
    if media_id is not None:
        media_id = _as_id(media_id, "That item is not in this album.")
        if media_id not in _visible_ids(session, album.id, only=[media_id]):  # type: ignore[arg-type]
            raise NotFound("That item is not in this album.")
    if album.cover_id != media_id:
        album.cover_id, album.updated_at = media_id, utc_now()
        session.add(album)
        _audit(session, AuditAction.ALBUM_UPDATED, actor=actor, album=album, fields=["cover"], media_id=media_id)
    session.commit()
    return album


# Items ----------------------------------------------------------------------------------------------------


def _visible():
    return sa.and_(col(MediaItem.trashed_at).is_(None), MediaItem.status != MediaStatus.PENDING)


def _visible_ids(session: Session, album_id: int, only: Sequence[int] | None = None) -> list[int]:
    """The album's visible items' ids, in order."""
    query = (select(AlbumItem.media_id).join(MediaItem, col(MediaItem.id) == AlbumItem.media_id)
             .where(AlbumItem.album_id == album_id, _visible()))
    if only is not None:
        query = query.where(col(AlbumItem.media_id).in_(list(only)))
    return list(session.exec(query.order_by(col(AlbumItem.position), col(AlbumItem.id))))


def _member_ids(session: Session, album_id: int) -> list[int]:
    """Every item in the album (trashed and pending ones too)."""
    return list(session.exec(select(AlbumItem.media_id).where(AlbumItem.album_id == album_id)))


def _entries(session: Session, album_id: int) -> list[AlbumItem]:
    return list(session.exec(select(AlbumItem).where(AlbumItem.album_id == album_id)
                             .order_by(col(AlbumItem.position), col(AlbumItem.id))))


def _renumber(session: Session, entries: list[AlbumItem]) -> None:
    """Give `entries` (in their new order) the positions 0, 1, … (only the rows that change)."""
    for position, entry in enumerate(entries):
        if entry.position != position:
            entry.position = position
            session.add(entry)


def add_items(session: Session, *, actor: User, album_id: int, ids: Sequence[int]) -> int:
    """Append the album owner's items `ids` (in that order) that are not in it yet; returns how
    many were added. Adding what is already there changes nothing."""
    album = _album(session, actor=actor, album_id=album_id, lock=True)
    items = gallery.authorized_items(session, actor=actor, ids=ids)
    if any(item.owner_id != album.owner_id or item.trashed_at is not None or item.status is MediaStatus.PENDING
           for item in items):
        raise NotFound("Some of those items do not exist.")
    entries = _entries(session, album.id)  # type: ignore[arg-type]
    present = {entry.media_id for entry in entries}
    _renumber(session, entries)  # heals a gap left by a concurrent delete
    new = [item.id for item in items if item.id not in present]
    for offset, media_id in enumerate(new):
        session.add(AlbumItem(album_id=album.id, media_id=media_id, position=len(entries) + offset))  # type: ignore[arg-type]
    if new:
        album.updated_at = utc_now()
        session.add(album)
        session.flush()
        search.refresh(session, new)  # type: ignore[arg-type]
        _audit(session, AuditAction.ALBUM_ITEMS_ADDED, actor=actor, album=album, media_ids=new)
    session.commit()
    return len(new)


def remove_items(session: Session, *, actor: User, album_id: int, ids: Sequence[int]) -> int:
    """Take items out of the album (never out of the library); returns how many left it."""
    album = _album(session, actor=actor, album_id=album_id, lock=True)
    wanted = set(gallery.clean_ids(list(ids)))
    entries = _entries(session, album.id)  # type: ignore[arg-type]
    leaving = [entry for entry in entries if entry.media_id in wanted]
    for entry in leaving:
        session.delete(entry)
    _renumber(session, [entry for entry in entries if entry.media_id not in wanted])
    if leaving:
        if album.cover_id in wanted:
            album.cover_id = None
        album.updated_at = utc_now()
        session.add(album)
        session.flush()
        search.refresh(session, [entry.media_id for entry in leaving])
        _audit(session, AuditAction.ALBUM_ITEMS_REMOVED, actor=actor, album=album,
               media_ids=[entry.media_id for entry in leaving])
    session.commit()
    return len(leaving)


def move_item(session: Session, *, actor: User, album_id: int, media_id: int, position: int) -> int:
    """Move an item to `position` in the album's visible order (0 = first; clamped to the end);
    returns the position it ended at."""
    album = _album(session, actor=actor, album_id=album_id, lock=True)
    media_id = _as_id(media_id, "That item is not in this album.")
    if isinstance(position, bool) or not isinstance(position, int):
        raise ValidationFailed("That position does not exist.")
    entries = _entries(session, album.id)  # type: ignore[arg-type]
    visible = _visible_ids(session, album.id)  # type: ignore[arg-type]
    if media_id not in visible:
        raise NotFound("That item is not in this album.")
    others = [other for other in visible if other != media_id]
    position = max(0, min(position, len(others)))
    moving = next(entry for entry in entries if entry.media_id == media_id)
    rest = [entry for entry in entries if entry.media_id != media_id]
    if position < len(others):  # just before the visible item now at that place
        index = next(i for i, entry in enumerate(rest) if entry.media_id == others[position])
    else:  # just after the last visible item
        index = next(i for i, entry in enumerate(rest) if entry.media_id == others[-1]) + 1 if others else len(rest)
    order = [*rest[:index], moving, *rest[index:]]
    if [entry.id for entry in order] != [entry.id for entry in entries]:
        _renumber(session, order)
        album.updated_at = utc_now()
        session.add(album)
        _audit(session, AuditAction.ALBUM_REORDERED, actor=actor, album=album, media_id=media_id, position=position)
    session.commit()
    return position


def forget_media(session: Session, media_ids: Sequence[int]) -> None:
    """Take items being deleted for good out of every album (no commit: the caller's transaction).
    Covers showing them are cleared and the albums' positions closed up."""
    ids = list(media_ids)
    if not ids:
        return
    album_ids = sorted(set(session.exec(select(AlbumItem.album_id).where(col(AlbumItem.media_id).in_(ids)))))
    session.execute(sa.update(Album).where(col(Album.cover_id).in_(ids)).values(cover_id=None))
    for album_id in album_ids:  # locked in id order, like every other writer: no deadlock
        session.execute(sa.update(Album).where(col(Album.id) == album_id).values(updated_at=Album.updated_at))
    session.execute(sa.delete(AlbumItem).where(col(AlbumItem.media_id).in_(ids)))
    for album_id in album_ids:
        _renumber(session, _entries(session, album_id))
    session.flush()
    search.refresh(session, ids)  # an item that stays (given to another account) is no longer found by them


# Reading -------------------------------------------------------------------------------------------------


def _counts(session: Session, album_ids: list[int]) -> dict[int, int]:
    if not album_ids:
        return {}
    rows = session.exec(
        select(AlbumItem.album_id, sa.func.count()).join(MediaItem, col(MediaItem.id) == AlbumItem.media_id)
        .where(col(AlbumItem.album_id).in_(album_ids), _visible()).group_by(col(AlbumItem.album_id))
    )
    return dict(rows.all())  # type: ignore[arg-type]


def _covers(session: Session, albums: list[Album]) -> dict[int, int]:
    """album id → the media id shown on its card: its cover when visible, else its first visible item."""
    if not albums:
        return {}
    ids = [album.id for album in albums]
    ranked = (
        select(AlbumItem.album_id, AlbumItem.media_id, MediaItem.thumbnail_key,
               sa.func.row_number().over(partition_by=AlbumItem.album_id,
                                         order_by=(col(AlbumItem.position), col(AlbumItem.id))).label("rank"))
        .join(MediaItem, col(MediaItem.id) == AlbumItem.media_id)
        .where(col(AlbumItem.album_id).in_(ids), _visible(), col(MediaItem.thumbnail_key).is_not(None))
        .subquery()
    )
    first = {row[0]: row[1] for row in session.execute(
        sa.select(ranked.c.album_id, ranked.c.media_id).where(ranked.c.rank == 1))}
    cover_ids = [album.cover_id for album in albums if album.cover_id is not None]
    shown: set[int] = set()
    if cover_ids:
        shown = set(session.exec(select(MediaItem.id).where(col(MediaItem.id).in_(cover_ids), _visible(),
                                                            col(MediaItem.thumbnail_key).is_not(None))))  # type: ignore[arg-type]
    return {album.id: (album.cover_id if album.cover_id in shown else first.get(album.id))  # type: ignore[misc]
            for album in albums if album.cover_id in shown or album.id in first}


def list_albums(session: Session, *, actor: User, owner_id: int | None = None,
                parent_id: int | None = None) -> list[AlbumCard]:
    """The owner's (default: the actor's) top-level albums, or the sub-albums of `parent_id`,
    newest first, with their item counts and cover items."""
    if parent_id is not None:
        parent = _album(session, actor=actor, album_id=parent_id)
        owner_id = parent.owner_id
    owner = _owner(session, actor=actor, owner_id=owner_id)
    query = select(Album).where(Album.owner_id == owner.id)
    query = query.where(col(Album.parent_id).is_(None) if parent_id is None else Album.parent_id == parent_id)
    albums = list(session.exec(query.order_by(col(Album.created_at).desc(), col(Album.id).desc()).limit(MAX_ALBUMS)))
    ids = [album.id for album in albums]
    counts, covers = _counts(session, ids), _covers(session, albums)  # type: ignore[arg-type]
    subs = dict(session.exec(select(Album.parent_id, sa.func.count()).where(col(Album.parent_id).in_(ids))
                             .group_by(col(Album.parent_id))).all()) if ids else {}
    return [AlbumCard(id=album.id, title=album.title, description=album.description,  # type: ignore[arg-type]
                      parent_id=album.parent_id, count=counts.get(album.id, 0),  # type: ignore[arg-type]
                      cover_media_id=covers.get(album.id), sub_albums=subs.get(album.id, 0))  # type: ignore[arg-type]
            for album in albums]


def all_albums(session: Session, *, actor: User) -> list[tuple[int, str]]:
    """(id, title) of every album of the actor's own, by title (for "Add to album…")."""
    rows = session.exec(select(Album.id, Album.title).where(Album.owner_id == actor.id)
                        .order_by(col(Album.title), col(Album.id)).limit(MAX_ALBUMS))
    return [(album_id, title) for album_id, title in rows]  # type: ignore[misc]


def album_paths(session: Session, *, actor: User) -> list[tuple[int, str]]:
    """(id, path) of every album of the actor's own, a sub-album shown as "Parent / Child", by path
    (for choosing an album outside the gallery, e.g. on the camera page)."""
    rows = list(session.exec(select(Album.id, Album.title, Album.parent_id).where(Album.owner_id == actor.id)
                             .order_by(col(Album.id)).limit(MAX_ALBUMS * 4)))
    by_id = {album_id: (title, parent_id) for album_id, title, parent_id in rows}

    def path(album_id: int) -> str:
        names, seen, current = [], set(), album_id
        while current in by_id and current not in seen and len(names) <= MAX_DEPTH:
            seen.add(current)
            title, current = by_id[current]  # type: ignore[assignment]
            names.append(title)
        return " / ".join(reversed(names))

    found = sorted(((album_id, path(album_id)) for album_id in by_id), key=lambda pair: (pair[1].lower(), pair[0]))
    return found[:MAX_ALBUMS]  # type: ignore[return-value]


def move_targets(session: Session, *, actor: User, album_id: int) -> list[tuple[int, str]]:
    """(id, title) of the albums `album_id` may move into: its owner's, minus itself and its
    sub-albums (at any depth), by title."""
    album = _album(session, actor=actor, album_id=album_id)
    rows = list(session.exec(select(Album.id, Album.title, Album.parent_id).where(Album.owner_id == album.owner_id)
                             .order_by(col(Album.title), col(Album.id)).limit(MAX_ALBUMS * 4)))
    children: dict[int | None, list[int]] = {}
    for album_id_, _title, parent_id in rows:
        children.setdefault(parent_id, []).append(album_id_)  # type: ignore[arg-type]
    excluded, stack = set(), [album.id]
    while stack:
        current = stack.pop()
        if current not in excluded:
            excluded.add(current)
            stack += children.get(current, [])
    return [(album_id_, title) for album_id_, title, _parent in rows if album_id_ not in excluded][:MAX_ALBUMS]  # type: ignore[misc]


def info(session: Session, *, actor: User, album_id: int) -> AlbumInfo:
    """One album's title, description, cover, parent and visible item count."""
    album = _album(session, actor=actor, album_id=album_id)
    parent = session.get(Album, album.parent_id) if album.parent_id is not None else None
    return AlbumInfo(id=album.id, owner_id=album.owner_id, title=album.title,  # type: ignore[arg-type]
                     description=album.description, cover_id=album.cover_id, parent_id=album.parent_id,
                     parent_title=parent.title if parent else "",
                     count=_counts(session, [album.id]).get(album.id, 0))  # type: ignore[list-item,arg-type]


def list_items(session: Session, *, actor: User, album_id: int, after: int | None = None,
               limit: int = PAGE_SIZE) -> ItemsPage:
    """One page of the album's visible items in album order (keyset on the position)."""
    album = _album(session, actor=actor, album_id=album_id)
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    query = (select(MediaItem, AlbumItem.position).join(AlbumItem, col(AlbumItem.media_id) == MediaItem.id)
             .where(AlbumItem.album_id == album.id, _visible()))
    if after is not None:
        if isinstance(after, bool) or not isinstance(after, int):
            raise ValidationFailed("That page of the album does not exist; reload the page.")
        query = query.where(AlbumItem.position > after)
    rows = list(session.exec(query.order_by(col(AlbumItem.position), col(AlbumItem.id)).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return ItemsPage(cards=[gallery.card(item) for item, _position in rows],
                     next_after=rows[-1][1] if more and rows else None)


def slides(session: Session, *, actor: User, album_id: int) -> list[tuple[int, str]]:
    """(id, title) of every photo of the album a slideshow can show (visible, preview made), in album
    order: the whole album, however many pages its grid shows (at most MAX_SLIDES)."""
    album = _album(session, actor=actor, album_id=album_id)
    rows = session.exec(
        select(MediaItem.id, MediaItem.title, MediaItem.original_filename)
        .join(AlbumItem, col(AlbumItem.media_id) == MediaItem.id)
        .where(AlbumItem.album_id == album.id, _visible(), MediaItem.kind == MediaKind.IMAGE,
               col(MediaItem.thumbnail_key).is_not(None), col(MediaItem.status).not_in(gallery.PROCESSING))
        .order_by(col(AlbumItem.position), col(AlbumItem.id)).limit(MAX_SLIDES))
    return [(media_id, title or filename) for media_id, title, filename in rows]  # type: ignore[misc]


# Suggested event albums -------------------------------------------------------------------------------------


def group_events(moments: Sequence[tuple[int, datetime]], *, gap_hours: float,
                 min_size: int = 3) -> list[list[int]]:
    """Group (id, when) pairs into runs whose neighbours are less than `gap_hours` apart; only runs
    of at least `min_size` are returned, each in time order, oldest run first. Pure."""
    ordered = sorted(moments, key=lambda pair: (pair[1], pair[0]))
    groups: list[list[int]] = []
    run: list[tuple[int, datetime]] = []
    for pair in ordered:
        if run and (pair[1] - run[-1][1]).total_seconds() >= gap_hours * 3600:
            groups.append([media_id for media_id, _when in run])
            run = []
        run.append(pair)
    if run:
        groups.append([media_id for media_id, _when in run])
    return [group for group in groups if len(group) >= min_size]


def event_title(first: datetime, last: datetime) -> str:
    """A title from a date range: "14 Mar 2024", "14–16 Mar 2024", "30 Mar – 2 Apr 2024", …"""
    if first.date() == last.date():
        return first.strftime("%-d %b %Y")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.strftime('%-d %b %Y')}"
    if first.year == last.year:
        return f"{first.strftime('%-d %b')} – {last.strftime('%-d %b %Y')}"
    return f"{first.strftime('%-d %b %Y')} – {last.strftime('%-d %b %Y')}"


@dataclass(frozen=True)
class Suggestion:
    """A run of photos close together in time, in no album yet: a proposed event album."""

    title: str
    media_ids: list[int]
    first: datetime
    last: datetime


def suggestions(session: Session, *, actor: User, limit: int = 20) -> list[Suggestion]:
    """The actor's suggested event albums, newest first: photos (by taken-at, else upload time, i.e.
    `sort_at`) not in any album, grouped by the platform's gap setting, at least 3 per group."""
    gap = platform.get(session, SUGGESTION_GAP_SETTING)
    in_albums = select(AlbumItem.media_id).join(Album, col(Album.id) == AlbumItem.album_id).where(
        Album.owner_id == actor.id)
    rows = session.exec(
        select(MediaItem.id, MediaItem.sort_at).where(
            MediaItem.owner_id == actor.id, MediaItem.kind == MediaKind.IMAGE, _visible(),
            col(MediaItem.id).not_in(in_albums))
        .order_by(col(MediaItem.sort_at).desc(), col(MediaItem.id).desc()).limit(SUGGESTION_SCAN)
    ).all()
    when = {media_id: sort_at for media_id, sort_at in rows}
    groups = group_events(list(rows), gap_hours=max(1, int(gap)), min_size=SUGGESTION_MIN_PHOTOS)  # type: ignore[arg-type]
    found = [Suggestion(title=event_title(when[group[0]], when[group[-1]]), media_ids=group,
                        first=when[group[0]], last=when[group[-1]]) for group in groups]
    return list(reversed(found))[:max(1, limit)]


def accept_suggestion(session: Session, *, actor: User, media_ids: Sequence[int]) -> Album:
    """Make a suggestion a real album (titled by its date range) holding `media_ids` in time order."""
    items = gallery.authorized_items(session, actor=actor, ids=media_ids)
    if len(items) < SUGGESTION_MIN_PHOTOS or any(item.owner_id != actor.id for item in items):
        raise NotFound("That suggestion is no longer there; reload the page.")
    items.sort(key=lambda item: (item.sort_at, item.id))
    album = create(session, actor=actor, title=event_title(items[0].sort_at, items[-1].sort_at))
    add_items(session, actor=actor, album_id=album.id, ids=[item.id for item in items])  # type: ignore[arg-type]
    return album
