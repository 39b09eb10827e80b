"""When a reseller can no longer answer (deactivated, deleted, no longer a reseller), its live support
tickets move at once to the next active reseller up the requester's chain or to the admins: a note in
the thread, an audit entry, a notification to whoever newly has them; nothing moves back."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from mediashare import routes
from mediashare.models import AuditAction, AuditEvent, Notification, Role, Ticket, TicketStatus, User
from mediashare.services import tickets, user_admin
from mediashare.services.auth import Client
from tests.factories import make_user


def _open(session: Session, user: User, subject: str) -> Ticket:
    return tickets.open_ticket(session, actor=user, subject=subject, category="media", body="It fails.")


def _moved_notes(session: Session, user: User) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.user_id == user.id,
                                                        Notification.kind == "ticket_moved")
                             .order_by(col(Notification.id))).all())


def _thread(session: Session, user: User, ticket: Ticket) -> list[tuple[bool, str, str]]:
    view = tickets.detail(session, actor=user, ticket_id=ticket.id)
    return [(message.is_note, message.author, message.body) for message in view.messages]


@pytest.fixture
def chain(session: Session) -> dict:
    """An admin; a top reseller with a sub-reseller whose customer writes in; a reseller directly under
    the root with its own customer."""
    admin = make_user(session, role=Role.ADMIN, display_name="Ada Admin")
    top = make_user(session, role=Role.RESELLER, display_name="Top Photos")
    sub = make_user(session, role=Role.RESELLER, parent=top, display_name="Sub Photos")
    lone = make_user(session, role=Role.RESELLER, display_name="Lone Photos")
    return {"admin": admin, "top": top, "sub": sub, "lone": lone,
            "customer": make_user(session, parent=sub), "lone_customer": make_user(session, parent=lone)}


def test_deactivating_a_reseller_moves_its_live_tickets_to_the_next_reseller_up(session: Session, chain: dict) -> None:
    admin, top, sub, customer = chain["admin"], chain["top"], chain["sub"], chain["customer"]
    waiting = _open(session, customer, "Cannot upload")
    answered = _open(session, customer, "Wrong invoice")
    tickets.reply(session, actor=sub, ticket_id=answered.id, body="Looking into it.")  # pending, assigned to sub
    done = _open(session, customer, "Old question")
    tickets.set_status(session, actor=sub, ticket_id=done.id, status="closed")
    assert tickets.queue(session, actor=top) == []

    user_admin.deactivate(session, actor=admin, user_id=sub.id, client=Client())

    for ticket in (waiting, answered, done):
        session.refresh(ticket)
    assert (waiting.reseller_id, waiting.status) == (top.id, TicketStatus.OPEN)
    assert (answered.reseller_id, answered.status, answered.assignee_id) == (top.id, TicketStatus.PENDING, None)
    assert done.reseller_id == sub.id and done.status is TicketStatus.CLOSED  # history stays as it was
    assert {row.id for row in tickets.queue(session, actor=top)} == {waiting.id, answered.id}
    assert tickets.queue(session, actor=admin) == []  # not escalated: the admins are not involved
    # The requester and the new handler read why in the thread.
    note = (True, "", "Moved to Top Photos because Sub Photos was deactivated.")
    assert _thread(session, customer, answered)[-1] == note
    assert _thread(session, top, waiting)[-1] == note
    assert [row.action for row in session.exec(select(AuditEvent).where(
        AuditEvent.action == AuditAction.TICKET_REROUTED).order_by(col(AuditEvent.id))).all()] == [
        AuditAction.TICKET_REROUTED, AuditAction.TICKET_REROUTED]
    deactivated = session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.USER_DEACTIVATED)).one()
    assert deactivated.details["tickets_moved"] == 2
    [told] = _moved_notes(session, top)
    assert told.title == "2 support tickets moved to you because Sub Photos was deactivated"
    assert told.link == routes.SUPPORT_QUEUE and f"#{waiting.id} Cannot upload" in told.body
    assert _moved_notes(session, admin) == []

    # Top answers; reactivating Sub takes nothing back.
    tickets.reply(session, actor=top, ticket_id=waiting.id, body="Fixed now.")
    user_admin.reactivate(session, actor=admin, user_id=sub.id, client=Client())
    assert {row.id for row in tickets.queue(session, actor=top)} == {waiting.id, answered.id}
    assert [row.id for row in tickets.queue(session, actor=sub)] == [done.id]  # only the closed one stayed
    # New tickets go to Sub again, as routing always did.
    assert _open(session, customer, "Another one").reseller_id == sub.id


def test_without_a_reseller_above_the_tickets_go_to_the_admins_who_are_told(session: Session, chain: dict) -> None:
    admin, lone, customer = chain["admin"], chain["lone"], chain["lone_customer"]
    resolved = _open(session, customer, "Slow uploads")
    tickets.set_status(session, actor=lone, ticket_id=resolved.id, status="resolved")  # a reply would reopen it
    escalated = _open(session, customer, "Lost album")
    tickets.escalate(session, actor=lone, ticket_id=escalated.id)
    tickets.assign(session, actor=admin, ticket_id=escalated.id, assignee_id=admin.id)

    user_admin.deactivate(session, actor=admin, user_id=lone.id, client=Client())

    session.refresh(resolved)
    session.refresh(escalated)
    assert resolved.reseller_id is None and escalated.reseller_id is None
    assert escalated.assignee_id == admin.id  # the admin's own pick stays
    assert {row.id for row in tickets.queue(session, actor=admin)} == {resolved.id, escalated.id}
    assert _thread(session, customer, resolved)[-1] == (
        True, "", "Moved to the admins because Lone Photos was deactivated.")
    # Only the ticket the admins did not have yet is announced, with a link to it.
    [told] = _moved_notes(session, admin)
    assert told.title == "A support ticket moved to you because Lone Photos was deactivated"
    assert told.link == routes.ticket_url(resolved.id)
    superuser = session.exec(select(User).where(User.role == Role.SUPERUSER)).one()
    assert len(_moved_notes(session, superuser)) == 1  # superusers handle admin tickets too
    # The requester's reply reopens it with someone to answer it.
    tickets.reply(session, actor=customer, ticket_id=resolved.id, body="Still slow.")
    assert tickets.queue(session, actor=admin, status="open")[0].id == resolved.id


def test_deleting_or_demoting_a_reseller_moves_its_tickets_too(session: Session, chain: dict) -> None:
    admin, top = chain["admin"], chain["top"]
    leaving = make_user(session, role=Role.RESELLER, parent=top, display_name="Leaving Photos")
    demoted = make_user(session, role=Role.RESELLER, parent=top, display_name="Demoted Photos")
    first, second = make_user(session, parent=leaving), make_user(session, parent=demoted)
    kept = _open(session, first, "Question one")
    other = _open(session, second, "Question two")
    for customer in (first, second):  # an account with customers cannot be deleted or become a user
        user_admin.change_parent(session, actor=admin, user_id=customer.id, parent_username=top.username,
                                 client=Client())
    assert (kept.reseller_id, other.reseller_id) == (leaving.id, demoted.id)  # the tickets stayed behind

    user_admin.delete(session, actor=admin, user_id=leaving.id, confirm=leaving.username, client=Client())
    user_admin.change_role(session, actor=admin, user_id=demoted.id, role=Role.USER, client=Client())

    assert {row.id for row in tickets.queue(session, actor=top)} == {kept.id, other.id}
    assert _thread(session, top, kept)[-1][2] == "Moved to Top Photos because Leaving Photos was deleted."
    assert _thread(session, top, other)[-1][2] == "Moved to Top Photos because Demoted Photos is no longer a reseller."
    assert len(_moved_notes(session, top)) == 2
