"""The catalog: admins and resellers publish videos and music to the people under them, who browse,
pay per play window and watch.

Who sees an entry (its audience) is computed from the publisher, never stored:

- an entry published by an admin or a superuser is for every active account;
- one published by a reseller is for that reseller's descendants (and the reseller itself);
- users never publish; an entry whose publisher is no longer an active admin/reseller is seen by
  nobody (its managers still find it in their management list).

Unpublished entries, trashed or pending items, and entries outside a viewer's audience are NotFound
on every handler and byte route (never PermissionDenied: a stranger learns nothing).

Playing a priced entry opens a *play window* (platform setting "catalog_play_window_hours", 48 h by
default), charged once through the credits hook (`credits.Action.CATALOG_PLAY`, with the entry's
own price). Window rows are numbered per user and entry, unique on (user, entry, number): starts
racing for the same next window collide on that constraint and only one of them inserts — and pays,
in the same transaction. The losers find the winner's open window. Within a window, reloading,
seeking and a second tab cost nothing. A start that fails (the player could not play the file) is
refunded by `report_failed_start` while the window is young and nothing has been watched.

Byte routes (services/media.serve → `streamable`): the audience gets the thumbnail and previews of a
published item, and its original (the stream) when the entry is free or they have an open window;
the "download" variant is never given to the audience (streaming only: a download would outlive
the window).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mediashare.errors import NotFound, PaymentRequired, ValidationFailed
from mediashare.models import (
    AuditAction,
    CatalogEntry,
    CatalogPlay,
    EntryKind,
    Genre,
    GenreLink,
    MediaItem,
    MediaKind,
    MediaStatus,
    PlaybackPosition,
    PlayWindow,
    Role,
    User,
    WatchlistItem,
    utc_now,
)
from mediashare.services import access, audit, credits, ingest, media, platform, transcode
from mediashare.services.auth import Client

NOT_FOUND = "That title is not in the catalog."
MAX_TITLE = 200
MAX_PLOT = 5000
MAX_CAST = 50
MAX_NAME = 100
MAX_AGE_RATING = 16
MAX_ARTIST = MAX_ALBUM = 200
MAX_DISC, MAX_TRACK = 99, 999
ALBUM_KEY_LENGTH = 20  # hex digits of the album identifier (services/catalog_albums.py)
MAX_PAGE = 200
FAILED_START_GRACE = timedelta(minutes=10)  # a window this young, barely watched, can be refunded
FAILED_START_WATCHED_SECONDS = 30.0
WINDOW_SETTING = "catalog_play_window_hours"
AUDIENCE_VARIANTS = ("thumbnail", "preview", "preview_jpeg")  # plus "original" (the stream), see module doc
_STAFF = (Role.ADMIN.value, Role.SUPERUSER.value)


def _as_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2**63 - 1:
        raise NotFound(NOT_FOUND)
    return value


# ---- audience --------------------------------------------------------------------------------------

def _audience_filter(session: Session, viewer: User) -> sa.ColumnElement[bool]:
    """SQL: the entry's publisher (joined as User) puts `viewer` in its audience."""
    ancestors = access.ancestor_ids(session, viewer)
    return sa.and_(
        col(User.is_active).is_(True),
        sa.or_(
            col(User.role).in_(_STAFF),
            sa.and_(User.role == Role.RESELLER, col(User.id).in_([*ancestors, viewer.id])),
        ),
    )


def _visible_query(session: Session, viewer: User):
    """Published entries `viewer` may see, with their items, newest first."""
    return (
        select(CatalogEntry, MediaItem)
        .join(MediaItem, col(MediaItem.id) == CatalogEntry.media_id)
        .join(User, col(User.id) == CatalogEntry.publisher_id)
        .where(col(CatalogEntry.published).is_(True), col(MediaItem.trashed_at).is_(None),
               MediaItem.status != MediaStatus.PENDING, _audience_filter(session, viewer))
    )


