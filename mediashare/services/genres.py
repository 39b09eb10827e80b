"""The global genre taxonomy: admins create, rename, merge and delete genres; items carry several.

Names are unique ignoring case; each genre has a URL slug made from its name. Merging moves every
item of the source genre to the target (an item already in both keeps one link) and removes the
source; deleting can move the items to another genre first, or just drop the links. Every change is
audited. `map_names` turns a metadata provider's genre names ("Sci-Fi", "Action & Adventure") into
ours, creating missing ones when an admin imports.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare.errors import Conflict, NotFound, ValidationFailed
from mediashare.models import AuditAction, Genre, GenreLink, Role, User
from mediashare.services import access, audit, search

MAX_NAME = 60
_SPACES = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

# Provider names that mean one or more of ours (keys casefolded). TMDB's TV genres join two.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "sci-fi": ("Science Fiction",),
    "scifi": ("Science Fiction",),
    "science-fiction": ("Science Fiction",),
    "sci-fi & fantasy": ("Science Fiction", "Fantasy"),
    "action & adventure": ("Action", "Adventure"),
    "war & politics": ("War", "Politics"),
    "kids": ("Family",),
    "children": ("Family",),
    "musical": ("Music",),
    "documentaries": ("Documentary",),
    "film-noir": ("Film Noir",),
    "tv movie": ("TV Movie",),
}


@dataclass(frozen=True)
class GenreCount:
    id: int
    name: str
    slug: str
    count: int


def clean_name(value: object) -> str:
    """A genre name: trimmed, inner spaces collapsed, printable, 1–MAX_NAME characters."""
    if not isinstance(value, str):
        raise ValidationFailed("A genre name is text.", field="name")
    name = _SPACES.sub(" ", "".join(ch for ch in value if ch.isprintable())).strip()
    if not name:
        raise ValidationFailed("Give the genre a name.", field="name")
    if len(name) > MAX_NAME:
        raise ValidationFailed(f"A genre name has at most {MAX_NAME} characters.", field="name")
    return name


def slugify(name: str) -> str:
    """"Science Fiction" → "science-fiction"; accents dropped; never empty."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")[:70] or "genre"


def _key(name: str) -> str:
    return name.casefold()[:MAX_NAME]


def _unique_slug(session: Session, name: str, *, except_id: int | None = None) -> str:
    base = slugify(name)
    slug, number = base, 2
    while True:
        taken = session.exec(select(Genre.id).where(Genre.slug == slug)).first()
        if taken is None or taken == except_id:
            return slug
        slug, number = f"{base}-{number}", number + 1


def _require_admin(actor: User) -> None:
    access.require_role(actor, Role.ADMIN)


def _get(session: Session, genre_id: int, *, lock: bool = False) -> Genre:
    query = select(Genre).where(Genre.id == genre_id)
    if lock:
        query = query.with_for_update()
    genre = session.exec(query).first()
    if genre is None:
        raise NotFound("That genre no longer exists.")
    return genre


def _by_name(session: Session, name: str) -> Genre | None:
    return session.exec(select(Genre).where(Genre.name_key == _key(name))).first()


def all_genres(session: Session) -> list[Genre]:
    """Every genre, alphabetically (for pickers and the catalog; not secret)."""
    return list(session.exec(select(Genre).order_by(Genre.name_key)).all())


def list_with_counts(session: Session, *, actor: User) -> list[GenreCount]:
    """Every genre with how many items carry it, alphabetically (admins)."""
    _require_admin(actor)
    count = sa.func.count(GenreLink.media_id)
    rows = session.exec(
        select(Genre.id, Genre.name, Genre.slug, count)
        .select_from(Genre).outerjoin(GenreLink, GenreLink.genre_id == Genre.id)
        .group_by(Genre.id, Genre.name, Genre.slug, Genre.name_key).order_by(Genre.name_key)
    ).all()
    return [GenreCount(id=row[0], name=row[1], slug=row[2], count=int(row[3])) for row in rows]


def _insert(session: Session, name: str) -> Genre:
    genre = Genre(name=name, name_key=_key(name), slug=_unique_slug(session, name))
    session.add(genre)
    session.flush()
    return genre


def create(session: Session, *, actor: User, name: object) -> Genre:
    """A new genre; Conflict when one with that name (ignoring case) exists."""
    _require_admin(actor)
    clean = clean_name(name)
    existing = _by_name(session, clean)
    if existing is not None:
        raise Conflict(f"There is already a genre called “{existing.name}”.")
    genre = _insert(session, clean)
    audit.record(session, action=AuditAction.GENRE_CREATED, actor=actor,
                 details={"genre_id": genre.id, "name": clean})
    session.commit()
    return genre


def rename(session: Session, *, actor: User, genre_id: int, name: object) -> Genre:
    """Give a genre a new name (and slug); changing only its case is allowed."""
    _require_admin(actor)
    clean = clean_name(name)
    genre = _get(session, genre_id, lock=True)
    other = _by_name(session, clean)
    if other is not None and other.id != genre.id:
        raise Conflict(f"There is already a genre called “{other.name}”: merge them instead.")
    old = genre.name
    if old == clean:
        return genre
    genre.name, genre.name_key = clean, _key(clean)
    genre.slug = _unique_slug(session, clean, except_id=genre.id)
    session.add(genre)
    session.flush()
    search.refresh(session, _items_of(session, genre.id))  # type: ignore[arg-type]
    audit.record(session, action=AuditAction.GENRE_RENAMED, actor=actor,
                 details={"genre_id": genre.id, "from": old, "to": clean})
    session.commit()
    return genre


