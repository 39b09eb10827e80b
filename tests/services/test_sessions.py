"""A user's sessions and devices: listing them and signing them out."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import NotFound
from mediashare.models import AuditEvent
from mediashare.services import auth, sessions
from tests.factories import PASSWORD, make_user

LAPTOP = auth.Client(ip="198.51.100.7", user_agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36")
PHONE = auth.Client(ip="192.0.2.44", user_agent=(
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"))


def _sign_in(session: Session, user, client: auth.Client) -> str:
    return auth.login(session, identifier=user.username, password=PASSWORD, client=client).token


def test_the_list_shows_each_live_session_with_its_device_and_marks_this_one(session: Session) -> None:
    user = make_user(session)
    here = _sign_in(session, user, LAPTOP)
    _sign_in(session, user, PHONE)
    ended = _sign_in(session, user, PHONE)
    auth.logout(session, token=ended, client=PHONE)
    _sign_in(session, make_user(session), PHONE)  # someone else's session is not listed

    listed = sessions.active(session, actor=user, current_token=here)
    assert [(s.device, s.ip, s.current) for s in listed] == [
        ("Chrome on Linux", LAPTOP.ip, True),
        ("Mobile Safari on iOS", PHONE.ip, False),
    ]
    assert {d.name for d in sessions.devices(session, actor=user)} == {"Chrome on Linux", "Mobile Safari on iOS"}


def test_signing_out_another_session_ends_it_at_once(session: Session) -> None:
    user = make_user(session)
    here = _sign_in(session, user, LAPTOP)
    there = _sign_in(session, user, PHONE)
    [other] = [s for s in sessions.active(session, actor=user, current_token=here) if not s.current]
    sessions.revoke(session, actor=user, session_id=other.id, client=LAPTOP)
    assert auth.resolve(session, there) is None
    assert auth.resolve(session, here).id == user.id
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "auth.session_revoked")).one().details == {
        "session_id": other.id
    }
    with pytest.raises(NotFound):  # already ended
        sessions.revoke(session, actor=user, session_id=other.id, client=LAPTOP)


def test_nobody_can_sign_out_someone_elses_session(session: Session) -> None:
    owner, stranger = make_user(session), make_user(session)
    token = _sign_in(session, owner, PHONE)
    _sign_in(session, stranger, LAPTOP)
    [target] = sessions.active(session, actor=owner, current_token=None)
    with pytest.raises(NotFound):
        sessions.revoke(session, actor=stranger, session_id=target.id, client=LAPTOP)
    with pytest.raises(NotFound):
        sessions.revoke(session, actor=stranger, session_id=999_999, client=LAPTOP)
    assert auth.resolve(session, token).id == owner.id


def test_signing_out_all_other_sessions_keeps_only_this_one(session: Session) -> None:
    user = make_user(session)
    here = _sign_in(session, user, LAPTOP)
    others = [_sign_in(session, user, PHONE) for _ in range(3)]
    neighbour = make_user(session)
    theirs = _sign_in(session, neighbour, PHONE)

    assert sessions.revoke_others(session, actor=user, current_token=here, client=LAPTOP) == 3
    assert all(auth.resolve(session, token) is None for token in others)
    assert auth.resolve(session, here).id == user.id
    assert auth.resolve(session, theirs).id == neighbour.id
    assert sessions.revoke_others(session, actor=user, current_token=here, client=LAPTOP) == 0
    assert [s.current for s in sessions.active(session, actor=user, current_token=here)] == [True]