def visible(session: Session, *, viewer: User, entry_id: int) -> tuple[CatalogEntry, MediaItem]:
    """The published entry and its item, if `viewer` is in its audience; NotFound otherwise."""
    if not viewer.is_active:
        raise NotFound(NOT_FOUND)
    row = session.exec(_visible_query(session, viewer).where(CatalogEntry.id == _as_id(entry_id))).first()
    if row is None:
        raise NotFound(NOT_FOUND)
    return row[0], row[1]


def streamable(session: Session, *, actor: User, media_id: int, variant: str) -> MediaItem:
    """For the byte route: the item behind `media_id` if it is published to `actor` (or is the poster
    or backdrop of an entry published to them) and `variant` is one the audience gets. The stream
    ("original") of a priced entry needs an open play window: PaymentRequired otherwise."""
    if not actor.is_active:
        raise NotFound(media.NOT_FOUND)
    media_id = _as_id(media_id)
    if variant == "original" or variant in transcode.LABEL_OF_VARIANT:  # the stream, or its playable version
        row = session.exec(_visible_query(session, actor).where(CatalogEntry.media_id == media_id)).first()
        if row is None:
            raise NotFound(media.NOT_FOUND)
        entry, item = row
        if entry.price > 0 and open_window(session, user=actor, entry_id=entry.id) is None:  # type: ignore[arg-type]
            raise PaymentRequired(f"This title costs {entry.price:,} credits per play window: press Play on its "
                                  "catalog page to start one.")
        return item
    if variant not in AUDIENCE_VARIANTS:
        raise NotFound(media.NOT_FOUND)
    art = sa.or_(CatalogEntry.media_id == media_id, CatalogEntry.poster_media_id == media_id,
                 CatalogEntry.backdrop_media_id == media_id)
    if session.exec(_visible_query(session, actor).where(art)).first() is None:
        raise NotFound(media.NOT_FOUND)
    item = session.get(MediaItem, media_id)
    if item is None or item.status is MediaStatus.PENDING or item.trashed_at is not None:
        raise NotFound(media.NOT_FOUND)
    return item


# ---- publishing -------------------------------------------------------------------------------------

def may_publish(session: Session, *, actor: User, item: MediaItem) -> bool:
    """Admins, superusers and resellers publish video and audio they own or manage."""
    if not actor.is_active or actor.role.rank < Role.RESELLER.rank or item.kind is MediaKind.IMAGE:
        return False
    try:
        media.viewable(session, actor=actor, media_id=item.id)  # type: ignore[arg-type]
    except NotFound:
        return False
    return True


def _text(values: dict, name: str, limit: int, *, required: bool = False, label: str = "") -> str:
    value = values.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(f"The {label or name} must be text.", field=name)
    text = " ".join(value.split())
    if required and not text:
        raise ValidationFailed(f"Give the {label or name}.", field=name)
    if len(text) > limit:
        raise ValidationFailed(f"The {label or name} can be at most {limit} characters long.", field=name)
    return text


def _number(values: dict, name: str, low: float, high: float, *, label: str, whole: bool = True) -> float | None:
    value = values.get(name)
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
        if value == "":
            return None
        try:
            value = int(value) if whole else float(value)
        except ValueError:
            raise ValidationFailed(f"The {label} must be a {'whole ' if whole else ''}number.", field=name) from None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or (whole and not float(value).is_integer()):
        raise ValidationFailed(f"The {label} must be a {'whole ' if whole else ''}number.", field=name)
    if not math.isfinite(value) or not low <= value <= high:
        raise ValidationFailed(f"The {label} must be from {low:g} to {high:g}.", field=name)
    return int(value) if whole else round(float(value), 1)


def _cast(value: object) -> list[str]:
    if value is None or value == "":
        return []
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ValidationFailed("The cast is a list of names, separated by commas.", field="cast")
    cleaned = [" ".join(name.split()) for name in names]
    cleaned = [name for name in cleaned if name]
    if len(cleaned) > MAX_CAST:
        raise ValidationFailed(f"List at most {MAX_CAST} cast members.", field="cast")
    if any(len(name) > MAX_NAME for name in cleaned):
        raise ValidationFailed(f"A cast member's name can be at most {MAX_NAME} characters long.", field="cast")
    return cleaned


