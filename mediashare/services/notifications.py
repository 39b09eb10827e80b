"""Notifications: short messages to one user, under the bell in the top bar and optionally by email.

Every kind of notification is registered in `KINDS` (its label, what it is about, and whether it
shows in the app and goes by email when the user never chose). A user's choices are
`NotificationPreference` rows; `create` follows them.

`create` joins the caller's transaction (like `audit.record`), so a notification exists exactly when
the change it announces was committed; its email is queued only once that transaction commits
(a rollback drops it). Everything else acts on the actor's own notifications only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediashare import routes
from mediashare.errors import NotFound, ValidationFailed
from mediashare.models import Notification, NotificationPreference, User, utc_now
from mediashare.services import branding, email

RECENT_LIMIT = 50
PER_PAGE = 20
GROUP_WINDOW = timedelta(minutes=30)  # a grouped kind adds to its unread notification this recent


@dataclass(frozen=True)
class Kind:
    """One kind of notification and what a user gets when they never chose."""

    key: str
    label: str
    description: str
    in_app: bool = True
    email: bool = False
    emailable: bool = True  # False: too frequent for email; only the in-app choice is offered
    # Grouped kinds: a new one within GROUP_WINDOW of an unread one adds to it ("{n} uploads are ready").
    group_title: str = ""
    group_link: str = ""


KINDS: dict[str, Kind] = {kind.key: kind for kind in (
    Kind("processing_done", "Uploads ready", "An upload finished processing and can be viewed.",
         emailable=False, group_title="{n} uploads are ready", group_link=routes.GALLERY),
    Kind("processing_failed", "Processing failed", "An upload could not be processed.", email=True),
    Kind("new_device", "New sign-in", "Your account was signed in to from a browser or device it had not used.",
         email=True),
    Kind("low_credits", "Low credits", "A charge took your credit balance below the low-balance threshold.",
         email=True),
    Kind("topup_approved", "Top-up approved", "A top-up request of yours was approved.", email=True),
    Kind("topup_declined", "Top-up declined", "A top-up request of yours was declined.", email=True),
    Kind("ticket_reply", "Ticket replies", "Someone answered one of your support tickets.", email=True),
    Kind("ticket_moved", "Tickets moved to you", "Support tickets came to you because the reseller handling them "
         "was deactivated or removed.", email=True),
    Kind("share_viewed", "Shared link opened", "Someone opened a link you shared (at most once an hour per link)."),
    Kind("referral", "Referral bonus", "Someone joined through your invitation link and you earned credits."),
)}


@dataclass(frozen=True)
class Preference:
    """A user's effective choice for one kind (their own, or the kind's default)."""

    kind: str
    label: str
    description: str
    in_app: bool
    email: bool
    emailable: bool


@dataclass(frozen=True)
class Page:
    items: list[Notification]
    page: int  # 1-based, clamped to what exists
    pages: int  # at least 1
    total: int  # matching the filter
    unread: int  # all unread, whatever the filter


def create(session: Session, *, user: User, kind: str, title: str, body: str = "", link: str = "",
           message: email.Email | None = None) -> Notification | None:
    """Notify `user` as their preferences for `kind` say: a notification in the caller's transaction
    (the caller commits) and/or an email sent once it commits (`message`, or a generic one).
    Returns the notification, or None when the user chose not to see this kind in the app."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValueError(f"unregistered notification kind {kind!r}: add it to notifications.KINDS")
    in_app, by_email = _choice(session, user_id=_id(user), spec=spec)
    link = routes.safe_next(link) if link else ""
    notification = _grouped(session, user_id=_id(user), spec=spec) if in_app and spec.group_title else None
    if notification is not None:
        notification.repeat += 1
        notification.title = spec.group_title.format(n=notification.repeat)[:200]
        notification.body, notification.link = "", spec.group_link
        notification.created_at = utc_now()
        session.add(notification)
    elif in_app:
        notification = Notification(user_id=_id(user), kind=kind, title=title[:200], body=body[:2000], link=link)
        session.add(notification)
    if by_email and user.is_active and user.email:
        _email_after_commit(session, message or email.render(
            "notification", to=user.email, name=user.name, title=title, body=body,
            link=email.link(link) if link else "", settings_link=email.link(routes.NOTIFICATION_SETTINGS),
            brand=branding.effective(session, user),
        ))
    return notification


def recent(session: Session, *, actor: User, limit: int = RECENT_LIMIT) -> list[Notification]:
    """The actor's newest notifications, newest first."""
    return list(
        session.exec(
            select(Notification)
            .where(Notification.user_id == actor.id)
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
            .limit(max(1, min(limit, RECENT_LIMIT)))
        ).all()
    )


