"""Support tickets: /support (my tickets, open one), /support/ticket/[ticket_id] (the thread, replies
and, for staff, status, assignment and escalation) and /support/queue (the tickets a reseller or an
admin handles). Rows are small view dataclasses; every handler asks services/tickets.py, which
checks again who may see and do what.

A message with pictures is sent in two events from one form: the text first (`stage_*`, checked and
kept backend-only), then Reflex's upload with the pictures (`send_*`), which writes both at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError, ValidationFailed
from mediashare.models import Role, TicketCategory, TicketStatus
from mediashare.services import tickets
from mediashare.state import guard
from mediashare.state.arguments import as_choice, as_id, as_text, form_text
from mediashare.state.session import SessionState

NEW_TICKET_UPLOAD_ID = "ticket-pictures"
REPLY_UPLOAD_ID = "reply-pictures"
STATUSES = [status.value for status in TicketStatus]
CATEGORIES = [category.value for category in TicketCategory]
_UNASSIGNED = "none"


@dataclass
class Choice:
    """An option of a select: what it sends, what it shows."""

    value: str
    label: str


@dataclass
class TicketRow:
    """A ticket in a list (text only)."""

    id: int
    url: str
    subject: str
    category: str
    status: str
    requester: str
    handled_by: str
    assignee: str
    updated: str


@dataclass
class PictureRow:
    url: str
    filename: str


@dataclass
class MessageRow:
    id: int
    author: str
    from_staff: bool
    body: str
    created: str
    pictures: list[PictureRow]
    is_note: bool = False  # the platform's note ("Moved to …"), shown as a line, not a message


CATEGORY_CHOICES = [Choice(value=c.value, label=tickets.CATEGORY_LABELS[c]) for c in TicketCategory]
STATUS_CHOICES = [Choice(value=s.value, label=s.value.capitalize()) for s in TicketStatus]


def _row(summary: tickets.TicketSummary) -> TicketRow:
    return TicketRow(id=summary.id, url=routes.ticket_url(summary.id), subject=summary.subject,
                     category=tickets.CATEGORY_LABELS[summary.category], status=summary.status.value,
                     requester=summary.requester, handled_by=summary.handled_by, assignee=summary.assignee or "—",
                     updated=summary.updated_at.strftime("%Y-%m-%d %H:%M"))


async def _read_pictures(files: object) -> list[tickets.Upload]:
    """What Reflex's upload delivered, checked: real uploads, at most MAX_FILES, each within the limit
    (never more than the limit is read, whatever was sent)."""
    if not isinstance(files, list) or not all(isinstance(f, rx.UploadFile) for f in files):
        raise ValidationFailed("The pictures could not be read. Please choose them again.")
    if len(files) > tickets.MAX_FILES:
        raise ValidationFailed(f"Attach at most {tickets.MAX_FILES} pictures to one message.")
    uploads = []
    for upload in files:
        name = str(upload.name or upload.filename or "picture")[:255]
        declared = upload.size if isinstance(upload.size, int) else 0
        tickets.check_upload_size(name, declared)
        data = await upload.read(tickets.MAX_FILE_BYTES + 1)
        tickets.check_upload_size(name, len(data))
        uploads.append(tickets.Upload(filename=name, data=data))
    return uploads


class SupportState(SessionState):
    """/support: the signed-in person's tickets and the form to open one."""

    rows: list[TicketRow] = []
    loaded: bool = False
    sending: bool = False
    error: str = ""  # why the last attempt was refused, shown above the form
    # What was typed, put back into the form after a refusal.
    subject: str = ""
    category: str = TicketCategory.OTHER.value
    message: str = ""
    form_key: int = 0  # a new key remounts the (uncontrolled) form empty after a ticket is sent
    _draft: tuple[str, str, str] | None = None

    @rx.event
    @guard.signed_in
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                self.loaded = False
                return redirect
            self.rows = [_row(summary) for summary in tickets.my_tickets(session, actor=user)]
        self.loaded, self.error, self._draft = True, "", None
        return None

    @rx.event
    @guard.signed_in
    def stage_ticket(self, form_data: dict[str, Any]):
        """The text of a new ticket; `send_ticket` (the same form's upload) follows."""
        self._draft = None
        try:
            subject = form_text(form_data, "subject", max_length=2000)
            category = form_text(form_data, "category", max_length=32)
            message = form_text(form_data, "message", max_length=tickets.MAX_BODY * 2)
            self.subject, self.category, self.message = subject[:tickets.MAX_SUBJECT], category, message
            tickets.validate_draft(subject=subject, category=category, body=message)
        except ValidationFailed as error:
            self.error = str(error)
            return rx.toast.error(str(error))
        self.error, self._draft, self.sending = "", (subject, category, message), True
        return None

    @rx.event
    @guard.signed_in
    async def send_ticket(self, files: list[rx.UploadFile]):
        draft, self._draft = self._draft, None
        if draft is None:  # the text was refused (or never sent): nothing to do
            self.sending = False
            return
        try:
            with db.session_scope() as session:
                self._actor(session)  # before reading a single byte
            uploads = await _read_pictures(files)
            ticket_id = await asyncio.to_thread(self._open, draft, uploads)
        except MediashareError as error:
            self.error, self.sending = str(error), False
            yield rx.toast.error(str(error))
            return
        self.sending, self.subject, self.message = False, "", ""
        self.category, self.form_key = TicketCategory.OTHER.value, self.form_key + 1
        yield rx.clear_selected_files(NEW_TICKET_UPLOAD_ID)
        yield rx.toast.success(f"Ticket #{ticket_id} is open. We will answer here and by email.")
        yield rx.redirect(routes.ticket_url(ticket_id))

    def _open(self, draft: tuple[str, str, str], uploads: list[tickets.Upload]) -> int:
        subject, category, message = draft
        with db.session_scope() as session:
            ticket = tickets.open_ticket(session, actor=self._actor(session), subject=subject, category=category,
                                         body=message, uploads=uploads, client=self._client())
            return ticket.id  # type: ignore[return-value]