def _art(session: Session, actor: User, values: dict, name: str, label: str) -> int | None:
    """An image item the actor may view, used as poster or backdrop (None: the entry's own frame)."""
    raw = values.get(name)
    if raw in (None, "", 0, "0"):
        return None
    media_id = _number(values, name, 1, 2**63 - 1, label=label)
    try:
        item = media.viewable(session, actor=actor, media_id=int(media_id))  # type: ignore[arg-type]
    except NotFound:
        raise ValidationFailed(f"The {label} must be a picture in a library you manage.", field=name) from None
    if item.kind is not MediaKind.IMAGE:
        raise ValidationFailed(f"The {label} must be a picture.", field=name)
    return item.id


@dataclass(frozen=True)
class FormField:
    """One field of the publish/edit form: how its text is read (and checked) and shown again.
    A field with `kinds` belongs to those kinds only: for any other kind it is not read, and cleared."""

    name: str
    read: Callable[[Session, User, dict], object]  # (session, actor, the form's values) -> the value
    kinds: tuple[EntryKind, ...] = ()
    empty: object = None

    def show(self, entry: CatalogEntry) -> str:
        """The entry's value as the form holds it (text)."""
        value = getattr(entry, self.name)
        return ", ".join(value) if isinstance(value, list) else "" if value is None else str(value)


def _texts(name: str, limit: int, *, label: str = "", required: bool = False):
    return lambda _session, _actor, values: _text(values, name, limit, required=required, label=label)


def _numbers(name: str, low: float, high: float, *, label: str, whole: bool = True):
    return lambda _session, _actor, values: _number(values, name, low, high, label=label, whole=whole)


def _price(session: Session, _actor: User, values: dict) -> int:
    price = _number(values, "price", 0, credits.MAX_PRICE, label="price")
    return credits.price(session, credits.Action.CATALOG_PLAY) if price is None else int(price)


_EPISODE, _MUSIC = (EntryKind.EPISODE,), (EntryKind.MUSIC,)
FIELDS: tuple[FormField, ...] = (
    FormField("title", _texts("title", MAX_TITLE, required=True)),
    FormField("original_title", _texts("original_title", MAX_TITLE, label="original title")),
    FormField("year", _numbers("year", 1870, 2100, label="year")),
    FormField("series_title", _texts("series_title", MAX_TITLE, label="series title"), _EPISODE, ""),
    FormField("season", _numbers("season", 0, 999, label="season"), _EPISODE),
    FormField("episode", _numbers("episode", 0, 9999, label="episode number"), _EPISODE),
    FormField("artist", _texts("artist", MAX_ARTIST, label="artist"), _MUSIC, ""),
    FormField("album", _texts("album", MAX_ALBUM, label="album"), _MUSIC, ""),
    FormField("disc_number", _numbers("disc_number", 1, MAX_DISC, label="disc number"), _MUSIC),
    FormField("track_number", _numbers("track_number", 1, MAX_TRACK, label="track number"), _MUSIC),
    FormField("plot", lambda _s, _a, values: media.clean_description(values.get("plot", "") or "")),
    FormField("rating", _numbers("rating", 0, 10, label="rating", whole=False)),
    FormField("runtime_minutes", _numbers("runtime_minutes", 1, 2000, label="runtime")),
    FormField("age_rating", _texts("age_rating", MAX_AGE_RATING, label="age rating")),
    FormField("cast", lambda _s, _a, values: _cast(values.get("cast"))),
    FormField("price", _price),
    FormField("poster_media_id", lambda s, a, values: _art(s, a, values, "poster_media_id", "poster")),
    FormField("backdrop_media_id", lambda s, a, values: _art(s, a, values, "backdrop_media_id", "backdrop")),
)
FORM_FIELDS = ("kind", *(form_field.name for form_field in FIELDS))  # what the editor's form sends


def form_values(entry: CatalogEntry) -> dict[str, str]:
    """An entry's details as the editor's form holds them (text), the inverse of `_apply`."""
    return {"kind": entry.kind.value, **{form_field.name: form_field.show(entry) for form_field in FIELDS}}


