"""Notifications: each user sees and marks only their own, gets what they chose, in the app or by email."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from mediashare.errors import NotFound, ValidationFailed
from mediashare.models import Notification
from mediashare.services import email, ledger, notifications
from tests.conftest import Mailbox
from tests.factories import make_user

PACKAGE = Path(__file__).resolve().parents[2] / "mediashare"
CALL = r"notifications\.create\(.{0,200}?kind=(?P<kind>\S+?)[,)]"  # each call site and its kind argument


def _notify(session: Session, user, title: str, kind: str = "share_viewed") -> int | None:
    notice = notifications.create(session, user=user, kind=kind, title=title, link="https://evil.example/")
    session.commit()
    return notice.id if notice is not None else None


def _subjects(mailbox: Mailbox) -> list[str]:
    email.drain()
    return [str(message["Subject"]) for message in mailbox.messages]


def test_unread_notifications_are_counted_paged_newest_first_and_marked_read(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    first = _notify(session, user, "First")
    for number in range(2, 6):
        _notify(session, user, f"Number {number}")
    _notify(session, other, "Not yours")
    assert notifications.unread_count(session, actor=user) == 5
    listed = notifications.page(session, actor=user, per_page=2, page=1)
    assert ([n.title for n in listed.items], listed.pages, listed.total) == (["Number 5", "Number 4"], 3, 5)
    assert [n.title for n in notifications.page(session, actor=user, per_page=2, page=9).items] == ["First"]
    assert all(n.link == "/" for n in listed.items)  # links stay on this site

    assert notifications.mark_read(session, actor=user, notification_id=first) == 1
    unread = notifications.page(session, actor=user, unread_only=True)
    assert (unread.total, unread.unread, "First" in [n.title for n in unread.items]) == (4, 4, False)
    assert notifications.page(session, actor=user).total == 5
    assert notifications.mark_read(session, actor=user) == 4
    assert notifications.unread_count(session, actor=user) == 0
    assert notifications.unread_count(session, actor=other) == 1


def test_someone_elses_notification_cannot_be_marked(session: Session) -> None:
    user, other = make_user(session), make_user(session)
    theirs = _notify(session, other, "Private")
    with pytest.raises(NotFound):
        notifications.mark_read(session, actor=user, notification_id=theirs)
    assert notifications.unread_count(session, actor=other) == 1


def test_preferences_decide_between_the_bell_and_an_email_after_the_commit(session: Session,
                                                                           smtp_server: Mailbox) -> None:
    user = make_user(session)
    chosen = {p.kind: p for p in notifications.preferences(session, actor=user)}
    assert set(chosen) == set(notifications.KINDS)
    assert (chosen["share_viewed"].in_app, chosen["share_viewed"].email) == (True, False)

    assert _notify(session, user, "Opened, in the app only") is not None
    notifications.set_preference(session, actor=user, kind="share_viewed", in_app=False, email=True)
    assert _notify(session, user, "Opened, by email only") is None
    message = smtp_server.wait_for(to=user.email, subject="Opened, by email only")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "/account/notifications" in text  # where to change it
    assert [n.title for n in notifications.recent(session, actor=user)] == ["Opened, in the app only"]

    notifications.create(session, user=user, kind="share_viewed", title="Rolled back")
    session.rollback()  # the change it announced never happened: neither does its email
    session.commit()
    notifications.set_preference(session, actor=user, kind="ticket_reply", email=False)
    assert _notify(session, user, "Answered", kind="ticket_reply") is not None
    assert _subjects(smtp_server) == ["Opened, by email only"]

    with pytest.raises(ValidationFailed):
        notifications.set_preference(session, actor=user, kind="processing_done", email=True)  # too chatty
    with pytest.raises(ValidationFailed):
        notifications.set_preference(session, actor=user, kind="no_such_kind", in_app=True)
    assert {p.kind: (p.in_app, p.email) for p in notifications.preferences(session, actor=user)}["share_viewed"] \
        == (False, True)


def test_a_burst_of_ready_uploads_is_one_notification(session: Session) -> None:
    user = make_user(session)
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        _notify(session, user, f"“{name}” is ready", kind="processing_done")
    only = notifications.recent(session, actor=user)
    assert [(n.title, n.repeat) for n in only] == [("3 uploads are ready", 3)]
    notifications.mark_read(session, actor=user)
    _notify(session, user, "“d.jpg” is ready", kind="processing_done")
    assert notifications.recent(session, actor=user)[0].title == "“d.jpg” is ready"


def test_a_charge_below_the_low_balance_threshold_notifies_once_per_crossing(session: Session,
                                                                           smtp_server: Mailbox) -> None:
    user = make_user(session)  # the platform's threshold: 10 credits
    ledger.grant(session, actor=None, to=user, amount=15)
    for amount in (3, 3, 1):  # 12, then 9 (crossed), then 8
        ledger.spend(session, actor=user, amount=amount)
    ledger.grant(session, actor=None, to=user, amount=10)  # 18
    ledger.spend(session, actor=user, amount=10, commit=False)  # 8: crossed again, inside the caller's transaction
    session.commit()
    titles = [n.title for n in session.exec(select(Notification).where(Notification.user_id == user.id)
                                            .order_by(Notification.id)).all()]
    assert titles == ["Your balance is low: 9 credits left", "Your balance is low: 8 credits left"]
    assert _subjects(smtp_server) == titles


def test_every_kind_the_code_notifies_is_registered() -> None:
    """Each call site names a registered kind, so each one has a label and a user's choice applies."""
    kinds = set()
    for path in PACKAGE.rglob("*.py"):
        for call in re.finditer(CALL, path.read_text(), re.S):
            found = re.fullmatch(r"\"(\w+)\"", call.group("kind"))
            assert found, f"{path.name}: notifications.create with kind={call.group('kind')}, not a literal"
            kinds.add(found.group(1))
    assert kinds >= {"new_device", "share_viewed", "topup_approved", "low_credits", "processing_done",
                     "processing_failed"}
    assert kinds <= set(notifications.KINDS)
    assert "ticket_reply" in notifications.KINDS