def _items_of(session: Session, genre_id: int) -> list[int]:
    return list(session.exec(select(GenreLink.media_id).where(GenreLink.genre_id == genre_id)).all())


def _move_links(session: Session, *, source_id: int, target_id: int) -> int:
    """Give the target genre to every item of the source (no duplicates); the source links are removed."""
    already = select(GenreLink.media_id).where(GenreLink.genre_id == target_id)
    moved = session.execute(
        sa.update(GenreLink).where(GenreLink.genre_id == source_id, GenreLink.media_id.not_in(already))
        .values(genre_id=target_id)
    ).rowcount
    session.execute(sa.delete(GenreLink).where(GenreLink.genre_id == source_id))
    return int(moved or 0)


def merge(session: Session, *, actor: User, source_id: int, target_id: int) -> Genre:
    """Fold `source` into `target`: its items get the target genre, then the source is deleted."""
    _require_admin(actor)
    if source_id == target_id:
        raise ValidationFailed("Pick two different genres to merge.", field="target")
    # Lock both in id order so two concurrent merges cannot deadlock.
    first, second = sorted((source_id, target_id))
    locked = {first: _get(session, first, lock=True), second: _get(session, second, lock=True)}
    source, target = locked[source_id], locked[target_id]
    affected = _items_of(session, source_id)
    moved = _move_links(session, source_id=source_id, target_id=target_id)
    search.refresh(session, affected)
    name = source.name
    session.delete(source)
    audit.record(session, action=AuditAction.GENRE_MERGED, actor=actor,
                 details={"genre_id": source_id, "name": name, "into_id": target_id, "into": target.name,
                          "items_moved": moved})
    session.commit()
    return target


def delete(session: Session, *, actor: User, genre_id: int, reassign_to: int | None = None) -> int:
    """Delete a genre; with `reassign_to`, its items get that genre first. Returns the items moved."""
    _require_admin(actor)
    if reassign_to is not None and reassign_to == genre_id:
        raise ValidationFailed("Move the items to a different genre, or to none.", field="reassign_to")
    genre = _get(session, genre_id, lock=True)
    target = _get(session, reassign_to) if reassign_to is not None else None
    affected = _items_of(session, genre_id)
    moved = _move_links(session, source_id=genre_id, target_id=target.id) if target is not None else 0  # type: ignore[arg-type]
    if target is None:
        session.execute(sa.delete(GenreLink).where(GenreLink.genre_id == genre_id))
    name = genre.name
    session.delete(genre)
    session.flush()
    search.refresh(session, affected)
    audit.record(session, action=AuditAction.GENRE_DELETED, actor=actor,
                 details={"genre_id": genre_id, "name": name, "reassigned_to": target.name if target else None,
                          "items_moved": moved})
    session.commit()
    return moved


def set_item_genres(session: Session, *, media_id: int, genre_ids: Iterable[int]) -> None:
    """Replace an item's genres (the caller authorizes and commits; for the catalog editor)."""
    wanted = set(genre_ids)
    existing = set(session.exec(select(GenreLink.genre_id).where(GenreLink.media_id == media_id)).all())
    if wanted - existing:
        known = set(session.exec(select(Genre.id).where(Genre.id.in_(wanted - existing))).all())  # type: ignore[attr-defined]
        if known != wanted - existing:
            raise NotFound("One of those genres no longer exists.")
    for genre_id in existing - wanted:
        session.execute(sa.delete(GenreLink).where(GenreLink.media_id == media_id, GenreLink.genre_id == genre_id))
    for genre_id in wanted - existing:
        session.add(GenreLink(media_id=media_id, genre_id=genre_id))
    if wanted != existing:
        session.flush()
        search.refresh(session, [media_id])  # the search box finds items by their genres


def _provider_names(names: Iterable[str]) -> list[str]:
    """Provider genre names split and translated into ours, cleaned, in order, without repeats."""
    result: dict[str, str] = {}
    for raw in names:
        if not isinstance(raw, str) or not raw.strip():
            continue
        for part in (raw.split(",") if "," in raw else [raw]):
            try:
                name = clean_name(part)
            except ValidationFailed:
                continue
            for ours in SYNONYMS.get(name.casefold(), (name,)):
                result.setdefault(_key(ours), ours)
    return list(result.values())


def map_names(session: Session, *, actor: User, names: Iterable[str], create_missing: bool) -> list[Genre]:
    """Our genres for a provider's genre names, matched ignoring case (and known synonyms). With
    `create_missing` (an admin importing), names we do not have become new genres (audited)."""
    wanted = _provider_names(names)
    if create_missing:
        _require_admin(actor)
    found: list[Genre] = []
    created = False
    for name in wanted:
        genre = _by_name(session, name)
        if genre is None and create_missing:
            genre = _insert(session, name)
            audit.record(session, action=AuditAction.GENRE_CREATED, actor=actor,
                         details={"genre_id": genre.id, "name": name, "from_import": True})
            created = True
        if genre is not None and genre not in found:
            found.append(genre)
    if created:
        session.commit()
    return found