def album_key(publisher_id: int, artist: str, album: str) -> str | None:
    """The identifier of a publisher's album: the same for the same artist and album name whatever
    their case and spacing; None without an album name (a single song)."""
    album = " ".join(album.split()).casefold()
    if not album:
        return None
    artist = " ".join(artist.split()).casefold()
    return hashlib.sha256(f"{int(publisher_id)}\n{artist}\n{album}".encode()).hexdigest()[:ALBUM_KEY_LENGTH]


def _apply(session: Session, actor: User, entry: CatalogEntry, values: object) -> list[str]:
    """Validate the form's values and set them on `entry`; returns the names of changed fields."""
    if not isinstance(values, dict):
        raise ValidationFailed("Send the entry's details as a form.")
    kind_text = values.get("kind", entry.kind.value if entry.kind else EntryKind.FILM.value)
    try:
        kind = EntryKind(kind_text)
    except ValueError:
        raise ValidationFailed("Choose film, episode, music or other.", field="kind") from None
    new: dict[str, object] = {"kind": kind}
    for form_field in FIELDS:
        belongs = not form_field.kinds or kind in form_field.kinds
        new[form_field.name] = form_field.read(session, actor, values) if belongs else form_field.empty
    if kind is EntryKind.EPISODE and not new["series_title"]:
        raise ValidationFailed("An episode needs the title of its series.", field="series_title")
    new["album_key"] = album_key(entry.publisher_id, str(new["artist"]), str(new["album"]))
    changed = [name for name, value in new.items() if getattr(entry, name) != value]
    for name, value in new.items():
        setattr(entry, name, value)
    return changed


def _audit(session: Session, action: AuditAction, actor: User, entry: CatalogEntry, client: Client | None,
           **details: object) -> None:
    audit.record(session, action=action, actor=actor, target=session.get(User, entry.publisher_id),
                 ip=client.ip if client else "", user_agent=client.user_agent if client else "",
                 details={"entry_id": entry.id, "media_id": entry.media_id, **details})


def publish(session: Session, *, actor: User, media_id: int, values: object,
            client: Client | None = None) -> CatalogEntry:
    """Publish a video or audio item `actor` owns or manages (admins: to everyone; resellers: to their
    descendants), or publish it again with new details. Audited; commits."""
    access.require_role(actor, Role.RESELLER)
    item = media.viewable(session, actor=actor, media_id=media_id)
    if item.kind is MediaKind.IMAGE:
        raise ValidationFailed("Only videos and audio can be published to the catalog.")
    if item.status is not MediaStatus.READY and item.status is not MediaStatus.STORED:
        raise ValidationFailed("This item is still being processed; publish it when it is ready.")
    entry = session.exec(select(CatalogEntry).where(CatalogEntry.media_id == item.id)).first()
    if entry is not None and entry.published:
        raise ValidationFailed("This item is already in the catalog; edit its entry instead.")
    if entry is None:
        entry = CatalogEntry(media_id=item.id, publisher_id=actor.id, title="")  # type: ignore[arg-type]
    else:
        _require_manages(session, actor, entry)
        entry.publisher_id = actor.id  # type: ignore[assignment]
    _apply(session, actor, entry, values)
    entry.published, entry.published_at, entry.updated_at = True, utc_now(), utc_now()
    session.add(entry)
    try:
        session.flush()
    except IntegrityError:  # published from another tab at the same moment
        session.rollback()
        raise ValidationFailed("This item is already in the catalog; edit its entry instead.") from None
    _audit(session, AuditAction.CATALOG_PUBLISHED, actor, entry, client, price=entry.price,
           audience="everyone" if actor.role.value in _STAFF else "descendants")
    session.commit()
    return entry


def _require_manages(session: Session, actor: User, entry: CatalogEntry) -> None:
    """`actor` published the entry, or may manage its publisher (an admin over a reseller's entry)."""
    if actor.role.rank < Role.RESELLER.rank or not actor.is_active:
        raise NotFound(NOT_FOUND)
    publisher = session.get(User, entry.publisher_id)
    if publisher is None or not access.can_manage(session, actor=actor, target=publisher):
        raise NotFound(NOT_FOUND)


