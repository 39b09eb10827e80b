"""People: the persons an owner names in their own photos, tags (faces) and face suggestions.

People are private to their owner: only the owner lists, names, tags, merges or deletes them, and
only on their own photos. Anything else looks like it does not exist (NotFound), also for
administrators: who is in someone's photos is that person's business.

A tag (`PersonTag`) puts a person on a photo, with an optional face box normalized 0..1 to the
picture the item shows (its current version's preview). A suggestion is a tag without a person,
proposed by the face detector (jobs/faces.py, imaging/faces.py): naming it confirms it, dismissing
it keeps it hidden so the detector never proposes that face again. Suggestions exist only while
both the platform setting `face_suggestions` and the owner's preference allow them; switched off,
nothing is detected and none is shown.

Search: a person's name is part of the searchable words of every photo they are tagged on, so
every change to tags or names calls `search.refresh` for the photos concerned.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from mediashare import routes
from mediashare.errors import NotFound, ValidationFailed
from mediashare.jobs import queue
from mediashare.models import (
    FaceScan,
    MediaItem,
    MediaKind,
    MediaStatus,
    PeoplePreference,
    Person,
    PersonTag,
    TagSource,
    User,
    utc_now,
)
from mediashare.services import media, platform, search, signed_urls

NOT_FOUND = "That person does not exist."
PHOTO_NOT_FOUND = "That photo does not exist."
TAG_NOT_FOUND = "That face is no longer there; reload the page."
MAX_NAME = 80
MAX_PEOPLE = 2000
MAX_PHOTOS = 500
MAX_SUGGESTIONS = 200
MAX_FACES_PER_PHOTO = 50
SETTING = "face_suggestions"
FACE_VARIANT = "face"  # what a signed face-crop URL grants (its id is the tag's)
DETECTION_JOB = "mediashare.jobs.faces.find_faces"
LIBRARY_JOB = "mediashare.jobs.faces.scan_library"
MIN_BOX = 0.01  # a box narrower or lower than 1 % of the picture is a slip of the finger
SAME_FACE = 0.4  # intersection over the smaller box: two boxes show the same face
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class PersonCard:
    """One person as the /people grid shows them."""

    id: int
    name: str
    count: int  # photos (not trashed)
    face_tag_id: int | None  # the tag whose face crop shows them (None: no boxed face)
    cover_media_id: int | None  # a photo of them, when there is no face crop


@dataclass(frozen=True)
class Face:
    """A tag or suggestion on one photo, as the viewer and the person page show it."""

    id: int
    media_id: int
    person_id: int | None
    name: str
    box: Box | None
    suggested: bool  # proposed by the detector (named or not)


@dataclass(frozen=True)
class Crop:
    """What the face crop route cuts: this stored preview, around this box."""

    preview_key: str
    box: Box


@dataclass(frozen=True)
class ScanProgress:
    scanned: int
    total: int

    @property
    def done(self) -> bool:
        return self.scanned >= self.total


# Arguments ---------------------------------------------------------------------------------------


def _as_id(value: object, message: str = NOT_FOUND) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2**31 - 1:
        raise NotFound(message)
    return value


def clean_name(value: object) -> str:
    """A person's name: printable, spaces collapsed, 1–MAX_NAME characters."""
    if not isinstance(value, str):
        raise ValidationFailed("A name is text.", field="name")
    name = _SPACES.sub(" ", "".join(ch for ch in value if ch.isprintable())).strip()
    if not name:
        raise ValidationFailed("Type a name.", field="name")
    if len(name) > MAX_NAME:
        raise ValidationFailed(f"A name has at most {MAX_NAME} characters.", field="name")
    return name


def clean_box(value: object) -> Box | None:
    """A face box {x, y, w, h} in 0..1 of the picture (None: no box), clamped to the picture."""
    if value is None:
        return None
    if isinstance(value, Box):
        value = {"x": value.x, "y": value.y, "w": value.w, "h": value.h}
    if not isinstance(value, dict) or set(value) != {"x", "y", "w", "h"}:
        raise ValidationFailed("That face box is not valid.", field="box")
    numbers = {}
    for key in "xywh":
        number = value[key]
        if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
            raise ValidationFailed("That face box is not valid.", field="box")
        numbers[key] = min(1.0, max(0.0, float(number)))
    x, y = numbers["x"], numbers["y"]
    w, h = min(numbers["w"], 1.0 - x), min(numbers["h"], 1.0 - y)
    if w < MIN_BOX or h < MIN_BOX:
        raise ValidationFailed("Draw a larger box around the face.", field="box")
    return Box(x=round(x, 4), y=round(y, 4), w=round(w, 4), h=round(h, 4))