class TicketState(SessionState):
    """/support/ticket/[ticket_id]: one ticket's thread, for its requester and the staff handling it."""

    ticket_id: int = 0
    missing: bool = False
    loaded: bool = False
    subject: str = ""
    category: str = ""
    status: str = ""
    requester: str = ""
    handled_by: str = ""
    escalated: bool = False
    messages: list[MessageRow] = []
    is_requester: bool = False
    can_handle: bool = False
    can_escalate: bool = False
    handlers: list[Choice] = []
    assignee: str = _UNASSIGNED  # the select's value: an account id, or "none"
    sending: bool = False
    error: str = ""
    reply_text: str = ""  # what was typed, put back after a refusal
    form_key: int = 0
    _draft: str | None = None

    def _fill(self) -> None:
        with db.session_scope() as session:
            view = tickets.detail(session, actor=self._actor(session), ticket_id=self.ticket_id)
        summary = view.summary
        self.subject, self.category = summary.subject, tickets.CATEGORY_LABELS[summary.category]
        self.status, self.requester, self.handled_by = summary.status.value, summary.requester, summary.handled_by
        self.escalated = summary.escalated
        self.messages = [
            MessageRow(id=m.id, author=m.author, from_staff=m.from_staff, body=m.body,
                       created=m.created_at.strftime("%Y-%m-%d %H:%M"),
                       pictures=[PictureRow(url=routes.ticket_attachment_url(a.id), filename=a.filename)
                                 for a in m.attachments], is_note=m.is_note)
            for m in view.messages
        ]
        self.is_requester, self.can_handle, self.can_escalate = view.is_requester, view.can_handle, view.can_escalate
        self.handlers = [Choice(value=str(person_id), label=name) for person_id, name in view.handlers]
        self.assignee = str(view.assignee_id) if view.assignee_id else _UNASSIGNED
        self.missing, self.loaded = False, True

    def _clear(self) -> None:
        self.ticket_id, self.missing, self.loaded = 0, True, True
        self.subject = self.category = self.status = self.requester = self.handled_by = ""
        self.messages, self.handlers, self.assignee = [], [], _UNASSIGNED
        self.is_requester = self.can_handle = self.can_escalate = self.escalated = False

    @rx.event
    @guard.signed_in
    def load(self):
        raw = self.router.page.params.get("ticket_id", "")
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                self.loaded = False
                return redirect
        self.error, self._draft, self.sending = "", None, False
        try:
            ticket_id = as_id(raw if isinstance(raw, str) else "", what="ticket")
            if ticket_id != self.ticket_id:
                self.reply_text = ""
            self.ticket_id = ticket_id
            self._fill()
        except MediashareError:
            self._clear()
        return None

    def _act(self, done: str, action) -> Any:
        try:
            with db.session_scope() as session:
                action(session, self._actor(session))
            self._fill()
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success(done)

    @rx.event
    @guard.signed_in
    def stage_reply(self, form_data: dict[str, Any]):
        """The text of a reply; `send_reply` (the same form's upload) follows."""
        self._draft = None
        try:
            text = form_text(form_data, "message", max_length=tickets.MAX_BODY * 2)
            self.reply_text = text
            if not text.strip():
                raise ValidationFailed("Write a reply first.")
            if len(text.strip()) > tickets.MAX_BODY:
                raise ValidationFailed(f"The reply is {len(text.strip()):,} characters; the limit is "
                                       f"{tickets.MAX_BODY:,}.")
        except ValidationFailed as error:
            self.error = str(error)
            return rx.toast.error(str(error))
        self.error, self._draft, self.sending = "", text, True
        return None

    @rx.event
    @guard.signed_in
    async def send_reply(self, files: list[rx.UploadFile]):
        draft, self._draft = self._draft, None
        if draft is None:
            self.sending = False
            return
        try:
            with db.session_scope() as session:
                self._actor(session)
            uploads = await _read_pictures(files)
            await asyncio.to_thread(self._reply, draft, uploads)
            self._fill()
        except MediashareError as error:
            self.error, self.sending = str(error), False
            yield rx.toast.error(str(error))
            return
        self.sending, self.reply_text, self.form_key = False, "", self.form_key + 1
        yield rx.clear_selected_files(REPLY_UPLOAD_ID)
        yield rx.toast.success("Reply sent.")

    def _reply(self, text: str, uploads: list[tickets.Upload]) -> None:
        with db.session_scope() as session:
            tickets.reply(session, actor=self._actor(session), ticket_id=self.ticket_id, body=text, uploads=uploads,
                          client=self._client())

    @rx.event
    @guard.signed_in
    def set_status(self, status: str):
        """Staff: any status. The requester: close (the service refuses anything else)."""
        try:
            chosen = as_choice(status, STATUSES, field="status")
        except ValidationFailed as error:
            return rx.toast.error(str(error))
        return self._act(f"Ticket marked {chosen}.", lambda session, actor: tickets.set_status(
            session, actor=actor, ticket_id=self.ticket_id, status=chosen, client=self._client()))

    @rx.event
    @guard.requires(Role.RESELLER)
    def assign(self, assignee: str):
        try:
            text = as_text(assignee, max_length=12, field="assignee")
            assignee_id = None if text == _UNASSIGNED else as_id(text, what="account")
        except ValidationFailed as error:
            return rx.toast.error(str(error))
        return self._act("Assignment saved." if assignee_id else "Nobody is assigned now.",
                         lambda session, actor: tickets.assign(session, actor=actor, ticket_id=self.ticket_id,
                                                               assignee_id=assignee_id, client=self._client()))

    @rx.event
    @guard.requires(Role.RESELLER)
    def escalate(self):
        return self._act("Escalated: the admins handle this ticket now.", lambda session, actor: tickets.escalate(
            session, actor=actor, ticket_id=self.ticket_id, client=self._client()))