def managed(session: Session, *, actor: User, entry_id: int) -> CatalogEntry:
    """An entry (published or not) `actor` may edit; NotFound otherwise."""
    entry = session.get(CatalogEntry, _as_id(entry_id))
    if entry is None:
        raise NotFound(NOT_FOUND)
    _require_manages(session, actor, entry)
    return entry


def entry_for_media(session: Session, *, actor: User, media_id: int) -> CatalogEntry | None:
    """The entry of item `media_id` if `actor` may manage it (the viewer's "Publish"/"Edit" button)."""
    entry = session.exec(select(CatalogEntry).where(CatalogEntry.media_id == _as_id(media_id))).first()
    if entry is None:
        return None
    try:
        _require_manages(session, actor, entry)
    except NotFound:
        return None
    return entry


def update(session: Session, *, actor: User, entry_id: int, values: object,
           client: Client | None = None) -> CatalogEntry:
    """Change an entry's details (its publisher, or an account managing the publisher). Audited; commits."""
    entry = managed(session, actor=actor, entry_id=entry_id)
    changed = _apply(session, actor, entry, values)
    if changed:
        entry.updated_at = utc_now()
        _audit(session, AuditAction.CATALOG_UPDATED, actor, entry, client, fields=changed)
        session.commit()
    return entry


def unpublish(session: Session, *, actor: User, entry_id: int, client: Client | None = None) -> CatalogEntry:
    """Take an entry out of the catalog at once (its bytes are 404 to the audience from the next
    request; open play windows stay recorded). Audited; commits."""
    entry = managed(session, actor=actor, entry_id=entry_id)
    if entry.published:
        entry.published, entry.updated_at = False, utc_now()
        _audit(session, AuditAction.CATALOG_UNPUBLISHED, actor, entry, client)
        session.commit()
    return entry


@dataclass(frozen=True)
class ManagedRow:
    entry: CatalogEntry
    item: MediaItem
    publisher: str


def manage_list(session: Session, *, actor: User, limit: int = MAX_PAGE) -> list[ManagedRow]:
    """Entries `actor` manages (own; admins: also those of accounts they manage), newest first."""
    access.require_role(actor, Role.RESELLER)
    query = (select(CatalogEntry, MediaItem, User).join(MediaItem, col(MediaItem.id) == CatalogEntry.media_id)
             .join(User, col(User.id) == CatalogEntry.publisher_id)
             .order_by(col(CatalogEntry.updated_at).desc(), col(CatalogEntry.id).desc()))
    if actor.role is Role.RESELLER:
        query = query.where(CatalogEntry.publisher_id == actor.id)
    rows: list[ManagedRow] = []
    for entry, item, publisher in session.exec(query).all():
        if publisher.id == actor.id or access.can_manage(session, actor=actor, target=publisher):
            rows.append(ManagedRow(entry=entry, item=item, publisher=publisher.name))
        if len(rows) >= limit:
            break
    return rows


# ---- browsing ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    """What a poster tile needs."""

    entry: CatalogEntry
    item: MediaItem
    art_media_id: int | None  # the item whose thumbnail is the poster (None: no picture)


def _card(entry: CatalogEntry, item: MediaItem) -> Card:
    art = entry.poster_media_id or (item.id if item.thumbnail_key else None)
    return Card(entry=entry, item=item, art_media_id=art)


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _matches(word: str) -> sa.ColumnElement[bool]:
    """SQL: `word` is part of the entry's title, original title, series, artist, album, a cast member's
    name or one of its genres (ignoring case). The cast is a JSON list: its text is matched both as stored by us
    (non-ASCII letters escaped, "\\u00f6") and as PostgreSQL's jsonb would print it."""
    pattern, encoded = _like(word), _like(json.dumps(word)[1:-1])
    cast_text = sa.cast(col(CatalogEntry.cast), sa.Text)
    in_genre = (select(GenreLink.media_id).join(Genre, col(Genre.id) == GenreLink.genre_id)
                .where(col(Genre.name).ilike(pattern, escape="\\")))
    return sa.or_(col(CatalogEntry.title).ilike(pattern, escape="\\"),
                  col(CatalogEntry.original_title).ilike(pattern, escape="\\"),
                  col(CatalogEntry.series_title).ilike(pattern, escape="\\"),
                  col(CatalogEntry.artist).ilike(pattern, escape="\\"),
                  col(CatalogEntry.album).ilike(pattern, escape="\\"),
                  cast_text.ilike(pattern, escape="\\"), cast_text.ilike(encoded, escape="\\"),
                  col(CatalogEntry.media_id).in_(in_genre))


