"""Support tickets: routing to the reseller or the admins, escalation, who sees what, replies that
notify, picture attachments that must really be pictures, statuses and the queue's filters."""

from __future__ import annotations

import email as email_parser
import io
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session, select

from mediashare.errors import NotFound, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, Notification, Role, TicketStatus
from mediashare.services import email, reconcile, tickets
from tests.factories import make_user


def png(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _open(session: Session, user, subject: str = "Cannot upload", body: str = "It fails.", **more):
    return tickets.open_ticket(session, actor=user, subject=subject, category="media", body=body, **more)


@pytest.fixture
def team(session: Session) -> dict:
    """Two resellers with a customer each, a user directly under the root, and an admin."""
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER)
    other_reseller = make_user(session, role=Role.RESELLER)
    return {
        "admin": admin,
        "reseller": reseller,
        "other_reseller": other_reseller,
        "customer": make_user(session, parent=reseller),
        "other_customer": make_user(session, parent=other_reseller),
        "direct": make_user(session),
    }


def test_a_customers_ticket_goes_to_its_reseller_and_others_to_the_admins(session: Session, team: dict) -> None:
    mine = _open(session, team["customer"])
    direct = _open(session, team["direct"])
    from_reseller = _open(session, team["reseller"])
    assert mine.reseller_id == team["reseller"].id and mine.status is TicketStatus.OPEN
    assert direct.reseller_id is None and from_reseller.reseller_id is None

    def queue_ids(user) -> set[int]:
        return {row.id for row in tickets.queue(session, actor=user)}

    assert queue_ids(team["reseller"]) == {mine.id}
    assert queue_ids(team["other_reseller"]) == set()
    assert queue_ids(team["admin"]) == {direct.id, from_reseller.id}
    with pytest.raises(PermissionDenied):
        tickets.queue(session, actor=team["customer"])
    assert session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.TICKET_OPENED)).all()


def test_nobody_sees_a_ticket_that_is_not_theirs(session: Session, team: dict) -> None:
    ticket = _open(session, team["customer"])
    for outsider in (team["other_reseller"], team["other_customer"], team["direct"], team["admin"]):
        with pytest.raises(NotFound):
            tickets.detail(session, actor=outsider, ticket_id=ticket.id)
        with pytest.raises(NotFound):
            tickets.reply(session, actor=outsider, ticket_id=ticket.id, body="Hi")
    assert [row.id for row in tickets.my_tickets(session, actor=team["customer"])] == [ticket.id]
    assert tickets.my_tickets(session, actor=team["other_customer"]) == []


def test_a_staff_reply_notifies_and_emails_the_requester(session: Session, team: dict,
                                                         isolated_settings: Path) -> None:
    customer, reseller = team["customer"], team["reseller"]
    ticket = _open(session, customer)
    tickets.reply(session, actor=reseller, ticket_id=ticket.id, body="Try a smaller file, please.")
    email.drain()
    session.refresh(ticket)
    assert ticket.status is TicketStatus.PENDING and ticket.assignee_id == reseller.id
    note = session.exec(select(Notification).where(Notification.user_id == customer.id)).one()
    assert note.kind == "ticket_reply" and note.link == f"/support/ticket/{ticket.id}"
    [sent] = list((isolated_settings / "outbox").glob("*.eml"))
    message = email_parser.message_from_bytes(sent.read_bytes())
    assert message["To"] == customer.email and f"#{ticket.id}" in message["Subject"]
    assert "Try a smaller file" in sent.read_text()
    tickets.reply(session, actor=customer, ticket_id=ticket.id, body="Thanks, that worked.")
    session.refresh(ticket)
    assert ticket.status is TicketStatus.OPEN
    assert len(session.exec(select(Notification)).all()) == 1  # the requester's own reply notifies nobody
    thread = tickets.detail(session, actor=customer, ticket_id=ticket.id).messages
    assert [message.from_staff for message in thread] == [False, True, False]


def test_escalation_hands_the_ticket_to_the_admins(session: Session, team: dict) -> None:
    ticket = _open(session, team["customer"])
    with pytest.raises(PermissionDenied):
        tickets.escalate(session, actor=team["customer"], ticket_id=ticket.id)
    with pytest.raises(NotFound):
        tickets.escalate(session, actor=team["admin"], ticket_id=ticket.id)
    tickets.escalate(session, actor=team["reseller"], ticket_id=ticket.id)
    assert [row.id for row in tickets.queue(session, actor=team["admin"])] == [ticket.id]
    assert [row.id for row in tickets.queue(session, actor=team["reseller"])] == [ticket.id]  # still in view
    assert tickets.queue(session, actor=team["other_reseller"]) == []
    with pytest.raises(ValidationFailed):
        tickets.escalate(session, actor=team["reseller"], ticket_id=ticket.id)
    view = tickets.detail(session, actor=team["admin"], ticket_id=ticket.id)
    assert view.can_handle and view.summary.escalated and team["admin"].id in dict(view.handlers)
    tickets.assign(session, actor=team["admin"], ticket_id=ticket.id, assignee_id=team["admin"].id)
    with pytest.raises(ValidationFailed):
        tickets.assign(session, actor=team["admin"], ticket_id=ticket.id, assignee_id=team["other_reseller"].id)
    tickets.set_status(session, actor=team["admin"], ticket_id=ticket.id, status="resolved")
    assert tickets.queue(session, actor=team["admin"], status="resolved")[0].assignee == team["admin"].name
    assert session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.TICKET_ESCALATED)).one()


