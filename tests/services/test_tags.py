"""Free tags: per-owner names, bulk add and remove, autocomplete, the gallery filter."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import NotFound, ValidationFailed
from mediashare.models import MediaTag, Role, Tag
from mediashare.services import gallery, tags
from tests.factories import make_user
from tests.services.test_gallery import _rows, _walk


def test_tags_typed_with_commas_go_on_many_items_once_and_filter_the_gallery(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 6)
    names = tags.parse_names("  Beach ,summer   2024, beach,, ")
    assert names == ["Beach", "summer 2024"]
    assert tags.add(session, actor=user, ids=[items[0].id, items[1].id, items[2].id], names=names) == 3
    tags.add(session, actor=user, ids=[items[0].id], names=["BEACH", "Grandma"])  # same tag, other case
    assert tags.tags_of(session, actor=user, media_id=items[0].id) == ["Beach", "Grandma", "summer 2024"]
    assert len(session.exec(select(Tag)).all()) == 3
    assert set(_walk(session, user, tag="beach")) == {items[0].id, items[1].id, items[2].id}
    assert _walk(session, user, tag="grandma") == [items[0].id]
    assert _walk(session, user, tag="nothing") == []
    counts = tags.library(session, actor=user)
    assert [(t.name, t.count) for t in counts] == [("Beach", 3), ("summer 2024", 3), ("Grandma", 1)]
    assert [t.name for t in tags.library(session, actor=user, prefix="S")] == ["summer 2024"]
    assert tags.library(session, actor=user, prefix="%") == []  # a LIKE wildcard is just a character


def test_removing_a_tag_everywhere_forgets_its_name(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 3)
    tags.add(session, actor=user, ids=[i.id for i in items], names=["Trip", "Keep"])
    tags.remove(session, actor=user, ids=[items[0].id], names=["trip"])
    assert [t.name for t in tags.library(session, actor=user, prefix="tr")] == ["Trip"]  # still on two
    tags.remove(session, actor=user, ids=[items[1].id, items[2].id], names=["Trip"])
    assert [t.name for t in tags.library(session, actor=user)] == ["Keep"]
    gallery.trash(session, actor=user, ids=[i.id for i in items])
    gallery.empty_trash(session, actor=user)
    assert session.exec(select(Tag)).all() == [] and session.exec(select(MediaTag)).all() == []


def test_tags_belong_to_the_owners_library_and_nobody_else_can_tag(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    customer, stranger = make_user(session, parent=reseller), make_user(session)
    theirs = _rows(session, customer, 2)
    tags.add(session, actor=reseller, ids=[theirs[0].id], names=["Wedding"])  # a manager tags for the owner
    assert [t.name for t in tags.library(session, actor=customer)] == ["Wedding"]
    assert tags.library(session, actor=reseller) == []
    with pytest.raises(NotFound):
        tags.add(session, actor=stranger, ids=[theirs[1].id], names=["Mine"])
    with pytest.raises(NotFound):
        tags.remove(session, actor=stranger, ids=[theirs[0].id], names=["Wedding"])
    with pytest.raises(NotFound):
        tags.library(session, actor=stranger, owner_id=customer.id)
    with pytest.raises(NotFound):
        tags.tags_of(session, actor=stranger, media_id=theirs[0].id)
    assert _walk(session, customer, tag="wedding") == [theirs[0].id]


@pytest.mark.parametrize(("text", "message"), [
    ("", "at least one tag"),
    (" , ,", "at least one tag"),
    ("x" * 41, "at most 40 characters"),
    (", ".join(f"t{n}" for n in range(21)), "at most 20 tags"),
    (None, "text"),
])
def test_bad_tag_input_is_refused_with_a_reason(text: object, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        tags.parse_names(text)


def test_an_item_holds_at_most_fifty_tags_and_a_refused_batch_adds_none(session: Session) -> None:
    user = make_user(session)
    items = _rows(session, user, 2)
    for start in range(0, 50, 10):
        tags.add(session, actor=user, ids=[items[0].id], names=[f"tag {n}" for n in range(start, start + 10)])
    with pytest.raises(ValidationFailed, match="more than 50 tags"):
        tags.add(session, actor=user, ids=[items[1].id, items[0].id], names=["one more"])
    session.rollback()
    assert tags.tags_of(session, actor=user, media_id=items[1].id) == []
    assert len(tags.tags_of(session, actor=user, media_id=items[0].id)) == 50