class TicketQueueState(SessionState):
    """/support/queue: the tickets the signed-in reseller or admin handles, filtered and searched."""

    rows: list[TicketRow] = []
    loaded: bool = False
    status: str = "active"  # "active" (open + pending), "all", or one status
    category: str = "all"
    assignee: str = "anyone"  # "anyone", "me", "none", or an account id
    search: str = ""
    assignee_choices: list[Choice] = []

    def _fetch(self) -> None:
        status = "" if self.status == "all" else self.status
        assignee = "" if self.assignee == "anyone" else self.assignee
        with db.session_scope() as session:
            actor = self._actor(session)
            found = tickets.queue(session, actor=actor, status=status,
                                  category="" if self.category == "all" else self.category,
                                  assignee=assignee, search=self.search)
            self.assignee_choices = [Choice(value=str(person_id), label=name)
                                     for person_id, name in tickets.assignee_choices(session, actor=actor)]
        self.rows = [_row(summary) for summary in found]

    def _refetch(self):
        try:
            self._fetch()
        except MediashareError as error:
            self.rows = []
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                self.loaded = False
                return redirect
        self.loaded = True
        return self._refetch()

    @rx.event
    @guard.requires(Role.RESELLER)
    def set_status_filter(self, value: str):
        try:
            self.status = as_choice(value, ["active", "all", *STATUSES], field="status")
        except ValidationFailed as error:
            return rx.toast.error(str(error))
        return self._refetch()

    @rx.event
    @guard.requires(Role.RESELLER)
    def set_category_filter(self, value: str):
        try:
            self.category = as_choice(value, ["all", *CATEGORIES], field="category")
        except ValidationFailed as error:
            return rx.toast.error(str(error))
        return self._refetch()

    @rx.event
    @guard.requires(Role.RESELLER)
    def set_assignee_filter(self, value: str):
        try:
            text = as_text(value, max_length=12, field="assignee")
            if text not in ("anyone", "me", "none"):
                as_id(text, what="account")
        except ValidationFailed as error:
            return rx.toast.error(str(error))
        self.assignee = text
        return self._refetch()

    @rx.event
    @guard.requires(Role.RESELLER)
    def search_tickets(self, form_data: dict[str, Any]):
        try:
            self.search = form_text(form_data, "search", max_length=200).strip()
        except ValidationFailed as error:
            return rx.toast.error(str(error))
        return self._refetch()