def test_statuses_requesters_may_only_close_and_closed_takes_no_replies(session: Session, team: dict) -> None:
    ticket = _open(session, team["direct"])
    with pytest.raises(PermissionDenied):
        tickets.set_status(session, actor=team["direct"], ticket_id=ticket.id, status="resolved")
    with pytest.raises(ValidationFailed):
        tickets.set_status(session, actor=team["admin"], ticket_id=ticket.id, status="archived")
    tickets.set_status(session, actor=team["admin"], ticket_id=ticket.id, status="resolved")
    tickets.reply(session, actor=team["direct"], ticket_id=ticket.id, body="It is back.")
    session.refresh(ticket)
    assert ticket.status is TicketStatus.OPEN  # a reply reopens a resolved ticket
    tickets.set_status(session, actor=team["direct"], ticket_id=ticket.id, status="closed")
    with pytest.raises(ValidationFailed, match="closed"):
        tickets.reply(session, actor=team["admin"], ticket_id=ticket.id, body="Anything else?")


def test_pictures_are_checked_reencoded_and_shown_only_to_those_who_see_the_ticket(
    session: Session, team: dict, isolated_settings: Path
) -> None:
    customer = team["customer"]
    with pytest.raises(ValidationFailed, match=r"notes\.png"):
        _open(session, customer, uploads=[tickets.Upload("notes.png", b"just some text, not a picture")])
    with pytest.raises(ValidationFailed, match="not a supported type"):
        _open(session, customer, uploads=[tickets.Upload("run.exe", png())])
    assert tickets.my_tickets(session, actor=customer) == []  # nothing half-made
    assert not list((isolated_settings / "media").rglob("*.webp"))

    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"
    out = io.BytesIO()
    Image.new("RGB", (3000, 1000), (1, 2, 3)).save(out, format="JPEG", exif=exif.tobytes())
    ticket = _open(session, customer, uploads=[tickets.Upload("screen.png", png()),
                                               tickets.Upload("photo.jpg", out.getvalue())])
    [first] = tickets.detail(session, actor=team["reseller"], ticket_id=ticket.id).messages
    assert [a.filename for a in first.attachments] == ["screen.png", "photo.jpg"]
    big = first.attachments[1]
    assert (big.width, big.height) == (tickets.MAX_SIDE, 683)
    data, _ = tickets.read_attachment(session, viewer=customer, attachment_id=big.id)
    assert Image.open(io.BytesIO(data)).format == "WEBP" and b"Secret Camera" not in data
    tickets.read_attachment(session, viewer=team["reseller"], attachment_id=big.id)
    for outsider in (team["other_reseller"], team["other_customer"], team["admin"]):
        with pytest.raises(NotFound):
            tickets.read_attachment(session, viewer=outsider, attachment_id=big.id)
    kept = reconcile.reconcile(session, grace=timedelta(seconds=-1))  # attachments are known files
    assert kept.orphan_files_removed == 0
    tickets.read_attachment(session, viewer=customer, attachment_id=first.attachments[0].id)
    with pytest.raises(ValidationFailed, match="at most"):
        tickets.reply(session, actor=customer, ticket_id=ticket.id, body="More",
                      uploads=[tickets.Upload(f"{n}.png", png()) for n in range(tickets.MAX_FILES + 1)])


def test_the_queue_filters_and_searches(session: Session, team: dict) -> None:
    admin = team["admin"]
    login = tickets.open_ticket(session, actor=team["direct"], subject="Cannot sign in", category="account",
                                body="The code from my phone is refused.")
    bill = tickets.open_ticket(session, actor=team["reseller"], subject="Invoice question", category="billing",
                               body="Where is the 100% discount?")
    tickets.assign(session, actor=admin, ticket_id=bill.id, assignee_id=admin.id)

    def ids(**filters) -> list[int]:
        return [row.id for row in tickets.queue(session, actor=admin, **filters)]

    assert ids(category="account") == [login.id]
    assert ids(search="PHONE") == [login.id]  # message bodies, any case
    assert ids(search="invoice") == [bill.id]
    assert ids(search="100%") == [bill.id] and ids(search="1_0") == []  # wildcards are plain characters
    assert ids(search=f"#{login.id}") == [login.id]
    assert ids(assignee="me") == [bill.id] and ids(assignee="none") == [login.id]
    assert ids(assignee=str(admin.id)) == [bill.id]
    assert ids(status="pending") == []
    assert ids(status="active") == [bill.id, login.id]
    with pytest.raises(ValidationFailed):
        ids(category="nonsense")
