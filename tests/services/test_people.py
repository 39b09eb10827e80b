"""People: tagging, renaming, merging and deleting, search words, privacy, face suggestions."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from skimage import data
from sqlmodel import Session, select

from mediashare.errors import NotFound, ValidationFailed
from mediashare.jobs import faces as face_jobs
from mediashare.jobs import queue
from mediashare.models import FaceScan, MediaItem, Person, PersonTag, Role
from mediashare.services import gallery, people, platform
from tests.factories import make_user
from tests.services.test_gallery import _rows
from tests.services.test_media import stored

BOX = {"x": 0.3, "y": 0.1, "w": 0.2, "h": 0.2}


def _photos(session: Session, owner, count: int) -> list[MediaItem]:
    return [item for item in _rows(session, owner, count * 3) if item.kind.value == "image"][:count]


def _search(session: Session, actor, words: str) -> list[int]:
    return [card.id for card in gallery.list_page(session, actor=actor, q=words, limit=50).cards]


def _astronaut_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def test_tagging_untagging_and_search(session: Session) -> None:
    owner = make_user(session)
    first, second = _photos(session, owner, 2)
    tag = people.tag(session, actor=owner, media_id=first.id, name="  Eileen   Collins ", box=BOX)
    assert (tag.x, tag.y, tag.w, tag.h) == (0.3, 0.1, 0.2, 0.2)
    people.tag(session, actor=owner, media_id=second.id, name="eileen collins")  # same person, no box
    [person] = session.exec(select(Person).where(Person.owner_id == owner.id)).all()
    assert person.name == "Eileen Collins"
    assert sorted(_search(session, owner, "eileen")) == sorted([first.id, second.id])
    again = people.tag(session, actor=owner, media_id=second.id, person_id=person.id, box=BOX)
    assert again.id != tag.id and again.x == 0.3  # tagging again moves the box, never a second tag
    assert [card.count for card in people.list_people(session, actor=owner)] == [2]
    people.set_cover(session, actor=owner, person_id=person.id, tag_id=tag.id)
    assert people.list_people(session, actor=owner)[0].face_tag_id == tag.id
    people.set_cover(session, actor=owner, person_id=person.id, tag_id=again.id)
    assert people.list_people(session, actor=owner)[0].face_tag_id == again.id
    people.untag(session, actor=owner, tag_id=tag.id)
    assert _search(session, owner, "eileen") == [second.id]
    assert [face.media_id for face in people.photos_of(session, actor=owner, person_id=person.id)] == [second.id]
    with pytest.raises(ValidationFailed, match="larger box"):
        people.tag(session, actor=owner, media_id=first.id, name="Tiny", box={"x": 0.5, "y": 0.5, "w": 0, "h": 0.1})
    with pytest.raises(ValidationFailed, match="Type a name"):
        people.tag(session, actor=owner, media_id=first.id, name="   ")


def test_rename_merge_and_delete_keep_search_words_right(session: Session) -> None:
    owner = make_user(session)
    a, b, c = _photos(session, owner, 3)
    people.tag(session, actor=owner, media_id=a.id, name="Grandma")
    people.tag(session, actor=owner, media_id=b.id, name="Granny", box=BOX)
    people.tag(session, actor=owner, media_id=b.id, name="Grandma")  # both on b: merging keeps one tag
    people.tag(session, actor=owner, media_id=c.id, name="Granny")
    grandma = people._named(session, owner_id=owner.id, name="grandma")
    granny = people._named(session, owner_id=owner.id, name="granny")
    with pytest.raises(ValidationFailed, match="merge them instead"):
        people.rename(session, actor=owner, person_id=granny.id, name="GRANDMA")
    people.rename(session, actor=owner, person_id=granny.id, name="Nana")
    assert sorted(_search(session, owner, "nana")) == sorted([b.id, c.id])
    assert _search(session, owner, "granny") == []
    people.merge(session, actor=owner, source_id=granny.id, target_id=grandma.id)
    session.expire_all()
    assert session.get(Person, granny.id) is None
    tags = session.exec(select(PersonTag).where(PersonTag.person_id == grandma.id)).all()
    assert sorted(tag.media_id for tag in tags) == sorted([a.id, b.id, c.id])  # b once
    assert next(tag for tag in tags if tag.media_id == b.id).x == 0.3  # the box came along
    assert sorted(_search(session, owner, "grandma")) == sorted([a.id, b.id, c.id])
    assert _search(session, owner, "nana") == []
    assert people.delete(session, actor=owner, person_id=grandma.id) == 3
    assert _search(session, owner, "grandma") == []
    assert session.exec(select(PersonTag)).all() == []
    assert session.get(MediaItem, a.id) is not None  # photos stay


def test_another_persons_people_and_photos_are_not_found(session: Session) -> None:
    owner, stranger = make_user(session), make_user(session)
    admin = make_user(session, role=Role.ADMIN)
    [photo] = _photos(session, owner, 1)
    [theirs] = _photos(session, stranger, 1)
    tag = people.tag(session, actor=owner, media_id=photo.id, name="Eileen", box=BOX)
    person_id = tag.person_id
    for actor in (stranger, admin):
        for call in (
            lambda actor=actor: people.tag(session, actor=actor, media_id=photo.id, name="Intruder"),
            lambda actor=actor: people.tag(session, actor=actor, media_id=theirs.id, person_id=person_id),
            lambda actor=actor: people.untag(session, actor=actor, tag_id=tag.id),
            lambda actor=actor: people.rename(session, actor=actor, person_id=person_id, name="x"),
            lambda actor=actor: people.merge(session, actor=actor, source_id=person_id, target_id=person_id),
            lambda actor=actor: people.delete(session, actor=actor, person_id=person_id),
            lambda actor=actor: people.photos_of(session, actor=actor, person_id=person_id),
            lambda actor=actor: people.faces_on(session, actor=actor, media_id=photo.id),
            lambda actor=actor: people.crop_of(session, actor=actor, tag_id=tag.id),
            lambda actor=actor: people.confirm(session, actor=actor, tag_id=tag.id, name="x"),
            lambda actor=actor: people.dismiss(session, actor=actor, tag_id=tag.id),
        ):
            with pytest.raises(NotFound):
                call()
        assert people.list_people(session, actor=actor) == []
    assert [face.name for face in people.faces_on(session, actor=owner, media_id=photo.id)] == ["Eileen"]


def test_suggestions_are_found_named_dismissed_and_switched_off(session: Session) -> None:
    owner = make_user(session)
    admin = make_user(session, role=Role.ADMIN)
    item = stored(session, owner, "astronaut.jpg", _astronaut_jpeg())
    queue.drain_local()  # the detector was queued after the derivatives
    [suggestion] = people.suggestions(session, actor=owner)
    assert suggestion.media_id == item.id and suggestion.person_id is None
    box = suggestion.box
    assert people.overlap(box, people.Box(x=0.33, y=0.12, w=0.2, h=0.2)) > 0.5  # her face
    assert face_jobs.find_faces(item.id) == 0  # looked at already: nothing twice

    people.set_suggestions(session, actor=owner, enabled=False)
    assert people.suggestions(session, actor=owner) == []
    assert people.faces_on(session, actor=owner, media_id=item.id) == []
    with pytest.raises(ValidationFailed, match="off for your library"):
        people.start_library_scan(session, actor=owner)
    people.set_suggestions(session, actor=owner, enabled=True)

    tag = people.confirm(session, actor=owner, tag_id=suggestion.id, name="Eileen")
    assert tag.id == suggestion.id and tag.x == box.x
    assert _search(session, owner, "eileen") == [item.id]
    assert people.suggestions(session, actor=owner) == []

    # A new picture of the item (an edit) is looked at again; a dismissed face is never re-proposed.
    session.exec(select(FaceScan)).one().preview_key = "older"
    session.commit()
    people.untag(session, actor=owner, tag_id=tag.id)
    assert face_jobs.find_faces(item.id) == 1
    [again] = people.suggestions(session, actor=owner)
    people.dismiss(session, actor=owner, tag_id=again.id)
    session.exec(select(FaceScan)).one().preview_key = "older"
    session.commit()
    assert face_jobs.find_faces(item.id) == 0
    assert people.suggestions(session, actor=owner) == []

    platform.set_value(session, actor=admin, key=people.SETTING, value=False)
    session.exec(select(FaceScan)).one().preview_key = "older"
    session.commit()
    assert face_jobs.find_faces(item.id) == 0  # off for the whole site: no detection
    with pytest.raises(ValidationFailed, match="switched off on this site"):
        people.start_library_scan(session, actor=owner)


def test_library_scan_looks_at_existing_photos(session: Session) -> None:
    owner = make_user(session)
    people.set_suggestions(session, actor=owner, enabled=False)
    stored(session, owner, "astronaut.jpg", _astronaut_jpeg())
    queue.drain_local()
    assert people.scan_progress(session, actor=owner) == people.ScanProgress(scanned=0, total=1)
    people.set_suggestions(session, actor=owner, enabled=True)
    people.start_library_scan(session, actor=owner)
    queue.drain_local()
    session.expire_all()
    assert people.scan_progress(session, actor=owner).done
    assert len(people.suggestions(session, actor=owner)) == 1