def _box_of(tag: PersonTag) -> Box | None:
    if tag.x is None or tag.y is None or tag.w is None or tag.h is None:
        return None
    return Box(x=tag.x, y=tag.y, w=tag.w, h=tag.h)


def _put_box(tag: PersonTag, box: Box | None) -> None:
    tag.x, tag.y, tag.w, tag.h = (box.x, box.y, box.w, box.h) if box is not None else (None, None, None, None)


def overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box (1.0: one lies inside the other)."""
    ix = max(0.0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0.0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    smaller = min(a.w * a.h, b.w * b.h)
    return ix * iy / smaller if smaller > 0 else 0.0


# Authorization -------------------------------------------------------------------------------------


def _require_active(actor: User) -> None:
    if not actor.is_active:
        raise NotFound(NOT_FOUND)


def _person(session: Session, *, actor: User, person_id: object) -> Person:
    _require_active(actor)
    person = session.get(Person, _as_id(person_id))
    if person is None or person.owner_id != actor.id:
        raise NotFound(NOT_FOUND)
    return person


def _photo(session: Session, *, actor: User, media_id: object) -> MediaItem:
    """One of the actor's own photos (not pending, not trashed)."""
    _require_active(actor)
    item = session.get(MediaItem, _as_id(media_id, PHOTO_NOT_FOUND))
    if (item is None or item.owner_id != actor.id or item.status is MediaStatus.PENDING
            or item.trashed_at is not None):
        raise NotFound(PHOTO_NOT_FOUND)
    if item.kind is not MediaKind.IMAGE:
        raise ValidationFailed("People can be tagged on photos only.")
    return item


def _tag(session: Session, *, actor: User, tag_id: object) -> PersonTag:
    _require_active(actor)
    tag = session.get(PersonTag, _as_id(tag_id, TAG_NOT_FOUND))
    if tag is None or tag.owner_id != actor.id:
        raise NotFound(TAG_NOT_FOUND)
    return tag


def _named(session: Session, *, owner_id: int, name: str) -> Person | None:
    return session.exec(select(Person).where(Person.owner_id == owner_id,
                                             Person.name_key == name.casefold())).first()


def _find_or_create(session: Session, *, owner: User, name: object) -> Person:
    name = clean_name(name)
    person = _named(session, owner_id=owner.id, name=name)  # type: ignore[arg-type]
    if person is not None:
        return person
    count = session.exec(select(func.count()).select_from(Person).where(Person.owner_id == owner.id)).one()
    if count >= MAX_PEOPLE:
        raise ValidationFailed(f"A library can name at most {MAX_PEOPLE} people; merge or delete some first.")
    person = Person(owner_id=owner.id, name=name, name_key=name.casefold())  # type: ignore[arg-type]
    try:
        with session.begin_nested():
            session.add(person)
            session.flush()
    except sa.exc.IntegrityError:  # created at the same moment by another request
        found = _named(session, owner_id=owner.id, name=name)  # type: ignore[arg-type]
        if found is None:
            raise
        return found
    return person


# Preferences ----------------------------------------------------------------------------------------


def platform_allows(session: Session) -> bool:
    return bool(platform.get(session, SETTING))


def user_wants(session: Session, user_id: int) -> bool:
    preference = session.get(PeoplePreference, user_id)
    return True if preference is None else preference.suggestions


def suggestions_on(session: Session, user_id: int) -> bool:
    """Whether faces are detected and suggested in this person's photos (platform and preference)."""
    return platform_allows(session) and user_wants(session, user_id)


def set_suggestions(session: Session, *, actor: User, enabled: object) -> bool:
    """Switch face suggestions on or off for the actor's own library; returns the new choice."""
    _require_active(actor)
    if not isinstance(enabled, bool):
        raise ValidationFailed("Choose on or off.", field="suggestions")
    preference = session.get(PeoplePreference, actor.id)
    if preference is None:
        preference = PeoplePreference(user_id=actor.id)  # type: ignore[arg-type]
    preference.suggestions, preference.updated_at = enabled, utc_now()
    session.add(preference)
    session.commit()
    return enabled


