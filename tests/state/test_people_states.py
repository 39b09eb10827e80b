"""People states past the gate: naming a suggestion and tagging on a photo work for the owner."""

from __future__ import annotations

from sqlmodel import Session, select

from mediashare.models import MediaItem, PersonTag, Role, TagSource, User
from mediashare.services import people
from mediashare.state.people import PeopleState
from tests.state.test_foreign_ids import SUCCESS, make_caller, refusals


def test_a_suggestion_is_named_from_the_people_page(session: Session) -> None:
    caller = make_caller(session, Role.USER)
    user = session.get(User, caller.user.id)
    own = people.tag(session, actor=user, media_id=_own_photo(session, user), name="X").media_id
    suggestion = PersonTag(owner_id=user.id, media_id=own, source=TagSource.SUGGESTED, x=0.5, y=0.5, w=0.2, h=0.2)
    session.add(suggestion)
    session.commit()
    state = caller.page(PeopleState, "/people")
    assert [tile.id for tile in state.suggestions] == [suggestion.id]
    sent = caller.call(state, "confirm", {"tag_id": str(suggestion.id), "name": "Eileen"})
    assert SUCCESS.search(sent) and not refusals(sent), sent[:300]
    assert state.suggestions == [] and sorted(card.name for card in state.cards) == ["Eileen", "X"]


def _own_photo(session: Session, user: User) -> int:
    return session.exec(select(MediaItem.id).where(MediaItem.owner_id == user.id)).first()
