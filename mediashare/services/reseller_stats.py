"""The figures a reseller runs its business on: per-customer usage (the customers page) and the
dashboard (/reseller): customers, credits distributed, the customers' consumption per week and the
customers running low.

Consumption is what left a customer's hands for actions: spends, plus holds once they are captured
(a hold's `capture` gives back any remainder, a `release` gives it all back, a refund returns a
spend), so it is minus the sum of the customer's entries of those kinds. A hold still open counts
as spent until it is settled. Weeks run Monday to Sunday in UTC.

Every figure is an aggregate over the ledger entries of the reseller's team (a recursive CTE from
services/user_admin.team_ids), bucketed in one query with CASE expressions that run the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare.errors import NotFound
from mediashare.models import (
    AuthSession,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    MediaItem,
    MediaStatus,
    Role,
    TransactionKind,
    User,
    utc_now,
)
from mediashare.services import access, payments, platform, user_admin

WEEKS = 12
LOW_BALANCE_SETTING = "low_balance_threshold"  # defined in services/platform.py
MAX_LOW_BALANCE_ROWS = 50
CONSUMED = (TransactionKind.SPEND, TransactionKind.HOLD, TransactionKind.CAPTURE, TransactionKind.RELEASE,
            TransactionKind.REFUND)
_MAX_ID = 2**31 - 1

_accounts = LedgerAccount.__table__  # type: ignore[attr-defined]
_entries = LedgerEntry.__table__  # type: ignore[attr-defined]
_transactions = LedgerTransaction.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CustomerUsage:
    """One customer's figures, as the customers page shows them."""

    user_id: int
    balance: int
    spent_30_days: int
    storage_used_bytes: int
    storage_quota_bytes: int
    items: int
    last_active_at: datetime | None


@dataclass(frozen=True)
class WeekFigure:
    starts: datetime  # Monday 00:00 UTC
    credits: int


@dataclass(frozen=True)
class LowBalance:
    user_id: int
    username: str
    display_name: str
    balance: int


@dataclass(frozen=True)
class Dashboard:
    reseller_id: int
    reseller_username: str
    reseller_name: str
    own: bool  # the actor is looking at their own business (and may top up from it)
    customers: int
    active_customers: int  # signed in or used a session in the last 30 days
    distributed_total: int  # credits transferred to customers, all time
    distributed_this_month: int  # … since the 1st of this month (UTC)
    weeks: list[WeekFigure]  # the customers' consumption, oldest week first
    low_balance: list[LowBalance]  # lowest first, at most MAX_LOW_BALANCE_ROWS
    low_balance_threshold: int
    earnings: payments.Earnings  # top-ups this reseller approved for its customers, all time
    earnings_this_month: payments.Earnings  # … since the 1st of this month (UTC)


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of `moment`'s week."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _consumed_amount() -> sa.ColumnElement:
    """The credits a customer's entry of a consuming kind took (negative when it gave some back)."""
    return -_entries.c.amount


def _last_active(ids: sa.Select | list[int]) -> sa.Select:
    """user id → when they were last seen: the later of their last sign-in and last session use."""
    seen = (
        select(AuthSession.user_id, sa.func.max(AuthSession.last_seen_at).label("seen"))
        .where(AuthSession.user_id.in_(ids)).group_by(AuthSession.user_id).subquery()  # type: ignore[attr-defined]
    )
    return (
        select(User.id, User.last_login_at, seen.c.seen)
        .outerjoin(seen, seen.c.user_id == User.id).where(User.id.in_(ids))  # type: ignore[union-attr]
    )


def _later(*moments: datetime | None) -> datetime | None:
    found = [moment for moment in moments if moment is not None]
    return max(found) if found else None


# Per customer ------------------------------------------------------------------------------------


def _managed(session: Session, actor: User, ids: list[int]) -> list[User]:
    """The accounts among `ids` that `actor` manages (never the actor), in a few queries: a reseller's
    team in one, an admin's lower roles by rank (services/access.py has the rules)."""
    if not actor.is_active:
        return []
    query = select(User).where(User.id.in_(ids), User.id != actor.id)  # type: ignore[union-attr]
    if actor.role is Role.RESELLER:
        return list(session.exec(query.where(User.id.in_(user_admin.team_ids(actor)))).all())  # type: ignore[union-attr]
    ancestors = set(access.ancestor_ids(session, actor))
    return [user for user in session.exec(query).all()
            if (user.role.rank < actor.role.rank and user.id not in ancestors)
            or (user.role is actor.role and access.can_manage(session, actor=actor, target=user))]


def usage(
    session: Session, *, actor: User, user_ids: list[int], now: datetime | None = None
) -> dict[int, CustomerUsage]:
    """Usage figures of the accounts among `user_ids` that `actor` manages (others are left out)."""
    access.require_role(actor, Role.RESELLER)
    wanted = sorted({i for i in user_ids if isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= _MAX_ID})
    if not wanted:
        return {}
    users = {user.id: user for user in _managed(session, actor, wanted[:500])}
    ids = list(users)
    if not ids:
        return {}
    since = (now or utc_now()) - timedelta(days=30)
    balances = dict(session.execute(
        sa.select(_accounts.c.user_id, _accounts.c.balance).where(_accounts.c.user_id.in_(ids))
    ).all())
    spent = dict(session.execute(
        sa.select(_accounts.c.user_id, sa.func.sum(_consumed_amount()))
        .select_from(_entries.join(_accounts, _accounts.c.id == _entries.c.account_id)
                     .join(_transactions, _transactions.c.id == _entries.c.transaction_id))
        .where(_accounts.c.user_id.in_(ids), _transactions.c.kind.in_([k.value for k in CONSUMED]),
               _transactions.c.created_at >= since)
        .group_by(_accounts.c.user_id)
    ).all())
    items = dict(session.execute(
        sa.select(MediaItem.owner_id, sa.func.count())
        .where(MediaItem.owner_id.in_(ids), MediaItem.trashed_at.is_(None),  # type: ignore[attr-defined,union-attr]
               MediaItem.status != MediaStatus.PENDING)
        .group_by(MediaItem.owner_id)
    ).all())
    seen = {row[0]: _later(row[1], row[2]) for row in session.execute(_last_active(ids)).all()}
    default_quota = int(platform.get(session, "default_storage_quota_bytes"))
    return {
        user_id: CustomerUsage(
            user_id=user_id,
            balance=int(balances.get(user_id) or 0),
            spent_30_days=int(spent.get(user_id) or 0),
            storage_used_bytes=user.storage_used_bytes,
            storage_quota_bytes=user.storage_quota_bytes if user.storage_quota_bytes is not None else default_quota,
            items=int(items.get(user_id) or 0),
            last_active_at=seen.get(user_id),
        )
        for user_id, user in users.items()
    }


