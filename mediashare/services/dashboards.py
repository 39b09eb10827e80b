"""The figures of the live dashboards: the platform at a glance for admins and superusers (/admin),
and one person's own library, credits and activity for everyone signed in (/dashboard).

Every figure is an aggregate query that stays fast on a big platform (100,000 users, 1,000,000
items; bench/dashboards.py times them): counts by group run on narrow indexes (migration 0026:
users by role/status with their storage, uploads by day, sessions by last use, an actor's audit
events), and the 30-day series read only their 30 days through a time index, bucketed by UTC day
in the database (one row per day, never one per item). Days without activity are filled with 0
here, so a chart always has 30 bars.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from mediashare.jobs import queue
from mediashare.models import (
    AuditEvent,
    AuthSession,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    MediaItem,
    MediaKind,
    MediaStatus,
    Role,
    SystemAccount,
    TransactionKind,
    User,
    utc_now,
)
from mediashare.services import access, ingest
from mediashare.settings import get_settings

DAYS = 30
RECENT_ROWS = 8
ONLINE_MINUTES = 15  # "online now": a session used in the last quarter of an hour
MINTED = (TransactionKind.GRANT, TransactionKind.BONUS, TransactionKind.PLAN)
# What leaves a user's hands for an action: spends and holds (a capture or release settles a hold,
# a refund returns a spend; those give credits back, so they count negative).
CONSUMING = (TransactionKind.SPEND, TransactionKind.HOLD, TransactionKind.CAPTURE, TransactionKind.RELEASE,
             TransactionKind.REFUND)

_shared: tuple[float, AdminDashboard] | None = None  # the latest admin figures (monotonic time, figures)
_shared_lock = threading.Lock()

_users = User.__table__  # type: ignore[attr-defined]
_items = MediaItem.__table__  # type: ignore[attr-defined]
_sessions = AuthSession.__table__  # type: ignore[attr-defined]
_audit = AuditEvent.__table__  # type: ignore[attr-defined]
_accounts = LedgerAccount.__table__  # type: ignore[attr-defined]
_entries = LedgerEntry.__table__  # type: ignore[attr-defined]
_transactions = LedgerTransaction.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RoleCount:
    role: Role
    active: int
    inactive: int


@dataclass(frozen=True)
class DayFigure:
    day: date
    value: int


@dataclass(frozen=True)
class UploadDay:
    day: date
    items: int
    bytes: int


@dataclass(frozen=True)
class KindFigure:
    kind: MediaKind
    items: int
    bytes: int


@dataclass(frozen=True)
class CreditDay:
    day: date
    issued: int
    spent: int


@dataclass(frozen=True)
class Activity:
    """One audit event, as a dashboard lists it."""

    id: int
    created_at: datetime
    action: str
    actor_label: str
    target_label: str


@dataclass(frozen=True)
class JobFailureRow:
    job: str
    error: str
    failed_at: datetime | None


@dataclass(frozen=True)
class AdminDashboard:
    generated_at: datetime
    users: list[RoleCount]  # every role, most powerful first
    total_users: int
    active_users: int
    signups: list[DayFigure]  # the last DAYS days, oldest first (today last)
    uploads: list[UploadDay]
    bytes_by_kind: list[KindFigure]  # uploaded in the last DAYS days, every kind
    storage_used_bytes: int  # originals kept by everyone (trash included)
    credits: list[CreditDay]
    credits_in_circulation: int  # held by users now
    active_sessions: int  # signed-in browsers whose session is still valid
    online_now: int  # … used in the last ONLINE_MINUTES minutes
    queue: queue.QueueStats
    job_failures: list[JobFailureRow]
    failed_items: int  # items whose processing failed (the original is kept)
    audit: list[Activity]  # newest first


@dataclass(frozen=True)
class RecentItem:
    id: int
    title: str
    kind: MediaKind
    size_bytes: int
    uploaded_at: datetime
    status: MediaStatus


@dataclass(frozen=True)
class UserDashboard:
    generated_at: datetime
    storage_used_bytes: int
    storage_quota_bytes: int
    items_by_kind: list[KindFigure]  # in the library (not in the trash), every kind
    in_trash: int
    recent_uploads: list[RecentItem]  # newest first
    balance: int
    spending: list[DayFigure]  # credits consumed per day, the last DAYS days, oldest first
    spent_30_days: int
    activity: list[Activity]  # what this person did, newest first


# Days --------------------------------------------------------------------------------------------


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _utc_day(session: Session, column: Any) -> Any:
    """The UTC calendar day of a timestamp column, computed by the database."""
    if _is_postgresql(session):
        return sa.cast(sa.func.timezone("UTC", column), sa.Date)
    return sa.func.date(column)  # SQLite keeps UTC text: "YYYY-MM-DD HH:MM:SS"


def _as_day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _window(now: datetime) -> tuple[datetime, list[date]]:
    """The first moment of the window (midnight UTC DAYS - 1 days ago) and its days, oldest first."""
    first = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=DAYS - 1)
    return first, [(first + timedelta(days=n)).date() for n in range(DAYS)]


def _per_day(session: Session, query: sa.Select, days: list[date]) -> dict[date, tuple]:
    """Run a query whose first column is a day; its other columns by day (missing days left out)."""
    wanted = set(days)
    rows: dict[date, tuple] = {}
    for row in session.execute(query).all():
        day = _as_day(row[0])
        if day in wanted:
            rows[day] = tuple(int(value or 0) for value in row[1:])
    return rows


def _activity(query: sa.Select, session: Session) -> list[Activity]:
    return [Activity(id=row.id, created_at=row.created_at, action=row.action, actor_label=row.actor_label,
                     target_label=row.target_label) for row in session.execute(query).all()]


def _audit_columns() -> sa.Select:
    return sa.select(AuditEvent.id, AuditEvent.created_at, AuditEvent.action, AuditEvent.actor_label,
                     AuditEvent.target_label)


# Admin -------------------------------------------------------------------------------------------


def users_by_role(session: Session) -> tuple[list[RoleCount], int]:
    """Accounts by role and status, and the storage everyone uses, in one index-only scan of
    dx_users_role_active_storage."""
    rows = session.execute(
        sa.select(_users.c.role, _users.c.is_active, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(_users.c.storage_used_bytes), 0))
        .group_by(_users.c.role, _users.c.is_active)
    ).all()
    counts = {(Role(row[0]), bool(row[1])): int(row[2]) for row in rows}
    by_role = [RoleCount(role=role, active=counts.get((role, True), 0), inactive=counts.get((role, False), 0))
               for role in Role]
    return by_role, sum(int(row[3]) for row in rows)


def signups(session: Session, *, now: datetime) -> list[DayFigure]:
    first, days = _window(now)
    day = _utc_day(session, _users.c.created_at)
    rows = _per_day(session, sa.select(day, sa.func.count()).where(_users.c.created_at >= first).group_by(day), days)
    return [DayFigure(day=d, value=rows.get(d, (0,))[0]) for d in days]


def uploads(session: Session, *, now: datetime) -> tuple[list[UploadDay], list[KindFigure]]:
    """Items uploaded per day, and items and bytes per kind, over the window (receiving ones left out)."""
    first, days = _window(now)
    day = _utc_day(session, _items.c.uploaded_at)
    recent = sa.and_(_items.c.uploaded_at >= first, _items.c.status != MediaStatus.PENDING.value)
    rows = session.execute(
        sa.select(day, _items.c.kind, sa.func.count(), sa.func.coalesce(sa.func.sum(_items.c.size_bytes), 0))
        .where(recent).group_by(day, _items.c.kind)
    ).all()
    per_day: dict[date, list[int]] = {}
    per_kind: dict[str, list[int]] = {}
    for raw_day, kind, count, size in rows:
        bucket = per_day.setdefault(_as_day(raw_day), [0, 0])
        bucket[0] += int(count)
        bucket[1] += int(size)
        totals = per_kind.setdefault(kind, [0, 0])
        totals[0] += int(count)
        totals[1] += int(size)
    return (
        [UploadDay(day=d, items=per_day.get(d, [0, 0])[0], bytes=per_day.get(d, [0, 0])[1]) for d in days],
        [KindFigure(kind=kind, items=per_kind.get(kind.value, [0, 0])[0], bytes=per_kind.get(kind.value, [0, 0])[1])
         for kind in MediaKind],
    )


def _first_id_since(session: Session, first: datetime) -> int:
    """A transaction id at or before the first one of the window (found through the created_at
    index): ids follow time, give or take transactions committed concurrently (the margin), so the
    entries before it need not be read."""
    first_id = session.execute(sa.select(_transactions.c.id).where(_transactions.c.created_at >= first)
                               .order_by(_transactions.c.created_at).limit(1)).scalar()
    return max(0, int(first_id) - 1000) if first_id is not None else 0


def credits(session: Session, *, now: datetime) -> list[CreditDay]:
    """Credits issued (grants, bonuses, plan allotments) and consumed (what reached the consumption
    account, net of refunds) per day."""
    first, days = _window(now)
    day = _utc_day(session, _transactions.c.created_at)
    issued = _per_day(session, sa.select(day, sa.func.sum(_transactions.c.amount)).where(
        _transactions.c.created_at >= first, _transactions.c.kind.in_([kind.value for kind in MINTED])
    ).group_by(day), days)
    # The consumption account's entries of the window's transactions: a range of its
    # (account_id, id) index from the window's first entry on, each joined to its transaction's day.
    first_entry = session.execute(
        sa.select(_entries.c.id).where(_entries.c.transaction_id >= _first_id_since(session, first))
        .order_by(_entries.c.transaction_id).limit(1)
    ).scalar()
    spent = _per_day(session, sa.select(day, sa.func.sum(_entries.c.amount)).select_from(
        _entries.join(_transactions, _transactions.c.id == _entries.c.transaction_id)
    ).where(
        _entries.c.account_id == SystemAccount.CONSUMPTION.account_id, _entries.c.id >= (first_entry or 0),
        _transactions.c.created_at >= first,
    ).group_by(day), days)
    return [CreditDay(day=d, issued=issued.get(d, (0,))[0], spent=spent.get(d, (0,))[0]) for d in days]


def in_circulation(session: Session) -> int:
    return int(session.execute(sa.select(sa.func.coalesce(sa.func.sum(_accounts.c.balance), 0))
                               .where(_accounts.c.user_id.is_not(None))).scalar_one())


def sessions_now(session: Session, *, now: datetime) -> tuple[int, int]:
    """(valid sessions, sessions used in the last ONLINE_MINUTES minutes), as services/auth.py judges
    a session valid: not revoked, not past its expiry, used within the idle limit."""
    idle_since = now - timedelta(minutes=get_settings().session_idle_minutes)
    online_since = now - timedelta(minutes=ONLINE_MINUTES)
    seen = _sessions.c.last_seen_at
    valid, online = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(sa.case((seen > online_since, 1), else_=0)), 0))
        .where(seen > idle_since, _sessions.c.revoked_at.is_(None), _sessions.c.expires_at > now)
    ).one()
    return int(valid), int(online)


def failed_items(session: Session) -> int:
    return int(session.execute(sa.select(sa.func.count()).select_from(_items)
                               .where(_items.c.status == MediaStatus.FAILED.value)).scalar_one())


def recent_audit(session: Session, *, limit: int = RECENT_ROWS) -> list[Activity]:
    return _activity(_audit_columns().order_by(AuditEvent.id.desc()).limit(limit), session)  # type: ignore[union-attr]


def admin_dashboard(
    session: Session, *, actor: User, now: datetime | None = None, max_age: float = 0.0
) -> AdminDashboard:
    """The whole platform's figures (admins and superusers). With `max_age` (seconds), figures this
    process computed that recently for any admin are reused: they are the same for every admin, so
    many open dashboards cost one computation per refresh."""
    global _shared
    access.require_role(actor, Role.ADMIN)
    if max_age > 0 and now is None:
        with _shared_lock:
            cached = _shared
        if cached is not None and time.monotonic() - cached[0] < max_age:
            return cached[1]
    board = _admin_figures(session, now=now or utc_now())
    with _shared_lock:
        _shared = (time.monotonic(), board)
    return board


def _admin_figures(session: Session, *, now: datetime) -> AdminDashboard:
    by_role, storage = users_by_role(session)
    upload_days, by_kind = uploads(session, now=now)
    valid, online = sessions_now(session, now=now)
    return AdminDashboard(
        generated_at=now,
        users=by_role,
        total_users=sum(row.active + row.inactive for row in by_role),
        active_users=sum(row.active for row in by_role),
        signups=signups(session, now=now),
        uploads=upload_days,
        bytes_by_kind=by_kind,
        storage_used_bytes=storage,
        credits=credits(session, now=now),
        credits_in_circulation=in_circulation(session),
        active_sessions=valid,
        online_now=online,
        queue=queue.stats(),
        job_failures=[JobFailureRow(job=f.job, error=f.error, failed_at=f.failed_at)
                      for f in queue.recent_failures(limit=5)],
        failed_items=failed_items(session),
        audit=recent_audit(session),
    )


# One person ----------------------------------------------------------------------------------------


def user_dashboard(session: Session, *, actor: User, now: datetime | None = None) -> UserDashboard:
    """The signed-in person's own figures (nobody else's: there is no user to choose)."""
    now = now or utc_now()
    first, days = _window(now)
    counts: dict[tuple[str, bool], tuple[int, int]] = {
        (row[0], bool(row[1])): (int(row[2]), int(row[3])) for row in session.execute(
            sa.select(_items.c.kind, _items.c.trashed_at.is_not(None), sa.func.count(),
                      sa.func.coalesce(sa.func.sum(_items.c.size_bytes), 0))
            .where(_items.c.owner_id == actor.id, _items.c.status != MediaStatus.PENDING.value)
            .group_by(_items.c.kind, _items.c.trashed_at.is_not(None))
        ).all()
    }
    recent = session.execute(
        sa.select(_items.c.id, _items.c.title, _items.c.original_filename, _items.c.kind, _items.c.size_bytes,
                  _items.c.uploaded_at, _items.c.status)
        .where(_items.c.owner_id == actor.id, _items.c.trashed_at.is_(None),
               _items.c.status != MediaStatus.PENDING.value)
        .order_by(_items.c.uploaded_at.desc(), _items.c.id.desc()).limit(RECENT_ROWS)
    ).all()
    account = session.execute(sa.select(_accounts.c.id, _accounts.c.balance)
                              .where(_accounts.c.user_id == actor.id)).first()
    spending: dict[date, tuple] = {}
    if account is not None:
        day = _utc_day(session, _transactions.c.created_at)
        spending = _per_day(session, sa.select(day, sa.func.sum(-_entries.c.amount)).select_from(
            _entries.join(_transactions, _transactions.c.id == _entries.c.transaction_id)
        ).where(
            _entries.c.account_id == account[0], _transactions.c.created_at >= first,
            _transactions.c.kind.in_([kind.value for kind in CONSUMING]),
        ).group_by(day), days)
    per_day = [DayFigure(day=d, value=spending.get(d, (0,))[0]) for d in days]
    # dx_audit_events_actor_id_id (migration 0026) reads only this person's latest events.
    activity = _activity(_audit_columns().where(AuditEvent.actor_id == actor.id)
                         .order_by(AuditEvent.id.desc()).limit(RECENT_ROWS), session)  # type: ignore[union-attr]
    return UserDashboard(
        generated_at=now,
        storage_used_bytes=actor.storage_used_bytes,
        storage_quota_bytes=ingest.quota_for(session, actor),
        items_by_kind=[KindFigure(kind=kind, items=counts.get((kind.value, False), (0, 0))[0],
                                  bytes=counts.get((kind.value, False), (0, 0))[1]) for kind in MediaKind],
        in_trash=sum(value[0] for (kind, trashed), value in counts.items() if trashed),
        recent_uploads=[RecentItem(id=row[0], title=row[1] or row[2], kind=MediaKind(row[3]), size_bytes=int(row[4]),
                                   uploaded_at=row[5], status=MediaStatus(row[6])) for row in recent],
        balance=int(account[1]) if account is not None else 0,
        spending=per_day,
        spent_30_days=sum(figure.value for figure in per_day),
        activity=activity,
    )