def filtered(session: Session, *, viewer: User, query: str = "", kind: str = "", year: int | None = None,
             series: str = "", genre: int | None = None):
    """SELECT (entry, item) of the published entries for `viewer` that pass the filters: words (each in
    the title, original title, series, artist, album, cast or genre names: `_matches`), kind, year and
    genre (a genre id). Unordered."""
    stmt = _visible_query(session, viewer)
    if genre is not None:
        stmt = stmt.where(col(CatalogEntry.media_id).in_(select(GenreLink.media_id).where(GenreLink.genre_id == genre)))
    if kind:
        try:
            stmt = stmt.where(CatalogEntry.kind == EntryKind(kind))
        except ValueError:
            raise ValidationFailed("Choose film, episode, music or other.", field="kind") from None
    if year is not None:
        stmt = stmt.where(CatalogEntry.year == year)
    if series:
        stmt = stmt.where(CatalogEntry.series_title == series)
    for word in (query or "").split()[:6]:
        stmt = stmt.where(_matches(word))
    return stmt


def browse(session: Session, *, viewer: User, query: str = "", kind: str = "", year: int | None = None,
           series: str = "", genre: int | None = None, limit: int = 60) -> list[Card]:
    """Published entries for `viewer`, newest first, filtered as `filtered` says."""
    stmt = filtered(session, viewer=viewer, query=query, kind=kind, year=year, series=series, genre=genre)
    limit = max(1, min(int(limit), MAX_PAGE))
    stmt = stmt.order_by(col(CatalogEntry.published_at).desc(), col(CatalogEntry.id).desc()).limit(limit)
    return [_card(entry, item) for entry, item in session.exec(stmt).all()]


def years(session: Session, *, viewer: User) -> list[int]:
    """The years of entries `viewer` can see, newest first (the year filter's choices)."""
    stmt = (select(CatalogEntry.year).join(MediaItem, col(MediaItem.id) == CatalogEntry.media_id)
            .join(User, col(User.id) == CatalogEntry.publisher_id)
            .where(col(CatalogEntry.published).is_(True), col(MediaItem.trashed_at).is_(None),
                   col(CatalogEntry.year).is_not(None), _audience_filter(session, viewer)).distinct())
    return sorted((year for year in session.exec(stmt).all() if year is not None), reverse=True)


def series_seasons(session: Session, *, viewer: User, series: str) -> dict[int, list[Card]]:
    """The episodes of a series `viewer` can see, by season (ordered), each season in episode order."""
    cards = [card for card in browse(session, viewer=viewer, kind=EntryKind.EPISODE.value, series=series,
                                     limit=MAX_PAGE)]
    seasons: dict[int, list[Card]] = {}
    for card in sorted(cards, key=lambda c: (c.entry.season or 0, c.entry.episode or 0, c.entry.id)):
        seasons.setdefault(card.entry.season or 0, []).append(card)
    return seasons


@dataclass(frozen=True)
class Progress:
    card: Card
    position_seconds: float
    duration_seconds: float | None


def continue_watching(session: Session, *, viewer: User, limit: int = 20) -> list[Progress]:
    """Entries `viewer` left part-way (from their playback positions), most recent first."""
    stmt = (_visible_query(session, viewer).add_columns(PlaybackPosition)
            .join(PlaybackPosition, sa.and_(PlaybackPosition.media_id == CatalogEntry.media_id,
                                            PlaybackPosition.user_id == viewer.id))
            .order_by(col(PlaybackPosition.updated_at).desc()).limit(limit * 3))
    found: list[Progress] = []
    for entry, item, position in session.exec(stmt).all():
        length = position.duration_seconds or item.duration_seconds
        if media._unfinished(position.position_seconds, length):
            found.append(Progress(card=_card(entry, item), position_seconds=position.position_seconds,
                                  duration_seconds=length))
        if len(found) >= limit:
            break
    return found


