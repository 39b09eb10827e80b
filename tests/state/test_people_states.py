"""People states past the gate: naming a suggestion and tagging on a photo work for the owner."""

from __future__ import annotations

from sqlmodel import Session, select

from mediashare.models import MediaItem, PersonTag, Role, TagSource, User
from mediashare.services import people
from mediashare.state.people import FacesState, PeopleState, PersonState
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


def test_a_person_is_renamed_and_a_refused_name_keeps_the_form_open(session: Session) -> None:
    caller = make_caller(session, Role.USER)
    user = session.get(User, caller.user.id)
    people.tag(session, actor=user, media_id=_own_photo(session, user), name="Other")
    tag = people.tag(session, actor=user, media_id=_own_photo(session, user), name="X")
    state = caller.page(PersonState, "/people/0")
    state.person_id = tag.person_id
    state._fill()
    caller.call(state, "set_renaming", True)
    for form, message in (({"name": ""}, "Type a name."), ({"name": 5}, "The name must be text."),
                          ({"name": "Other"}, None)):
        sent = caller.call(state, "rename", form)
        assert len(set(refusals(sent))) == 1 and not SUCCESS.search(sent), sent[:300]
        assert message is None or set(refusals(sent)) == {message}
        assert state.renaming and state.name == "X"
    sent = caller.call(state, "rename", {"name": "Eileen"})
    assert SUCCESS.search(sent) and not state.renaming and state.name == "Eileen"
    assert set(refusals(caller.call(state, "untag", "nope"))) == {"That face does not exist."}
    sent = caller.call(state, "untag", tag.id)
    assert SUCCESS.search(sent) and state.faces == []


def test_tagging_on_a_photo_then_removing_the_tag(session: Session) -> None:
    caller = make_caller(session, Role.USER)
    media_id = _own_photo(session, session.get(User, caller.user.id))
    state = caller.page(FacesState, f"/media/{media_id}")
    state.media_id = media_id
    state._fill()
    assert state.available and state.faces == []
    caller.call(state, "set_drawing", True)
    sent = caller.call(state, "tag", {"name": " "})
    assert set(refusals(sent)) == {"Type a name."} and state.drawing and state.faces == []
    sent = caller.call(state, "tag", {"name": "Eileen"})
    assert SUCCESS.search(sent) and not state.drawing and [face.name for face in state.faces] == ["Eileen"]
    sent = caller.call(state, "untag", state.faces[0].id)
    assert not refusals(sent) and state.faces == []


def test_a_person_page_and_a_photos_faces_load_from_their_url(session: Session) -> None:
    import reflex as rx
    from reflex.istate.data import RouterData

    caller = make_caller(session, Role.USER)
    user = session.get(User, caller.user.id)
    media_id = _own_photo(session, user)
    tag = people.tag(session, actor=user, media_id=media_id, name="Eileen")

    def loaded(cls: type[rx.State], segment: str, value: str, cookie: str = caller.cookie) -> tuple[rx.State, str]:
        root = rx.State(_reflex_internal_init=True)
        root.router = RouterData.from_router_data({"headers": {"cookie": cookie}, "pathname": f"/x/{value}",
                                                   "query": {segment: value}})
        state = root.get_substate(cls.get_full_name().split(".")[1:])
        return state, repr(cls.event_handlers["load"].fn(state))

    state, _ = loaded(PersonState, "person_id", str(tag.person_id))
    assert not state.missing and state.name == "Eileen" and len(state.faces) == 1
    state, _ = loaded(PersonState, "person_id", "0")
    assert state.missing and state.name == ""
    state, sent = loaded(PersonState, "person_id", str(tag.person_id), cookie="")
    assert "/login?next=" in sent and state.name == ""
    state, _ = loaded(FacesState, "media_id", str(media_id))
    assert not state.missing and state.available and [face.name for face in state.faces] == ["Eileen"]
    state, _ = loaded(FacesState, "media_id", "x")
    assert state.missing and state.faces == []
