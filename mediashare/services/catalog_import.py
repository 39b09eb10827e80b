"""Importing a title's details into a catalog entry, its imported artwork, and its genres.

- `find` lists provider candidates for the editor's "Find details" search;
- `prefill` turns a picked candidate into the editor's form values and our genres (provider genre
  names mapped with genres.map_names; admins create the ones we lack, resellers only get matches);
- `store_art` downloads the poster and backdrop through the SSRF guard (catalog_metadata.download_image)
  and keeps them in the "derived" area, keyed on the entry (poster_key / backdrop_key);
- `art` serves them to the entry's audience and managers only (NotFound to everyone else).

The network functions (`find`, `prefill`, `store_art`) block: call them from a worker thread.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from mediashare.errors import MediashareError, NotFound, ValidationFailed
from mediashare.models import EntryKind, Genre, GenreLink, Role, User, utc_now
from mediashare.services import access, catalog, catalog_metadata, genres
from mediashare.services.catalog_metadata import Endpoints, Kind
from mediashare.services.safe_fetch import FetchPolicy
from mediashare.settings import get_settings
from mediashare.storage import LocalStorage, StorageError

log = logging.getLogger(__name__)

AREA = "derived"
WHICH = ("poster", "backdrop")
_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
_TYPES = {suffix: kind for kind, suffix in _SUFFIXES.items()}
_KINDS = {Kind.FILM: EntryKind.FILM, Kind.EPISODE: EntryKind.EPISODE, Kind.SERIES: EntryKind.EPISODE}
MAX_GENRES = 20


def _storage() -> LocalStorage:
    return LocalStorage(get_settings().resolved_media_root)


@dataclass(frozen=True)
class Found:
    """One search result as the editor lists it."""

    ref: str  # what `prefill` takes: "tmdb=movie:603;omdb=tt0133093"
    title: str
    year: int | None
    kind: str
    poster_url: str
    providers: str  # "TMDB, OMDb"


def find(session: Session, *, actor: User, title: object, year: object = None,
         policy: FetchPolicy | None = None, endpoints: Endpoints | None = None) -> tuple[list[Found], list[str]]:
    """Candidates for `title` (and `year`, a number or the form's text) from every usable provider, and notices
    about the ones that failed."""
    if isinstance(year, str):
        year = int(year.strip()) if year.strip().isascii() and year.strip().isdigit() else (year.strip() or None)
    results = catalog_metadata.search(session, actor=actor, title=title, year=year, policy=policy,
                                      endpoints=endpoints)
    found = [Found(ref=";".join(f"{name}={ident}" for name, ident in c.sources), title=c.title, year=c.year,
                   kind=c.kind.value, poster_url=c.poster_url,
                   providers=", ".join(catalog_metadata.LABELS.get(name, name) for name, _ in c.sources))
             for c in results.candidates]
    notices = list(results.notices)
    if not found and not notices:
        notices.append("No provider found that title. Check the spelling, or leave out the year.")
    return found, notices


@dataclass
class Prefill:
    """The editor's form values (as text, like the form holds them) and our genres for a picked title."""

    values: dict[str, str]
    genre_ids: list[int]
    genre_names: list[str]
    poster_url: str
    backdrop_url: str
    notices: list[str] = field(default_factory=list)


def prefill(session: Session, *, actor: User, ref: object, policy: FetchPolicy | None = None,
            endpoints: Endpoints | None = None) -> Prefill:
    """The details of the picked search result, ready for the form (nothing is saved but new genres an admin's
    import creates)."""
    entry = catalog_metadata.details(session, actor=actor, ref=ref, policy=policy, endpoints=endpoints)
    kind = _KINDS.get(entry.kind, EntryKind.OTHER)
    values = {
        "title": entry.title[:catalog.MAX_TITLE],
        "original_title": (entry.original_title if entry.original_title != entry.title else "")[:catalog.MAX_TITLE],
        "year": str(entry.year or ""),
        "kind": kind.value,
        "plot": entry.plot[:catalog.MAX_PLOT],
        "rating": f"{entry.rating:g}" if entry.rating is not None else "",
        "runtime_minutes": str(entry.runtime_minutes or ""),
        "cast": ", ".join(entry.cast[:catalog.MAX_CAST]),
        "age_rating": entry.age_rating[:catalog.MAX_AGE_RATING],
    }
    if entry.kind is Kind.SERIES:
        values["series_title"] = values["title"]
    admin = actor.role.rank >= Role.ADMIN.rank
    mapped = genres.map_names(session, actor=actor, names=entry.genres, create_missing=admin)
    notices = []
    if entry.genres and not mapped:
        notices.append("None of the provider's genres (" + ", ".join(entry.genres)
                       + ") exists here yet; an admin can add them.")
    return Prefill(values=values, genre_ids=[g.id for g in mapped], genre_names=[g.name for g in mapped],  # type: ignore[misc]
                   poster_url=entry.poster_url, backdrop_url=entry.backdrop_url, notices=notices)


def store_art(session: Session, *, actor: User, entry_id: int, poster_url: object = "", backdrop_url: object = "",
              policy: FetchPolicy | None = None, endpoints: Endpoints | None = None) -> list[str]:
    """Download the poster and backdrop (empty address: keep what the entry has) and store them on the entry.
    Returns a message per image that could not be stored; the entry keeps its other details either way."""
    entry = catalog.managed(session, actor=actor, entry_id=entry_id)
    storage = _storage()
    notices: list[str] = []
    new: dict[str, str] = {}
    for which, url in (("poster", poster_url), ("backdrop", backdrop_url)):
        if not url:
            continue
        try:
            image = catalog_metadata.download_image(session, actor=actor, url=url, policy=policy,
                                                    endpoints=endpoints)
        except MediashareError as error:
            notices.append(f"The {which} could not be imported: {error}")
            continue
        new[which] = storage.put(io.BytesIO(image.data), area=AREA, suffix=_SUFFIXES[image.content_type])
    if not new:
        return notices
    old = [getattr(entry, f"{which}_key") for which in new]
    try:
        for which, key in new.items():
            setattr(entry, f"{which}_key", key)
        entry.updated_at = utc_now()
        session.add(entry)
        session.commit()
    except BaseException:
        session.rollback()
        for key in new.values():
            storage.delete(key, area=AREA)
        raise
    for key in old:
        if key:
            try:
                storage.delete(key, area=AREA)
            except (StorageError, OSError):
                log.warning("Could not delete replaced catalog artwork %s", key)
    return notices


def art(session: Session, *, viewer: User, entry_id: int, which: str) -> tuple[bytes, str, str]:
    """The imported poster or backdrop of an entry (bytes, content type, version tag), for the entry's
    audience and its managers. NotFound for anyone else, or when there is none."""
    if which not in WHICH:
        raise NotFound(catalog.NOT_FOUND)
    try:
        entry, _ = catalog.visible(session, viewer=viewer, entry_id=entry_id)
    except NotFound:
        entry = catalog.managed(session, actor=viewer, entry_id=entry_id)
    key = getattr(entry, f"{which}_key")
    if not key:
        raise NotFound(f"This title has no imported {which}.")
    suffix = "." + key.rsplit(".", 1)[-1] if "." in key else ""
    try:
        with _storage().open(key, area=AREA) as handle:
            return handle.read(), _TYPES.get(suffix, "application/octet-stream"), key.removesuffix(suffix)
    except (StorageError, OSError):
        log.error("Catalog artwork %s of entry %s is missing", key, entry.id)
        raise NotFound(f"This title has no imported {which}.") from None


# -- genres ------------------------------------------------------------------------------------------

def _genre_ids(value: object) -> list[int]:
    if not isinstance(value, list) or len(value) > MAX_GENRES:
        raise ValidationFailed(f"Pick at most {MAX_GENRES} genres.", field="genres")
    ids: list[int] = []
    for raw in value:
        if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit() or len(str(raw)) > 12:
            raise ValidationFailed("That genre is not valid; reload the page.", field="genres")
        if int(raw) not in ids:
            ids.append(int(raw))
    return ids


def set_genres(session: Session, *, actor: User, entry_id: int, genre_ids: object) -> list[str]:
    """Give the entry's item exactly these (existing) genres; returns their names. Commits."""
    ids = _genre_ids(genre_ids)
    entry = catalog.managed(session, actor=actor, entry_id=entry_id)
    genres.set_item_genres(session, media_id=entry.media_id, genre_ids=ids)
    session.commit()
    return names_of(session, [entry.media_id]).get(entry.media_id, [])


def choices(session: Session, *, actor: User) -> list[Genre]:
    """Every genre, for the editor's picker (publishers only)."""
    access.require_role(actor, Role.RESELLER)
    return genres.all_genres(session)


def names_of(session: Session, media_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each item's genre names, alphabetical (the caller has authorized the items)."""
    ids = list(media_ids)
    result: dict[int, list[str]] = {}
    if not ids:
        return result
    rows = session.exec(select(GenreLink.media_id, Genre.name).join(Genre, col(Genre.id) == GenreLink.genre_id)
                        .where(col(GenreLink.media_id).in_(ids)).order_by(col(Genre.name))).all()
    for media_id, name in rows:
        result.setdefault(media_id, []).append(name)
    return result


def ids_of(session: Session, media_id: int) -> list[int]:
    """The genre ids of one item (the caller has authorized it)."""
    return list(session.exec(select(GenreLink.genre_id).where(GenreLink.media_id == media_id)).all())


def rows(session: Session, *, viewer: User, per_row: int = 20) -> list[tuple[Genre, list[catalog.Card]]]:
    """One row per genre that has entries `viewer` can see (alphabetical), newest entries first."""
    cards = catalog.browse(session, viewer=viewer, limit=catalog.MAX_PAGE)
    by_media = {card.item.id: card for card in cards}
    if not by_media:
        return []
    links = session.exec(select(GenreLink.media_id, Genre).join(Genre, col(Genre.id) == GenreLink.genre_id)
                         .where(col(GenreLink.media_id).in_(list(by_media)))).all()
    grouped: dict[int, tuple[Genre, list[catalog.Card]]] = {}
    for media_id, genre in links:
        grouped.setdefault(genre.id, (genre, []))[1].append(by_media[media_id])  # type: ignore[arg-type]
    result = []
    for genre, members in sorted(grouped.values(), key=lambda row: row[0].name.casefold()):
        order = {id(card): index for index, card in enumerate(cards)}
        result.append((genre, sorted(members, key=lambda card: order[id(card)])[:per_row]))
    return result