# Reading ----------------------------------------------------------------------------------------------


def _visible_tags():
    """Tags on photos the owner still sees (not trashed, not pending)."""
    return (select(PersonTag).join(MediaItem, MediaItem.id == PersonTag.media_id)
            .where(col(MediaItem.trashed_at).is_(None), MediaItem.status != MediaStatus.PENDING))


def list_people(session: Session, *, actor: User) -> list[PersonCard]:
    """The actor's people, those on the most photos first."""
    _require_active(actor)
    people = list(session.exec(select(Person).where(Person.owner_id == actor.id).order_by(col(Person.name_key))
                               .limit(MAX_PEOPLE)))
    if not people:
        return []
    counts: dict[int, int] = {}
    boxed: dict[int, int] = {}
    photo: dict[int, int] = {}
    rows = session.exec(_visible_tags().where(PersonTag.owner_id == actor.id, col(PersonTag.person_id).is_not(None))
                        .order_by(col(PersonTag.id).desc()))
    for tag in rows:
        person_id = tag.person_id
        counts[person_id] = counts.get(person_id, 0) + 1  # type: ignore[index]
        photo.setdefault(person_id, tag.media_id)  # type: ignore[arg-type]
        if tag.x is not None:
            boxed.setdefault(person_id, tag.id)  # type: ignore[arg-type]
    covers = {person.id: person.cover_tag_id for person in people if person.cover_tag_id}
    valid_covers = set(session.exec(_visible_tags().with_only_columns(PersonTag.id)  # type: ignore[call-overload]
                                    .where(col(PersonTag.id).in_(list(covers.values())),
                                           col(PersonTag.x).is_not(None)))) if covers else set()
    cards = []
    for person in people:
        cover = covers.get(person.id)
        face = cover if cover in valid_covers else boxed.get(person.id)  # type: ignore[arg-type]
        cards.append(PersonCard(id=person.id, name=person.name, count=counts.get(person.id, 0),  # type: ignore[arg-type]
                                face_tag_id=face, cover_media_id=photo.get(person.id)))  # type: ignore[arg-type]
    cards.sort(key=lambda card: (-card.count, card.name.casefold()))
    return cards


def names(session: Session, *, actor: User) -> list[str]:
    """The actor's people's names, for autocomplete."""
    _require_active(actor)
    return list(session.exec(select(Person.name).where(Person.owner_id == actor.id)
                             .order_by(col(Person.name_key)).limit(MAX_PEOPLE)))


def get(session: Session, *, actor: User, person_id: object) -> Person:
    return _person(session, actor=actor, person_id=person_id)


def photos_of(session: Session, *, actor: User, person_id: object, limit: int = MAX_PHOTOS) -> list[Face]:
    """The person's faces on their visible photos, newest photo first."""
    person = _person(session, actor=actor, person_id=person_id)
    rows = session.exec(_visible_tags().where(PersonTag.person_id == person.id)
                        .order_by(col(MediaItem.sort_at).desc(), col(MediaItem.id).desc())
                        .limit(max(1, min(limit, MAX_PHOTOS))))
    return [_face(tag, person.name) for tag in rows]


def _face(tag: PersonTag, name: str) -> Face:
    return Face(id=tag.id, media_id=tag.media_id, person_id=tag.person_id, name=name,  # type: ignore[arg-type]
                box=_box_of(tag), suggested=tag.source is TagSource.SUGGESTED)


def faces_on(session: Session, *, actor: User, media_id: object) -> list[Face]:
    """The people tagged on one of the actor's photos, and its open suggestions (when they are on)."""
    item = _photo(session, actor=actor, media_id=media_id)
    show_suggestions = suggestions_on(session, actor.id)  # type: ignore[arg-type]
    rows = session.exec(select(PersonTag, Person.name).join(Person, Person.id == PersonTag.person_id, isouter=True)
                        .where(PersonTag.media_id == item.id, col(PersonTag.dismissed).is_(False))
                        .order_by(col(PersonTag.x), col(PersonTag.id)))
    return [_face(tag, name or "") for tag, name in rows if tag.person_id is not None or show_suggestions]