# ---- watchlist --------------------------------------------------------------------------------------

def set_mark(session: Session, model: type, *, actor: User, entry_id: int, on: bool) -> bool:
    """Add or remove `actor`'s (user_id, entry_id) row of `model` (the watchlist, favorites) for an
    entry they can see (idempotent). Commits."""
    entry, _item = visible(session, viewer=actor, entry_id=entry_id)
    row = session.get(model, (actor.id, entry.id))
    if on and row is None:
        session.add(model(user_id=actor.id, entry_id=entry.id))
        try:
            session.commit()
        except IntegrityError:  # a second tab added it first
            session.rollback()
    elif not on and row is not None:
        session.delete(row)
        session.commit()
    return on


def marked_ids(session: Session, model: type, *, user: User, entry_ids: list[int]) -> set[int]:
    """Which of `entry_ids` `user` has a row of `model` for."""
    if not entry_ids:
        return set()
    return set(session.exec(select(model.entry_id).where(
        model.user_id == user.id, col(model.entry_id).in_(entry_ids))).all())


def set_on_list(session: Session, *, actor: User, entry_id: int, on: bool) -> bool:
    """Put an entry `actor` can see on their list, or take it off (idempotent). Commits."""
    return set_mark(session, WatchlistItem, actor=actor, entry_id=entry_id, on=on)


def on_list(session: Session, *, user: User, entry_ids: list[int]) -> set[int]:
    return marked_ids(session, WatchlistItem, user=user, entry_ids=entry_ids)


def watchlist(session: Session, *, viewer: User, limit: int = 60) -> list[Card]:
    """`viewer`'s list, most recently added first (entries no longer visible to them are left out)."""
    stmt = (_visible_query(session, viewer)
            .join(WatchlistItem, sa.and_(WatchlistItem.entry_id == CatalogEntry.id,
                                         WatchlistItem.user_id == viewer.id))
            .order_by(col(WatchlistItem.created_at).desc()).limit(max(1, min(int(limit), MAX_PAGE))))
    return [_card(entry, item) for entry, item in session.exec(stmt).all()]


# ---- playing ----------------------------------------------------------------------------------------

def window_hours(session: Session) -> int:
    hours = platform.get(session, WINDOW_SETTING)
    return hours if isinstance(hours, int) and not isinstance(hours, bool) and 1 <= hours <= 24 * 365 else 48


def open_window(session: Session, *, user: User, entry_id: int, now: datetime | None = None) -> PlayWindow | None:
    """`user`'s open (not expired, not refunded) window on an entry, if any."""
    return session.exec(select(PlayWindow).where(
        PlayWindow.user_id == user.id, PlayWindow.entry_id == entry_id, col(PlayWindow.refunded_at).is_(None),
        PlayWindow.expires_at > (now or utc_now())).order_by(col(PlayWindow.number).desc())).first()


@dataclass(frozen=True)
class Play:
    """What starting to play gave: the window (None for a free entry) and whether this call paid."""

    window_id: int | None
    expires_at: datetime | None
    charged: int = 0  # credits this call took (0: free, or the window was already open)
    resume_at: float | None = field(default=None)


