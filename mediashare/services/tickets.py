"""Support tickets: who handles a ticket, who sees it, and the thread of replies.

Routing, complete:
- A ticket goes to the nearest reseller above its requester (the parent chain), and otherwise to the
  admins (admins and superusers, together).
- The reseller who has a ticket may escalate it: from then on the admins handle it as well (the
  reseller keeps seeing it and may still answer).
- When its reseller can no longer answer (deactivated, deleted, no longer a reseller), `reroute_from`
  hands its live tickets on at once, in the same transaction, as if they were opened now: to the next
  active reseller up the requester's chain, or to the admins, with a note in the thread. Nothing moves
  back when the reseller returns.
- Nobody else sees a ticket: a reseller never sees another reseller's customers' tickets, a user
  only their own, and admins only the tickets that reach them (routed or escalated).

Statuses: open (waiting for staff), pending (staff answered, waiting for the requester), resolved
(a reply from the requester reopens it), closed (no more replies). A staff reply makes a ticket
pending and tells the requester (a notification and an email); a requester's reply makes it open.

Pictures attached to a message pass the same checks as uploads (services/inspection.py), then only
our re-encoded WebP copy is kept (like avatars): nothing a browser sent is ever served back.
"""

from __future__ import annotations

import io
import logging
import tempfile
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from PIL import Image, ImageOps
from sqlmodel import Session, col, select

from mediashare import routes
from mediashare.errors import NotFound, PermissionDenied, ValidationFailed
from mediashare.models import (
    AuditAction,
    Role,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketMessage,
    TicketStatus,
    User,
    utc_now,
)
from mediashare.services import audit, branding, email, inspection, notifications
from mediashare.services.auth import Client
from mediashare.settings import get_settings
from mediashare.storage import LocalStorage, StorageError

log = logging.getLogger(__name__)

MAX_SUBJECT = 200
MAX_BODY = 10_000
MAX_FILES = 4  # pictures per message
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000
MAX_SIDE = 2048  # the kept copy fits in MAX_SIDE × MAX_SIDE
QUEUE_LIMIT = 200
AREA = "derived"
MEDIA_TYPE = "image/webp"
_SUFFIX = ".webp"
_IMAGE_TYPES = {ext: kind for ext, (kind, _) in inspection.KNOWN_TYPES.items() if kind is inspection.Kind.IMAGE}
_STAFF = (Role.RESELLER, Role.ADMIN, Role.SUPERUSER)
NOT_FOUND_MESSAGE = "This ticket does not exist or is not yours to see."
_NOT_FOUND = NOT_FOUND_MESSAGE

CATEGORY_LABELS = {
    TicketCategory.ACCOUNT: "Account and sign-in",
    TicketCategory.BILLING: "Credits and billing",
    TicketCategory.MEDIA: "Photos and videos",
    TicketCategory.TECHNICAL: "Something is broken",
    TicketCategory.OTHER: "Something else",
}


# --- pictures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """One file a browser sent with a message."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Picture:
    """Our re-encoded copy of an uploaded picture, ready to store."""

    filename: str
    data: bytes
    width: int
    height: int


def check_upload_size(filename: str, size: int) -> None:
    """Refuse a file over MAX_FILE_BYTES (callers check before reading it all)."""
    if size > MAX_FILE_BYTES:
        raise ValidationFailed(f"{filename}: the file is {size / 1024 / 1024:.1f} MB; "
                               f"the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB per picture.", field="file")