def suggestions(session: Session, *, actor: User, limit: int = MAX_SUGGESTIONS) -> list[Face]:
    """Faces the detector found in the actor's photos that are neither named nor dismissed."""
    _require_active(actor)
    if not suggestions_on(session, actor.id):  # type: ignore[arg-type]
        return []
    rows = session.exec(_visible_tags().where(PersonTag.owner_id == actor.id, col(PersonTag.person_id).is_(None),
                                              col(PersonTag.dismissed).is_(False))
                        .order_by(col(MediaItem.sort_at).desc(), col(PersonTag.id))
                        .limit(max(1, min(limit, MAX_SUGGESTIONS))))
    return [_face(tag, "") for tag in rows]


def crop_of(session: Session, *, actor: User, tag_id: object) -> Crop:
    """The preview and box the face crop of tag `tag_id` is cut from (the actor's own, boxed)."""
    tag = _tag(session, actor=actor, tag_id=tag_id)
    box = _box_of(tag)
    item = session.get(MediaItem, tag.media_id)
    if box is None or item is None or item.status is MediaStatus.PENDING:
        raise NotFound(TAG_NOT_FOUND)
    key = media.shown_key(session, item, "preview_key")
    if not key:
        raise NotFound(TAG_NOT_FOUND)
    return Crop(preview_key=key, box=box)


def face_url(tag_id: int, viewer_id: int) -> str:
    """A 15-minute URL of the face crop of tag `tag_id` (api/faces.py), for this viewer only."""
    token = signed_urls.sign(media_id=int(tag_id), variant=FACE_VARIANT, viewer_id=viewer_id)
    return routes.API_FACE.format(tag_id=int(tag_id)) + f"?t={token}"


# Tagging ------------------------------------------------------------------------------------------------


def tag(session: Session, *, actor: User, media_id: object, name: object = None, person_id: object = None,
        box: object = None) -> PersonTag:
    """Tag a person on one of the actor's photos: an existing person (`person_id`) or one by name
    (made when new). Tagging someone already on the photo moves their box (when one is given)."""
    item = _photo(session, actor=actor, media_id=media_id)
    face_box = clean_box(box)
    if person_id is not None:
        person = _person(session, actor=actor, person_id=person_id)
    else:
        person = _find_or_create(session, owner=actor, name=name)
    existing = session.exec(select(PersonTag).where(PersonTag.media_id == item.id,
                                                    PersonTag.person_id == person.id)).first()
    if existing is None:
        count = session.exec(select(func.count()).select_from(PersonTag)
                             .where(PersonTag.media_id == item.id, col(PersonTag.person_id).is_not(None))).one()
        if count >= MAX_FACES_PER_PHOTO:
            raise ValidationFailed(f"A photo can have at most {MAX_FACES_PER_PHOTO} people tagged.")
        existing = PersonTag(owner_id=actor.id, media_id=item.id, person_id=person.id)  # type: ignore[arg-type]
    if face_box is not None or existing.id is None:
        _put_box(existing, face_box if face_box is not None else _box_of(existing))
        existing.source = TagSource.MANUAL
    session.add(existing)
    person.updated_at = utc_now()
    session.add(person)
    session.flush()
    search.refresh(session, [item.id])  # type: ignore[list-item]
    session.commit()
    return existing


def untag(session: Session, *, actor: User, tag_id: object) -> None:
    """Remove a person (or a suggestion) from a photo."""
    found = _tag(session, actor=actor, tag_id=tag_id)
    media_id = found.media_id
    session.delete(found)
    session.flush()
    search.refresh(session, [media_id])
    session.commit()


def confirm(session: Session, *, actor: User, tag_id: object, name: object = None,
            person_id: object = None) -> PersonTag:
    """Name a suggestion: it becomes a tag of that person (an existing one, or new by name). When
    the person is already on the photo, their tag takes the suggestion's box instead."""
    suggestion = _tag(session, actor=actor, tag_id=tag_id)
    if suggestion.person_id is not None or suggestion.dismissed:
        raise NotFound(TAG_NOT_FOUND)
    _photo(session, actor=actor, media_id=suggestion.media_id)
    if person_id is not None:
        person = _person(session, actor=actor, person_id=person_id)
    else:
        person = _find_or_create(session, owner=actor, name=name)
    existing = session.exec(select(PersonTag).where(PersonTag.media_id == suggestion.media_id,
                                                    PersonTag.person_id == person.id)).first()
    if existing is not None:
        _put_box(existing, _box_of(suggestion))
        session.add(existing)
        session.delete(suggestion)
        result = existing
    else:
        suggestion.person_id = person.id
        session.add(suggestion)
        result = suggestion
    person.updated_at = utc_now()
    session.add(person)
    session.flush()
    search.refresh(session, [result.media_id])
    session.commit()
    return result