def start_play(session: Session, *, actor: User, entry_id: int) -> Play:
    """Open (and pay for) a play window on a priced entry, or return the open one; free entries play
    without a window. InsufficientCredits (nothing charged, no window) when the balance is short;
    NotFound when the entry is not visible or its file is missing (nothing charged). Commits."""
    entry, item = visible(session, viewer=actor, entry_id=entry_id)
    if not ingest.storage().path(item.storage_key, area="originals").is_file():
        raise NotFound("This title cannot be played right now; nothing was charged. Try again later.")
    entry_id, price, media_id = entry.id, entry.price, item.id
    resume = _resume(session, actor, item)
    if price == 0:
        _record_play(session, actor, entry_id)  # type: ignore[arg-type]
        session.commit()
        return Play(window_id=None, expires_at=None, resume_at=resume)
    hours = window_hours(session)
    for _attempt in range(5):
        current = session.exec(select(PlayWindow).where(PlayWindow.user_id == actor.id,
                                                        PlayWindow.entry_id == entry_id)
                               .order_by(col(PlayWindow.number).desc())).first()
        now = utc_now()
        if current is not None and current.refunded_at is None and current.expires_at > now:
            _record_play(session, actor, entry_id)  # type: ignore[arg-type]
            session.commit()
            return Play(window_id=current.id, expires_at=current.expires_at, resume_at=resume)
        number = (current.number if current is not None else 0) + 1
        window = PlayWindow(user_id=actor.id, entry_id=entry_id, number=number, amount=price,  # type: ignore[arg-type]
                            opened_at=now, expires_at=now + timedelta(hours=hours))
        session.add(window)
        try:
            session.flush()  # a racing start with the same number waits here, then collides
        except IntegrityError:
            session.rollback()
            continue
        try:
            paid = credits.charge(session, actor, credits.Action.CATALOG_PLAY, media_id=media_id, amount=price,
                                  reference=f"catalog:{entry_id}/window:{number}")
        except Exception:
            session.rollback()
            raise
        window.charge_id = paid.id
        _record_play(session, actor, entry_id)  # type: ignore[arg-type]
        session.commit()
        return Play(window_id=window.id, expires_at=window.expires_at, charged=price, resume_at=resume)
    raise NotFound("Could not start playing; nothing was charged. Try again.")


def _record_play(session: Session, actor: User, entry_id: int) -> None:
    """Put the entry at the top of `actor`'s watch history (services/catalog_history.py), in the
    caller's transaction; a second tab starting the same entry at once only counts once more."""
    table = CatalogPlay.__table__  # type: ignore[attr-defined]
    now = utc_now()
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(user_id=actor.id, entry_id=entry_id, first_played_at=now, played_at=now,
                                     plays=1)
    session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.entry_id],
        set_={"played_at": now, "plays": table.c.plays + 1}))


def _resume(session: Session, actor: User, item: MediaItem) -> float | None:
    row = session.exec(select(PlaybackPosition).where(PlaybackPosition.user_id == actor.id,
                                                      PlaybackPosition.media_id == item.id)).first()
    if row is None:
        return None
    length = row.duration_seconds or item.duration_seconds
    return row.position_seconds if media._unfinished(row.position_seconds, length) else None


def report_failed_start(session: Session, *, actor: User, entry_id: int) -> bool:
    """The player could not start: refund the open window if it is young (FAILED_START_GRACE) and
    almost nothing was watched. True when credits went back. Commits."""
    entry, item = visible(session, viewer=actor, entry_id=entry_id)
    window = open_window(session, user=actor, entry_id=entry.id)  # type: ignore[arg-type]
    if window is None or window.opened_at < utc_now() - FAILED_START_GRACE:
        return False
    position = session.exec(select(PlaybackPosition).where(PlaybackPosition.user_id == actor.id,
                                                           PlaybackPosition.media_id == item.id)).first()
    if position is not None and position.updated_at >= window.opened_at \
            and position.position_seconds > FAILED_START_WATCHED_SECONDS:
        return False
    claimed = session.execute(sa.update(PlayWindow).where(col(PlayWindow.id) == window.id,
                                                          col(PlayWindow.refunded_at).is_(None))
                              .values(refunded_at=utc_now())).rowcount
    if claimed != 1:
        session.rollback()
        return False
    credits.refund_charge(session, window.charge_id)
    session.commit()
    return True


def save_position(session: Session, *, actor: User, entry_id: int, position: object,
                  duration: object = None) -> float | None:
    """Remember where `actor` is in an entry they can see (the catalog player's reports)."""
    _entry, item = visible(session, viewer=actor, entry_id=entry_id)
    return media.store_position(session, user=actor, item=item, position=position, duration=duration)