def page(session: Session, *, actor: User, unread_only: bool = False, page: int = 1,
         per_page: int = PER_PAGE) -> Page:
    """One page of the actor's notifications (all, or only the unread), newest first."""
    per_page = max(1, min(per_page, RECENT_LIMIT))
    where = [Notification.user_id == actor.id]
    if unread_only:
        where.append(col(Notification.read_at).is_(None))
    total = session.exec(select(sa.func.count()).select_from(Notification).where(*where)).one()
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(page, pages))
    items = session.exec(
        select(Notification).where(*where)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    return Page(items=list(items), page=page, pages=pages, total=total, unread=unread_count(session, actor=actor))


def unread_count(session: Session, *, actor: User) -> int:
    """How many of the actor's notifications are unread (one index range: cheap enough to poll)."""
    return session.exec(
        select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == actor.id, col(Notification.read_at).is_(None))
    ).one()


def mark_read(session: Session, *, actor: User, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications read (or all of them, with no id); returns how many
    changed. Someone else's notification is NotFound."""
    where = [Notification.user_id == actor.id, col(Notification.read_at).is_(None)]
    if notification_id is not None:
        notification = session.get(Notification, notification_id)
        if notification is None or notification.user_id != actor.id:
            raise NotFound("That notification does not exist.")
        where.append(Notification.id == notification_id)
    changed = session.execute(sa.update(Notification).where(*where).values(read_at=utc_now())).rowcount
    session.commit()
    return changed


def preferences(session: Session, *, actor: User) -> list[Preference]:
    """The actor's choice for every kind, in registry order."""
    chosen = {row.kind: row for row in session.exec(
        select(NotificationPreference).where(NotificationPreference.user_id == actor.id)).all()}
    return [_preference(spec, chosen.get(spec.key)) for spec in KINDS.values()]


def set_preference(session: Session, *, actor: User, kind: str, in_app: bool | None = None,
                   email: bool | None = None) -> Preference:
    """Change whether the actor sees `kind` in the app and/or gets it by email (None: unchanged)."""
    spec = KINDS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        raise ValidationFailed("There is no such kind of notification.", field="kind")
    if email and not spec.emailable:
        raise ValidationFailed(f"“{spec.label}” notifications are not sent by email.", field="email")
    row = session.get(NotificationPreference, (_id(actor), kind))
    current = _preference(spec, row)
    wanted_in_app = current.in_app if in_app is None else bool(in_app)
    wanted_email = current.email if email is None else bool(email)
    if row is None:
        row = NotificationPreference(user_id=_id(actor), kind=kind, in_app=wanted_in_app, email=wanted_email)
    else:
        row.in_app, row.email = wanted_in_app, wanted_email
    session.add(row)
    session.commit()
    return _preference(spec, row)


# Private helpers: they never commit.


def _id(user: User) -> int:
    if user.id is None:
        raise ValueError("the user is not saved yet")
    return user.id


def _preference(spec: Kind, row: NotificationPreference | None) -> Preference:
    in_app, by_email = (row.in_app, row.email) if row is not None else (spec.in_app, spec.email)
    return Preference(kind=spec.key, label=spec.label, description=spec.description, in_app=in_app,
                      email=by_email and spec.emailable, emailable=spec.emailable)


def _choice(session: Session, *, user_id: int, spec: Kind) -> tuple[bool, bool]:
    row = session.get(NotificationPreference, (user_id, spec.key))
    chosen = _preference(spec, row)
    return chosen.in_app, chosen.email


def _grouped(session: Session, *, user_id: int, spec: Kind) -> Notification | None:
    """The user's recent unread notification of a grouped kind, which a new one adds to."""
    return session.exec(
        select(Notification)
        .where(Notification.user_id == user_id, Notification.kind == spec.key, col(Notification.read_at).is_(None),
               col(Notification.created_at) >= utc_now() - GROUP_WINDOW)
        .order_by(col(Notification.created_at).desc()).limit(1)
    ).first()


_PENDING = "mediashare.notification_emails"


def _email_after_commit(session: Session, message: email.Email) -> None:
    """Send `message` once `session`'s transaction commits; forget it if it rolls back."""
    if _PENDING not in session.info:
        sa.event.listen(session, "after_commit", _send_pending)
        sa.event.listen(session, "after_rollback", _drop_pending)
    session.info.setdefault(_PENDING, []).append(message)


def _send_pending(session: Session) -> None:
    pending = session.info.get(_PENDING, [])
    while pending:
        email.send_in_background(pending.pop(0))


def _drop_pending(session: Session) -> None:
    session.info.get(_PENDING, []).clear()