def dismiss(session: Session, *, actor: User, tag_id: object) -> None:
    """Hide a suggestion for good (the detector will not propose that face again)."""
    suggestion = _tag(session, actor=actor, tag_id=tag_id)
    if suggestion.person_id is not None:
        raise NotFound(TAG_NOT_FOUND)
    suggestion.dismissed = True
    session.add(suggestion)
    session.commit()


# People --------------------------------------------------------------------------------------------------


def _media_ids_of(session: Session, person_ids: Sequence[int]) -> list[int]:
    return list(session.exec(select(PersonTag.media_id).where(col(PersonTag.person_id).in_(list(person_ids)))))


def rename(session: Session, *, actor: User, person_id: object, name: object) -> Person:
    """Rename a person. A name another of the actor's people has is refused (merge them instead)."""
    person = _person(session, actor=actor, person_id=person_id)
    new_name = clean_name(name)
    other = _named(session, owner_id=actor.id, name=new_name)  # type: ignore[arg-type]
    if other is not None and other.id != person.id:
        raise ValidationFailed(f"You already have someone called {other.name}. To make them one person, "
                               "merge them instead.", field="name")
    if person.name != new_name:
        person.name, person.name_key, person.updated_at = new_name, new_name.casefold(), utc_now()
        session.add(person)
        session.flush()
        search.refresh(session, _media_ids_of(session, [person.id]))  # type: ignore[list-item]
    session.commit()
    return person


def merge(session: Session, *, actor: User, source_id: object, target_id: object) -> Person:
    """Make `source_id` part of `target_id`: every tag moves to the target (a photo both are on keeps
    one tag, with a box when either had one), then the source person is deleted."""
    source = _person(session, actor=actor, person_id=source_id)
    target = _person(session, actor=actor, person_id=target_id)
    if source.id == target.id:
        raise ValidationFailed("Choose two different people to merge.")
    moved = list(session.exec(select(PersonTag).where(PersonTag.person_id == source.id)))
    theirs = {tag.media_id: tag for tag in session.exec(select(PersonTag).where(PersonTag.person_id == target.id))}
    for tag in moved:
        kept = theirs.get(tag.media_id)
        if kept is None:
            tag.person_id = target.id
            session.add(tag)
        else:
            if _box_of(kept) is None and _box_of(tag) is not None:
                _put_box(kept, _box_of(tag))
                session.add(kept)
            session.delete(tag)
    session.flush()
    if target.cover_tag_id is None and source.cover_tag_id is not None:
        target.cover_tag_id = source.cover_tag_id if session.get(PersonTag, source.cover_tag_id) else None
    target.updated_at = utc_now()
    session.add(target)
    session.delete(source)
    session.flush()
    search.refresh(session, [tag.media_id for tag in moved])
    session.commit()
    return target


def delete(session: Session, *, actor: User, person_id: object) -> int:
    """Delete a person and their tags (never the photos); returns on how many photos they were."""
    person = _person(session, actor=actor, person_id=person_id)
    media_ids = _media_ids_of(session, [person.id])  # type: ignore[list-item]
    session.execute(sa.delete(PersonTag).where(col(PersonTag.person_id) == person.id))
    session.delete(person)
    session.flush()
    search.refresh(session, media_ids)
    session.commit()
    return len(media_ids)


def set_cover(session: Session, *, actor: User, person_id: object, tag_id: object) -> Person:
    """Show the person with the face of one of their (boxed) tags."""
    person = _person(session, actor=actor, person_id=person_id)
    chosen = _tag(session, actor=actor, tag_id=tag_id)
    if chosen.person_id != person.id or _box_of(chosen) is None:
        raise NotFound(TAG_NOT_FOUND)
    person.cover_tag_id, person.updated_at = chosen.id, utc_now()
    session.add(person)
    session.commit()
    return person


# Detection (jobs/faces.py) ---------------------------------------------------------------------------------


