"""Notifications: each user sees and marks only their own."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from mediashare.errors import NotFound
from mediashare.services import notifications
from tests.factories import make_user


def _notify(session: Session, user, title: str) -> int:
    notice = notifications.create(session, user=user, kind="test", title=title, link="https://evil.example/")
    session.commit()
    return notice.id


def test_unread_notifications_are_counted_listed_newest_first_and_marked_read(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    first = _notify(session, user, "First")
    _notify(session, user, "Second")
    _notify(session, other, "Not yours")
    assert notifications.unread_count(session, actor=user) == 2
    listed = notifications.recent(session, actor=user)
    assert [n.title for n in listed] == ["Second", "First"]
    assert all(n.link == "/" for n in listed)  # links stay on this site

    assert notifications.mark_read(session, actor=user, notification_id=first) == 1
    assert notifications.unread_count(session, actor=user) == 1
    assert notifications.mark_read(session, actor=user) == 1
    assert notifications.unread_count(session, actor=user) == 0
    assert notifications.unread_count(session, actor=other) == 1


def test_someone_elses_notification_cannot_be_marked(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    theirs = _notify(session, other, "Private")
    with pytest.raises(NotFound):
        notifications.mark_read(session, actor=user, notification_id=theirs)
    assert notifications.unread_count(session, actor=other) == 1
