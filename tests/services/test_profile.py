"""The display name: trimmed, bounded, free of invisible characters, audited."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import ValidationFailed
from mediashare.models import AuditAction, AuditEvent
from mediashare.services import auth, profile
from tests.factories import make_user

CLIENT = auth.Client(ip="203.0.113.7", user_agent="pytest")


def test_the_display_name_is_tidied_and_shown_instead_of_the_username(session: Session) -> None:
    user = make_user(session, username="ada")
    profile.update_display_name(session, actor=user, display_name="  Ada   Lovelace 👩‍💻 ", client=CLIENT)
    session.refresh(user)
    assert user.display_name == "Ada Lovelace 👩‍💻" and user.name == "Ada Lovelace 👩‍💻"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.PROFILE_UPDATED.value)).one()
    assert event.details["display_name"] == {"from": "", "to": "Ada Lovelace 👩‍💻"}
    profile.update_display_name(session, actor=user, display_name="", client=CLIENT)
    assert user.name == "ada"


@pytest.mark.parametrize(("value", "message"), [("x" * 81, "at most 80"), ("evil\u202etxt.exe", "invisible")])
def test_bad_display_names_are_refused(session: Session, value: str, message: str) -> None:
    user = make_user(session)
    with pytest.raises(ValidationFailed, match=message):
        profile.update_display_name(session, actor=user, display_name=value, client=CLIENT)