def photo_to_scan(session: Session, media_id: int) -> tuple[MediaItem, str] | None:
    """The item and the preview key the detector should look at, or None (not a ready photo, already
    scanned at this picture, or suggestions are off for its owner)."""
    item = session.get(MediaItem, media_id)
    if (item is None or item.kind is not MediaKind.IMAGE or item.status is not MediaStatus.READY
            or item.trashed_at is not None or not suggestions_on(session, item.owner_id)):
        return None
    key = media.shown_key(session, item, "preview_key")
    if not key:
        return None
    scan = session.get(FaceScan, media_id)
    if scan is not None and scan.preview_key == key:
        return None
    return item, key


def record_detection(session: Session, *, media_id: int, preview_key: str, boxes: Iterable[Box]) -> int:
    """Store what the detector found on the item's picture `preview_key`: open suggestions from an
    earlier picture go, and a box over a face that is already tagged, suggested or dismissed is not
    proposed again. Returns how many suggestions were added. Idempotent."""
    item = session.get(MediaItem, media_id)
    if item is None:
        return 0
    session.execute(sa.update(MediaItem).where(col(MediaItem.id) == media_id)
                    .values(updated_at=MediaItem.updated_at))  # one detector at a time per item
    scan = session.get(FaceScan, media_id)
    if scan is not None and scan.preview_key == preview_key:
        session.commit()
        return 0
    if scan is not None:  # the item shows another picture now: its open suggestions point at the old one
        session.execute(sa.delete(PersonTag).where(col(PersonTag.media_id) == media_id,
                                                   col(PersonTag.person_id).is_(None),
                                                   col(PersonTag.dismissed).is_(False)))
    known = [box for box in (_box_of(tag) for tag in session.exec(select(PersonTag)
                                                                  .where(PersonTag.media_id == media_id)))
             if box is not None]
    added = 0
    for box in boxes:
        if any(overlap(box, other) >= SAME_FACE for other in known):
            continue
        suggestion = PersonTag(owner_id=item.owner_id, media_id=media_id, person_id=None,
                               source=TagSource.SUGGESTED)
        _put_box(suggestion, box)
        session.add(suggestion)
        known.append(box)
        added += 1
    if scan is None:
        scan = FaceScan(media_id=media_id)
    scan.preview_key, scan.faces, scan.scanned_at = preview_key, added, utc_now()
    session.add(scan)
    session.commit()
    return added


def _unscanned(owner_id: int):
    return (select(MediaItem.id).outerjoin(FaceScan, FaceScan.media_id == MediaItem.id)
            .where(MediaItem.owner_id == owner_id, MediaItem.kind == MediaKind.IMAGE,
                   MediaItem.status == MediaStatus.READY, col(MediaItem.trashed_at).is_(None),
                   col(FaceScan.media_id).is_(None)))


def unscanned_ids(session: Session, *, owner_id: int, limit: int = 500) -> list[int]:
    """Ready photos of this owner the detector has not looked at yet (oldest id first)."""
    return list(session.exec(_unscanned(owner_id).order_by(col(MediaItem.id)).limit(limit)))


def scan_progress(session: Session, *, actor: User) -> ScanProgress:
    """How many of the actor's ready photos the detector has looked at."""
    _require_active(actor)
    total = session.exec(select(func.count()).select_from(MediaItem)
                         .where(MediaItem.owner_id == actor.id, MediaItem.kind == MediaKind.IMAGE,
                                MediaItem.status == MediaStatus.READY, col(MediaItem.trashed_at).is_(None))).one()
    missing = session.exec(select(func.count()).select_from(_unscanned(actor.id).subquery())).one()  # type: ignore[arg-type]
    return ScanProgress(scanned=total - missing, total=total)


def start_library_scan(session: Session, *, actor: User) -> ScanProgress:
    """Look for faces in every photo of the actor's library not looked at yet (in the background)."""
    _require_active(actor)
    if not platform_allows(session):
        raise ValidationFailed("Face suggestions are switched off on this site.")
    if not user_wants(session, actor.id):  # type: ignore[arg-type]
        raise ValidationFailed("Face suggestions are off for your library; switch them on first.")
    progress = scan_progress(session, actor=actor)
    if not progress.done:
        queue.enqueue(LIBRARY_JOB, actor.id, job_id=f"faces-library-{actor.id}")  # type: ignore[arg-type]
    return progress


def queue_detection(media_id: int) -> None:
    """Queue the detector for one item (after its derivatives are made); it checks the settings."""
    queue.enqueue(DETECTION_JOB, media_id, job_id=f"faces-{media_id}")