# The dashboard -----------------------------------------------------------------------------------


def _reseller(session: Session, *, actor: User, reseller_id: int | None) -> User:
    """Whose dashboard: the actor's own, or (admins and superusers) a reseller they manage."""
    access.require_role(actor, Role.RESELLER)
    if reseller_id is None or reseller_id == actor.id:
        return actor
    refused = NotFound("There is no reseller dashboard for that account.")
    if actor.role.rank < Role.ADMIN.rank:
        raise refused
    if not isinstance(reseller_id, int) or isinstance(reseller_id, bool) or not 1 <= reseller_id <= _MAX_ID:
        raise refused
    reseller = session.get(User, reseller_id)
    if reseller is None or reseller.role is not Role.RESELLER or not access.can_manage(session, actor=actor,
                                                                                       target=reseller):
        raise refused
    return reseller


def dashboard(
    session: Session, *, actor: User, reseller_id: int | None = None, now: datetime | None = None
) -> Dashboard:
    """The business figures of `actor` (a reseller), or of the reseller `reseller_id` for an admin."""
    reseller = _reseller(session, actor=actor, reseller_id=reseller_id)
    now = now or utc_now()
    team = user_admin.team_ids(reseller).subquery()
    team_ids = sa.select(team.c.id)

    customers = int(session.execute(sa.select(sa.func.count()).select_from(team)).scalar_one())
    cutoff = now - timedelta(days=30)
    recent_session = sa.exists().where(AuthSession.user_id == User.id, AuthSession.last_seen_at >= cutoff)
    active = int(session.execute(
        sa.select(sa.func.count()).select_from(User)
        .where(User.id.in_(team_ids), sa.or_(User.last_login_at >= cutoff, recent_session))  # type: ignore[union-attr,operator]
    ).scalar_one())

    month = month_start(now)
    given = -_entries.c.amount
    total, this_month = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(given), 0),
                  sa.func.coalesce(sa.func.sum(sa.case((_transactions.c.created_at >= month, given), else_=0)), 0))
        .select_from(_entries.join(_accounts, _accounts.c.id == _entries.c.account_id)
                     .join(_transactions, _transactions.c.id == _entries.c.transaction_id))
        .where(_accounts.c.user_id == reseller.id, _transactions.c.kind == TransactionKind.TRANSFER.value,
               _entries.c.amount < 0)
    ).one()

    first = week_start(now) - timedelta(weeks=WEEKS - 1)
    starts = [first + timedelta(weeks=n) for n in range(WEEKS)]
    created = _transactions.c.created_at
    buckets = [
        sa.func.coalesce(sa.func.sum(sa.case(
            (sa.and_(created >= start, created < start + timedelta(weeks=1)), _consumed_amount()), else_=0)), 0)
        for start in starts
    ]
    per_week = session.execute(
        sa.select(*buckets)
        .select_from(_entries.join(_accounts, _accounts.c.id == _entries.c.account_id)
                     .join(_transactions, _transactions.c.id == _entries.c.transaction_id))
        .where(_accounts.c.user_id.in_(team_ids), _transactions.c.kind.in_([k.value for k in CONSUMED]),
               created >= first, created < starts[-1] + timedelta(weeks=1))
    ).one()

    threshold = int(platform.get(session, LOW_BALANCE_SETTING))
    balance = sa.func.coalesce(_accounts.c.balance, 0)
    low = session.execute(
        sa.select(User.id, User.username, User.display_name, balance)
        .select_from(User).outerjoin(_accounts, _accounts.c.user_id == User.id)
        .where(User.id.in_(team_ids), User.is_active.is_(True), balance < threshold)  # type: ignore[union-attr,attr-defined]
        .order_by(balance, User.username_key).limit(MAX_LOW_BALANCE_ROWS)
    ).all()

    return Dashboard(
        reseller_id=reseller.id,  # type: ignore[arg-type]
        reseller_username=reseller.username,
        reseller_name=reseller.name,
        own=reseller.id == actor.id,
        customers=customers,
        active_customers=active,
        distributed_total=int(total),
        distributed_this_month=int(this_month),
        weeks=[WeekFigure(starts=start, credits=int(value)) for start, value in zip(starts, per_week, strict=True)],
        low_balance=[LowBalance(user_id=row[0], username=row[1], display_name=row[2], balance=int(row[3]))
                     for row in low],
        low_balance_threshold=threshold,
        earnings=payments.earnings(session, reseller_id=reseller.id),  # type: ignore[arg-type]
        earnings_this_month=payments.earnings(session, reseller_id=reseller.id, since=month),  # type: ignore[arg-type]
    )