def prepare_picture(upload: Upload) -> Picture:
    """Check `upload` really is a picture (raises ValidationFailed naming the file and the problem)
    and re-encode it as WebP, upright, metadata-free, at most MAX_SIDE pixels. CPU-bound."""
    name = Path(upload.filename).name[:255] or "picture"
    check_upload_size(name, len(upload.data))
    with tempfile.TemporaryDirectory(prefix="ticket-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(upload.data)
        found = inspection.inspect(path, filename=name, max_pixels=MAX_PIXELS, allowed=_IMAGE_TYPES)
        if found.kind is not inspection.Kind.IMAGE:  # the allow-list makes this impossible; be explicit
            raise inspection.InvalidUpload(name, "only pictures can be attached.")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(path) as image:
                    picture = ImageOps.exif_transpose(image)
                    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
                    picture = picture.convert("RGBA" if has_alpha else "RGB")
                    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                    out = io.BytesIO()
                    picture.save(out, format="WEBP", quality=85, method=4)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise inspection.InvalidUpload(name, "the image is damaged and cannot be read.") from None
    return Picture(filename=name, data=out.getvalue(), width=picture.width, height=picture.height)


def _storage() -> LocalStorage:
    return LocalStorage(get_settings().resolved_media_root)


def _store_pictures(session: Session, message: TicketMessage, pictures: list[Picture],
                    stored: list[str]) -> None:
    storage = _storage()
    for picture in pictures:
        key = storage.put(io.BytesIO(picture.data), area=AREA, suffix=_SUFFIX)
        stored.append(key)
        session.add(TicketAttachment(message_id=message.id, storage_key=key, filename=picture.filename,  # type: ignore[arg-type]
                                     width=picture.width, height=picture.height, size_bytes=len(picture.data)))


def _forget(keys: list[str]) -> None:
    storage = _storage()
    for key in keys:
        try:
            storage.delete(key, area=AREA)
        except (StorageError, OSError) as error:  # an orphan is harmless; reconcile reports it
            log.warning("Could not delete ticket picture %s: %s", key, error)


def attachment_keys(session: Session) -> set[str]:
    """Every stored attachment key (reconcile keeps these files)."""
    return set(session.exec(select(TicketAttachment.storage_key)).all())


# --- who handles, who sees ---------------------------------------------------------------------


def route(session: Session, requester: User, *, passing: int | None = None) -> int | None:
    """The nearest active reseller above `requester` (never `passing`, an account on its way out),
    or None: the admins."""
    parent_id, seen = requester.parent_id, set()
    while parent_id is not None and parent_id not in seen and len(seen) < 64:
        seen.add(parent_id)
        parent = session.get(User, parent_id)
        if parent is None:
            return None
        if parent.role is Role.RESELLER and parent.is_active and parent.id != passing:
            return parent.id
        if parent.role is not Role.RESELLER:
            return None  # above an admin there are only admins and superusers
        parent_id = parent.parent_id
    return None


def _is_admin(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.SUPERUSER)


def _reaches_admins(ticket: Ticket) -> bool:
    return ticket.reseller_id is None or ticket.escalated_at is not None


def can_handle(user: User, ticket: Ticket) -> bool:
    """Whether `user` answers `ticket` as staff."""
    if not user.is_active:
        return False
    if _is_admin(user):
        return _reaches_admins(ticket)
    return user.role is Role.RESELLER and ticket.reseller_id == user.id


def _visible(session: Session, *, actor: User, ticket_id: object) -> Ticket:
    ticket = session.get(Ticket, ticket_id) if isinstance(ticket_id, int) and not isinstance(ticket_id, bool) else None
    if ticket is None or not actor.is_active or (ticket.requester_id != actor.id and not can_handle(actor, ticket)):
        raise NotFound(_NOT_FOUND)
    return ticket


def _handled(session: Session, *, actor: User, ticket_id: object) -> Ticket:
    ticket = _visible(session, actor=actor, ticket_id=ticket_id)
    if not can_handle(actor, ticket):
        raise PermissionDenied("Only the staff handling this ticket can do that.")
    return ticket


def handlers(session: Session, ticket: Ticket) -> list[User]:
    """The accounts that may be assigned `ticket`: its reseller (until escalated) and, when it reaches
    the admins, every active admin and superuser."""
    people: list[User] = []
    if ticket.reseller_id is not None:
        reseller = session.get(User, ticket.reseller_id)
        if reseller is not None and reseller.is_active:
            people.append(reseller)
    if _reaches_admins(ticket):
        people.extend(_admins(session))
    return people


def _admins(session: Session) -> list[User]:
    return list(session.exec(
        select(User).where(col(User.role).in_([Role.ADMIN, Role.SUPERUSER]), col(User.is_active).is_(True))
        .order_by(User.username_key)
    ).all())


# --- when a reseller goes --------------------------------------------------------------------------

_LIVE = (TicketStatus.OPEN, TicketStatus.PENDING, TicketStatus.RESOLVED)  # resolved: a reply reopens it


def reroute_from(session: Session, *, reseller: User, because: str, actor: User, client: Client | None = None) -> int:
    """Hand every open, pending or resolved ticket `reseller` handles to whoever handles its requester
    now (`route`, passing over `reseller`): a note in each thread ("Moved to … because <name> <because>"),
    an audit entry per ticket and one notification to each new handler. Joins the caller's transaction
    (the deactivation, deletion or role change that makes `reseller` unable to answer); returns how
    many tickets moved. Closed tickets stay as they were; nothing moves back on reactivation."""
    client = client or Client()
    moving = list(session.exec(
        select(Ticket).where(Ticket.reseller_id == reseller.id, col(Ticket.status).in_(_LIVE))
        .order_by(col(Ticket.id)).with_for_update()
    ).all())
    now = utc_now()
    admins: list[User] | None = None  # read once, when a ticket first reaches them
    arrived: dict[int, tuple[User, list[Ticket]]] = {}  # new handler id → (handler, its tickets)
    for ticket in moving:
        requester = session.get(User, ticket.requester_id)
        ticket.reseller_id = route(session, requester, passing=reseller.id) if requester is not None else None
        new_reseller = session.get(User, ticket.reseller_id) if ticket.reseller_id is not None else None
        newcomers = [new_reseller] if new_reseller is not None else []
        if new_reseller is None and ticket.escalated_at is None:  # escalated: the admins had it already
            if admins is None:
                admins = _admins(session)
            newcomers = admins
        if ticket.assignee_id is not None and not (_reaches_admins(ticket) and ticket.assignee_id != reseller.id):
            ticket.assignee_id = None  # the reseller's own pick goes with it; an admin's stays
        ticket.updated_at = now
        to = new_reseller.name if new_reseller is not None else "the admins"
        session.add(TicketMessage(ticket_id=ticket.id, author_id=None, from_staff=True, is_note=True,  # type: ignore[arg-type]
                                  body=f"Moved to {to} because {reseller.name} {because}.", created_at=now))
        audit.record(session, action=AuditAction.TICKET_REROUTED, actor=actor, target=requester, ip=client.ip,
                     user_agent=client.user_agent,
                     details=_details(ticket, from_reseller=reseller.id, to=ticket.reseller_id or "admins",
                                      because=because))
        for person in newcomers:
            arrived.setdefault(person.id, (person, []))[1].append(ticket)  # type: ignore[arg-type]
    for person, theirs in arrived.values():
        count = "A support ticket" if len(theirs) == 1 else f"{len(theirs)} support tickets"
        listed = "; ".join(f"#{ticket.id} {ticket.subject}" for ticket in theirs[:10])
        more = f" and {len(theirs) - 10} more" if len(theirs) > 10 else ""
        notifications.create(session, user=person, kind="ticket_moved",
                             title=f"{count} moved to you because {reseller.name} {because}"[:200],
                             body=f"{listed}{more}.",
                             link=routes.ticket_url(theirs[0].id) if len(theirs) == 1 else routes.SUPPORT_QUEUE)  # type: ignore[arg-type]
    session.flush()
    return len(moving)


# --- validation --------------------------------------------------------------------------------


def _subject(value: object) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not 3 <= len(text) <= MAX_SUBJECT:
        raise ValidationFailed(f"Give the ticket a subject of 3 to {MAX_SUBJECT} characters.", field="subject")
    return text


def _body(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationFailed("Write a message.", field="message")
    if len(text) > MAX_BODY:
        raise ValidationFailed(f"The message is {len(text):,} characters; the limit is {MAX_BODY:,}.",
                               field="message")
    return text


def _category(value: object) -> TicketCategory:
    try:
        return TicketCategory(value)
    except ValueError:
        raise ValidationFailed("Choose what the ticket is about.", field="category") from None


def _status(value: object) -> TicketStatus:
    try:
        return TicketStatus(value)
    except ValueError:
        raise ValidationFailed("Choose a status: open, pending, resolved or closed.", field="status") from None


def validate_draft(*, subject: object, category: object, body: object) -> tuple[str, TicketCategory, str]:
    """The cleaned fields of a new ticket; raises ValidationFailed naming the first wrong one."""
    return _subject(subject), _category(category), _body(body)


def _pictures(uploads: list[Upload]) -> list[Picture]:
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(f"Attach at most {MAX_FILES} pictures to one message.", field="file")
    return [prepare_picture(upload) for upload in uploads]


def _details(ticket: Ticket, **more: object) -> dict[str, object]:
    return {"ticket": ticket.id, "subject": ticket.subject, **more}


# --- writing -----------------------------------------------------------------------------------


def open_ticket(session: Session, *, actor: User, subject: object, category: object, body: object,
                uploads: list[Upload] | None = None, client: Client | None = None) -> Ticket:
    """Open a ticket for `actor`, routed per the module docstring. The pictures in `uploads` are checked
    (ValidationFailed, nothing stored) before anything is written. CPU-bound with pictures."""
    client = client or Client()
    if not actor.is_active:
        raise PermissionDenied("This account is deactivated.")
    subject, category, body = validate_draft(subject=subject, category=category, body=body)
    pictures = _pictures(uploads or [])
    now = utc_now()
    ticket = Ticket(requester_id=actor.id, reseller_id=route(session, actor), subject=subject,  # type: ignore[arg-type]
                    category=category, created_at=now, updated_at=now)
    stored: list[str] = []
    try:
        session.add(ticket)
        session.flush()
        message = TicketMessage(ticket_id=ticket.id, author_id=actor.id, body=body, created_at=now)  # type: ignore[arg-type]
        session.add(message)
        session.flush()
        _store_pictures(session, message, pictures, stored)
        audit.record(session, action=AuditAction.TICKET_OPENED, actor=actor, target=actor, ip=client.ip,
                     user_agent=client.user_agent,
                     details=_details(ticket, category=category.value, routed_to=ticket.reseller_id or "admins",
                                      pictures=len(pictures)))
        session.commit()
    except BaseException:
        session.rollback()
        _forget(stored)
        raise
    session.refresh(ticket)
    return ticket


def reply(session: Session, *, actor: User, ticket_id: object, body: object, uploads: list[Upload] | None = None,
          client: Client | None = None) -> TicketMessage:
    """Add `actor`'s reply to the thread. A staff reply makes the ticket pending and tells the requester
    (notification + email); the requester's reply makes it open again. Closed tickets take no replies."""
    client = client or Client()
    ticket = _visible(session, actor=actor, ticket_id=ticket_id)
    body = _body(body)
    if ticket.status is TicketStatus.CLOSED:
        raise ValidationFailed("This ticket is closed. Open a new ticket to continue.", field="message")
    pictures = _pictures(uploads or [])
    from_staff = ticket.requester_id != actor.id
    now = utc_now()
    message = TicketMessage(ticket_id=ticket.id, author_id=actor.id, from_staff=from_staff, body=body,  # type: ignore[arg-type]
                            created_at=now)
    requester = session.get(User, ticket.requester_id)
    stored: list[str] = []
    try:
        session.add(message)
        session.flush()
        _store_pictures(session, message, pictures, stored)
        ticket.status = TicketStatus.PENDING if from_staff else TicketStatus.OPEN
        ticket.updated_at = now
        if from_staff and ticket.assignee_id is None:
            ticket.assignee_id = actor.id  # whoever answers first takes it
        if from_staff and requester is not None and requester.is_active:
            # In the app and by email as the requester chose; the email goes once this commits.
            notifications.create(session, user=requester, kind="ticket_reply",
                                 title=f"New reply to your ticket #{ticket.id}", body=_excerpt(body),
                                 link=routes.ticket_url(ticket.id),  # type: ignore[arg-type]
                                 message=email.render(
                                     "ticket_reply", to=requester.email,
                                     brand=branding.effective(session, requester), name=requester.name,
                                     ticket_id=ticket.id, subject=ticket.subject, replier=actor.name,
                                     excerpt=_excerpt(body),
                                     ticket_link=email.link(routes.ticket_url(ticket.id))))  # type: ignore[arg-type]
        audit.record(session, action=AuditAction.TICKET_REPLIED, actor=actor, target=requester, ip=client.ip,
                     user_agent=client.user_agent,
                     details=_details(ticket, staff=from_staff, pictures=len(pictures)))
        session.commit()
    except BaseException:
        session.rollback()
        _forget(stored)
        raise
    session.refresh(message)
    return message


def _excerpt(body: str, length: int = 300) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def set_status(session: Session, *, actor: User, ticket_id: object, status: object,
               client: Client | None = None) -> Ticket:
    """Staff set any status; a requester may only close their own ticket."""
    client = client or Client()
    ticket = _visible(session, actor=actor, ticket_id=ticket_id)
    status = _status(status)
    if not can_handle(actor, ticket) and status is not TicketStatus.CLOSED:
        raise PermissionDenied("You can close your ticket; the staff handling it set the other statuses.")
    if ticket.status is status:
        return ticket
    old = ticket.status
    ticket.status, ticket.updated_at = status, utc_now()
    audit.record(session, action=AuditAction.TICKET_STATUS_CHANGED, actor=actor,
                 target=session.get(User, ticket.requester_id), ip=client.ip, user_agent=client.user_agent,
                 details=_details(ticket, old=old.value, new=status.value))
    session.commit()
    session.refresh(ticket)
    return ticket


def assign(session: Session, *, actor: User, ticket_id: object, assignee_id: int | None,
           client: Client | None = None) -> Ticket:
    """Give the ticket to one of its handlers (`handlers`), or to nobody (None)."""
    client = client or Client()
    ticket = _handled(session, actor=actor, ticket_id=ticket_id)
    assignee = None
    if assignee_id is not None:
        assignee = next((person for person in handlers(session, ticket) if person.id == assignee_id), None)
        if assignee is None:
            raise ValidationFailed("Choose someone who handles this ticket.", field="assignee")
    if ticket.assignee_id == assignee_id:
        return ticket
    ticket.assignee_id, ticket.updated_at = assignee_id, utc_now()
    audit.record(session, action=AuditAction.TICKET_ASSIGNED, actor=actor, target=assignee, ip=client.ip,
                 user_agent=client.user_agent, details=_details(ticket, assignee=assignee_id))
    session.commit()
    session.refresh(ticket)
    return ticket


def escalate(session: Session, *, actor: User, ticket_id: object, client: Client | None = None) -> Ticket:
    """The reseller handling a ticket hands it up to the admins (it becomes open and unassigned)."""
    client = client or Client()
    ticket = _handled(session, actor=actor, ticket_id=ticket_id)
    if ticket.reseller_id != actor.id:
        raise PermissionDenied("Only the reseller handling this ticket can escalate it.")
    if ticket.escalated_at is not None:
        raise ValidationFailed("This ticket is already with the admins.")
    if ticket.status is TicketStatus.CLOSED:
        raise ValidationFailed("This ticket is closed.")
    ticket.escalated_at = ticket.updated_at = utc_now()
    ticket.status, ticket.assignee_id = TicketStatus.OPEN, None
    audit.record(session, action=AuditAction.TICKET_ESCALATED, actor=actor,
                 target=session.get(User, ticket.requester_id), ip=client.ip, user_agent=client.user_agent,
                 details=_details(ticket))
    session.commit()
    session.refresh(ticket)
    return ticket


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketSummary:
    """One ticket in a list."""

    id: int
    subject: str
    category: TicketCategory
    status: TicketStatus
    requester: str
    handled_by: str  # "Admins", a reseller's name, or "name → admins" once escalated
    assignee: str
    escalated: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class AttachmentView:
    id: int
    filename: str
    width: int
    height: int


@dataclass(frozen=True)
class MessageView:
    id: int
    author: str
    from_staff: bool
    body: str
    created_at: datetime
    attachments: list[AttachmentView] = field(default_factory=list)
    is_note: bool = False  # written by the platform ("Moved to …"), not by a person


@dataclass(frozen=True)
class TicketDetail:
    """A ticket with its thread, for someone allowed to see it."""

    summary: TicketSummary
    messages: list[MessageView]
    is_requester: bool
    can_handle: bool
    can_escalate: bool
    handlers: list[tuple[int, str]]  # who it can be assigned to
    assignee_id: int | None


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {user.id: user.name for user in session.exec(select(User).where(col(User.id).in_(ids))).all()}  # type: ignore[misc]


def _summaries(session: Session, tickets: list[Ticket]) -> list[TicketSummary]:
    names = _names(session, {t.requester_id for t in tickets} | {t.reseller_id for t in tickets if t.reseller_id}
                   | {t.assignee_id for t in tickets if t.assignee_id})
    out = []
    for ticket in tickets:
        if ticket.reseller_id is None:
            handled_by = "Admins"
        else:
            reseller = names.get(ticket.reseller_id, "Reseller")
            handled_by = f"{reseller} → admins" if ticket.escalated_at is not None else reseller
        out.append(TicketSummary(
            id=ticket.id, subject=ticket.subject, category=ticket.category, status=ticket.status,  # type: ignore[arg-type]
            requester=names.get(ticket.requester_id, "Deleted account"), handled_by=handled_by,
            assignee=names.get(ticket.assignee_id, "") if ticket.assignee_id else "",
            escalated=ticket.escalated_at is not None, created_at=ticket.created_at, updated_at=ticket.updated_at,
        ))
    return out


def my_tickets(session: Session, *, actor: User) -> list[TicketSummary]:
    """The tickets `actor` opened, most recently active first."""
    tickets = session.exec(select(Ticket).where(Ticket.requester_id == actor.id)
                           .order_by(col(Ticket.updated_at).desc(), col(Ticket.id).desc()).limit(QUEUE_LIMIT)).all()
    return _summaries(session, list(tickets))


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def queue(session: Session, *, actor: User, status: str = "", category: str = "", assignee: str = "",
          search: str = "") -> list[TicketSummary]:
    """The tickets `actor` handles, most recently active first. Filters: `status` ("" any, "active" open
    or pending), `category` ("" any), `assignee` ("" anyone, "me", "none" or an account id) and
    `search` (words in the subject or the messages, or "#id")."""
    if not actor.is_active or actor.role not in _STAFF:
        raise PermissionDenied("The support queue is for resellers and admins.")
    query = select(Ticket)
    if _is_admin(actor):
        query = query.where(sa.or_(col(Ticket.reseller_id).is_(None), col(Ticket.escalated_at).is_not(None)))
    else:
        query = query.where(Ticket.reseller_id == actor.id)
    if status == "active":
        query = query.where(col(Ticket.status).in_([TicketStatus.OPEN, TicketStatus.PENDING]))
    elif status:
        query = query.where(Ticket.status == _status(status))
    if category:
        query = query.where(Ticket.category == _category(category))
    if assignee == "me":
        query = query.where(Ticket.assignee_id == actor.id)
    elif assignee == "none":
        query = query.where(col(Ticket.assignee_id).is_(None))
    elif assignee:
        if not assignee.isdigit() or len(assignee) > 12:
            raise ValidationFailed("Choose whose tickets to show.", field="assignee")
        query = query.where(Ticket.assignee_id == int(assignee))
    words = search.strip()[:200] if isinstance(search, str) else ""
    if words.startswith("#") and words[1:].isdigit() and len(words) <= 13:
        query = query.where(Ticket.id == int(words[1:]))
    elif words:
        pattern = _like(words)
        in_messages = (select(TicketMessage.ticket_id)
                       .where(sa.func.lower(TicketMessage.body).like(pattern, escape="\\")))
        query = query.where(sa.or_(sa.func.lower(Ticket.subject).like(pattern, escape="\\"),
                                   col(Ticket.id).in_(in_messages)))
    tickets = session.exec(query.order_by(col(Ticket.updated_at).desc(), col(Ticket.id).desc())
                           .limit(QUEUE_LIMIT)).all()
    return _summaries(session, list(tickets))


def assignee_choices(session: Session, *, actor: User) -> list[tuple[int, str]]:
    """Whom the queue can filter by: the actor alone (a reseller) or every admin and superuser."""
    if not _is_admin(actor):
        return [(actor.id, actor.name)]  # type: ignore[list-item]
    people = session.exec(select(User).where(col(User.role).in_([Role.ADMIN, Role.SUPERUSER]),
                                             col(User.is_active).is_(True)).order_by(User.username_key)).all()
    return [(person.id, person.name) for person in people]  # type: ignore[misc]


def _author(message: TicketMessage, names: dict[int, str]) -> str:
    if message.is_note:
        return ""  # the platform's note, shown as such
    return names.get(message.author_id, "Deleted account") if message.author_id else "Deleted account"


def detail(session: Session, *, actor: User, ticket_id: object) -> TicketDetail:
    """The ticket and its thread; NotFound unless `actor` may see it."""
    ticket = _visible(session, actor=actor, ticket_id=ticket_id)
    messages = list(session.exec(select(TicketMessage).where(TicketMessage.ticket_id == ticket.id)
                                 .order_by(col(TicketMessage.created_at), col(TicketMessage.id))).all())
    ids = [message.id for message in messages]
    attachments: dict[int, list[AttachmentView]] = {}
    for row in session.exec(select(TicketAttachment).where(col(TicketAttachment.message_id).in_(ids))
                            .order_by(col(TicketAttachment.id))).all():
        attachments.setdefault(row.message_id, []).append(
            AttachmentView(id=row.id, filename=row.filename, width=row.width, height=row.height))  # type: ignore[arg-type]
    names = _names(session, {message.author_id for message in messages if message.author_id})
    handling = can_handle(actor, ticket)
    return TicketDetail(
        summary=_summaries(session, [ticket])[0],
        messages=[MessageView(id=m.id, author=_author(m, names), from_staff=m.from_staff, body=m.body,  # type: ignore[arg-type]
                              created_at=m.created_at, attachments=attachments.get(m.id, []),  # type: ignore[arg-type]
                              is_note=m.is_note) for m in messages],
        is_requester=ticket.requester_id == actor.id,
        can_handle=handling,
        can_escalate=handling and ticket.reseller_id == actor.id and ticket.escalated_at is None
        and ticket.status is not TicketStatus.CLOSED,
        handlers=[(person.id, person.name) for person in handlers(session, ticket)] if handling else [],  # type: ignore[misc]
        assignee_id=ticket.assignee_id,
    )


def read_attachment(session: Session, *, viewer: User, attachment_id: int) -> tuple[bytes, str]:
    """A picture's bytes and version tag, for the requester and the staff handling its ticket."""
    row = session.get(TicketAttachment, attachment_id)
    message = session.get(TicketMessage, row.message_id) if row is not None else None
    if row is None or message is None:
        raise NotFound("This picture does not exist or is not yours to see.")
    try:
        _visible(session, actor=viewer, ticket_id=message.ticket_id)
    except NotFound:
        raise NotFound("This picture does not exist or is not yours to see.") from None
    try:
        with _storage().open(row.storage_key, area=AREA) as handle:
            return handle.read(), row.storage_key.removesuffix(_SUFFIX)
    except (StorageError, OSError):
        log.error("Ticket picture %s (attachment %s) is missing", row.storage_key, row.id)
        raise NotFound("This picture is missing.") from None
