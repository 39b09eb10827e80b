"""Search over a library: one box, every word must appear somewhere in an item's title, file name,
description, camera, lens, tags, the people tagged on it, the titles of its albums or its (catalog) genres (in
any order, whole or part of a word, ignoring case).

Each item keeps those words, lower-cased, in `media_items.search_text`; whatever changes one of
them calls `refresh` (or `text_for` when the row is made) in the same transaction. Matching is
`search_text LIKE '%word%'` for each word: on PostgreSQL a trigram GIN index (pg_trgm) answers
that from the index, parts of words and file names included; SQLite scans the owner's rows, which
is the embedded default's scale. Filters and order are the gallery's (services/gallery.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, select

from mediashare.errors import ValidationFailed
from mediashare.models import Album, AlbumItem, Genre, GenreLink, MediaItem, MediaTag, Person, PersonTag, Tag

MAX_QUERY = 200
MAX_WORDS = 8


def words(query: object) -> list[str]:
    """The words of a search box, lower-cased, without repeats (at most MAX_WORDS)."""
    if not isinstance(query, str):
        raise ValidationFailed("Search for text.", field="q")
    if len(query) > MAX_QUERY:
        raise ValidationFailed(f"Search for at most {MAX_QUERY} characters.", field="q")
    found: dict[str, None] = {}
    for word in query.lower().split():
        found.setdefault(word, None)
    return list(found)[:MAX_WORDS]


def conditions(query: str) -> list[Any]:
    """One LIKE per word (wildcards in the words are taken literally)."""
    return [MediaItem.search_text.like("%" + _escape(word) + "%", escape="\\")  # type: ignore[attr-defined]
            for word in words(query)]


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_for(item: MediaItem, tag_names: Iterable[str] = (), person_names: Iterable[str] = (),
             album_titles: Iterable[str] = (), genre_names: Iterable[str] = ()) -> str:
    exif = item.exif or {}
    parts = [item.title, item.original_filename, item.description,
             *(str(exif.get(name) or "") for name in ("camera_make", "camera_model", "lens")), *tag_names,
             *person_names, *album_titles, *genre_names]
    return " ".join(part.strip() for part in parts if part and part.strip()).lower()


def refresh(session: Session, media_ids: Iterable[int]) -> None:
    """Recompute the searchable words of these items (in the caller's transaction)."""
    ids = sorted(set(media_ids))
    if not ids:
        return
    tags: dict[int, list[str]] = {}
    for media_id, name in session.exec(select(MediaTag.media_id, Tag.name).join(Tag, Tag.id == MediaTag.tag_id)
                                       .where(MediaTag.media_id.in_(ids)).order_by(Tag.name_key)):  # type: ignore[attr-defined]
        tags.setdefault(media_id, []).append(name)
    people: dict[int, list[str]] = {}
    for media_id, name in session.exec(select(PersonTag.media_id, Person.name)
                                       .join(Person, Person.id == PersonTag.person_id)
                                       .where(PersonTag.media_id.in_(ids)).order_by(Person.name_key)):  # type: ignore[attr-defined]
        people.setdefault(media_id, []).append(name)
    titles: dict[int, list[str]] = {}
    in_albums = (select(AlbumItem.media_id, Album.title).join(Album, Album.id == AlbumItem.album_id)
                 .where(AlbumItem.media_id.in_(ids)).order_by(Album.title, Album.id))  # type: ignore[attr-defined]
    for media_id, title in session.exec(in_albums):
        titles.setdefault(media_id, []).append(title)
    genres: dict[int, list[str]] = {}
    in_genres = (select(GenreLink.media_id, Genre.name).join(Genre, Genre.id == GenreLink.genre_id)
                 .where(GenreLink.media_id.in_(ids)).order_by(Genre.name_key))  # type: ignore[attr-defined]
    for media_id, name in session.exec(in_genres):
        genres.setdefault(media_id, []).append(name)
    for item in session.exec(select(MediaItem).where(MediaItem.id.in_(ids))):  # type: ignore[union-attr]
        text = text_for(item, tags.get(item.id, []), people.get(item.id, []),  # type: ignore[arg-type]
                        titles.get(item.id, []), genres.get(item.id, []))  # type: ignore[arg-type]
        if item.search_text != text:
            item.search_text = text
            session.add(item)
