"""What was paid (admins and superusers): totals per month or week, the filtered history, a CSV.

Every figure is an exact integer (credits, and money in minor units per currency), summed over
approved requests by the day they were approved (UTC). Filters are untrusted strings (a query
string, a browser event) parsed by `parse_filter`, which the page and the CSV route share.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from mediashare.errors import ValidationFailed
from mediashare.models import AuditAction, Role, TopUpRequest, TopUpStatus, User
from mediashare.services import access, audit, audit_log, plans, users
from mediashare.services.auth import Client
from mediashare.services.payments.topups import RequestView, request_views

PAGE_SIZE = 50
EXPORT_BATCH = 1000
MAX_PERSON = 254
FILTER_FIELDS = ("status", "user", "decider", "since", "until")
CSV_COLUMNS = ("id", "created_utc", "status", "user", "plan", "credits", "amount", "currency", "provider",
               "payment_reference", "decided_by", "decided_utc", "reason", "ledger_transaction")


@dataclass(frozen=True)
class PaymentFilter:
    """Narrow the history; empty values mean "any"."""

    status: TopUpStatus | None = None
    user: str = ""  # the requester's username
    decider: str = ""  # who approved or rejected it (username)
    since: date | None = None  # created from the start of this UTC day
    until: date | None = None  # to the end of this UTC day

    def as_query(self) -> dict[str, str]:
        values = {"status": self.status.value if self.status else "", "user": self.user, "decider": self.decider,
                  "since": self.since.isoformat() if self.since else "",
                  "until": self.until.isoformat() if self.until else ""}
        return {key: value for key, value in values.items() if value}


def _day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        if len(value) != len("2026-01-31"):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed("Give dates as YYYY-MM-DD.", field=field) from None


def parse_filter(*, status: object = "", user: object = "", decider: object = "", since: object = "",
                 until: object = "") -> PaymentFilter:
    """A filter from untrusted strings; raises ValidationFailed with the field's name."""
    values = {"status": status, "user": user, "decider": decider, "since": since, "until": until}
    for name, value in values.items():
        if not isinstance(value, str) or len(value) > MAX_PERSON:
            raise ValidationFailed(f"The {name} filter must be short text.", field=name)
    status_value = str(status).strip()
    if status_value in ("", "any"):
        chosen = None
    elif status_value in {member.value for member in TopUpStatus}:
        chosen = TopUpStatus(status_value)
    else:
        raise ValidationFailed("There is no such status.", field="status")
    result = PaymentFilter(status=chosen, user=str(user).strip(), decider=str(decider).strip(),
                           since=_day(str(since).strip(), "since"), until=_day(str(until).strip(), "until"))
    if result.since and result.until and result.since > result.until:
        raise ValidationFailed("The start date is after the end date.", field="since")
    return result


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _person(session: Session, name: str) -> int:
    found = session.execute(sa.select(User.id).where(User.username_key == users.key(name))).scalar()
    return int(found) if found is not None else -1  # nobody: matches nothing


def _conditions(session: Session, filters: PaymentFilter, *, by: Any = TopUpRequest.created_at) -> list[Any]:
    conditions: list[Any] = []
    if filters.status is not None:
        conditions.append(TopUpRequest.status == filters.status)
    if filters.user:
        conditions.append(TopUpRequest.user_id == _person(session, filters.user))
    if filters.decider:
        conditions.append(TopUpRequest.decided_by_id == _person(session, filters.decider))
    if filters.since:
        conditions.append(by >= _start(filters.since))
    if filters.until:
        conditions.append(by < _start(filters.until + timedelta(days=1)))
    return conditions


# ---------------------------------------------------------------------------------------------
# Totals


@dataclass(frozen=True)
class PeriodTotal:
    """Approved top-ups in one period and currency."""

    period: str  # "2026-11" or "2026-W47"
    currency: str
    count: int
    credits: int
    amount_minor: int

    @property
    def amount(self) -> str:
        return plans.format_money(self.amount_minor, self.currency)


def period_label(moment: datetime, per: str) -> str:
    if per == "week":
        year, week, _ = moment.astimezone(UTC).isocalendar()
        return f"{year}-W{week:02d}"
    return moment.astimezone(UTC).strftime("%Y-%m")


def totals(session: Session, *, actor: User, filters: PaymentFilter = PaymentFilter(), per: str = "month"
           ) -> list[PeriodTotal]:
    """Approved top-ups summed per month (or ISO week) of approval and currency, newest first. The
    status filter is ignored (only approved ones were paid); dates apply to the approval day."""
    access.require_role(actor, Role.ADMIN)
    if per not in ("month", "week"):
        raise ValidationFailed("Totals are per month or per week.", field="per")
    approved = PaymentFilter(status=TopUpStatus.APPROVED, user=filters.user, decider=filters.decider,
                             since=filters.since, until=filters.until)
    rows = session.execute(
        sa.select(TopUpRequest.decided_at, TopUpRequest.currency, TopUpRequest.credits, TopUpRequest.amount_minor)
        .where(*_conditions(session, approved, by=TopUpRequest.decided_at))
    ).all()
    sums: dict[tuple[str, str], list[int]] = {}
    for decided_at, code, credits, amount in rows:  # exact integers; a year of top-ups is a small list
        figures = sums.setdefault((period_label(decided_at, per), code), [0, 0, 0])
        figures[0] += 1
        figures[1] += int(credits)
        figures[2] += int(amount)
    return [PeriodTotal(period=period, currency=code, count=count, credits=credits, amount_minor=amount)
            for (period, code), (count, credits, amount) in sorted(sums.items(), reverse=True)]


# ---------------------------------------------------------------------------------------------
# History and export


@dataclass(frozen=True)
class HistoryPage:
    items: list[RequestView]
    older: int | None  # pass as `before` for the next page; None on the last


def history(session: Session, *, actor: User, filters: PaymentFilter = PaymentFilter(), before: int | None = None,
            limit: int = PAGE_SIZE) -> HistoryPage:
    """Every top-up request matching `filters`, newest first, in keyset pages on the id."""
    access.require_role(actor, Role.ADMIN)
    limit = max(1, min(int(limit), 500))
    query = sa.select(TopUpRequest).where(*_conditions(session, filters))
    if before is not None:
        query = query.where(col(TopUpRequest.id) < int(before))
    items = request_views(session, query.order_by(col(TopUpRequest.id).desc()).limit(limit + 1))
    return HistoryPage(items=items[:limit], older=items[limit - 1].id if len(items) > limit else None)


def record_export(session: Session, *, actor: User, filters: PaymentFilter, client: Client) -> None:
    """Authorize an export and record who took it, with which filters (before any row is sent)."""
    access.require_role(actor, Role.ADMIN)
    audit.record(session, action=AuditAction.PAYMENTS_EXPORTED, actor=actor, ip=client.ip,
                 user_agent=client.user_agent, details={"filters": filters.as_query()})
    session.commit()


def _amount(minor: int) -> str:
    whole, cents = divmod(minor, 100)
    return f"{whole}.{cents:02d}"


def csv_lines(session: Session, *, actor: User, filters: PaymentFilter) -> Iterator[str]:
    """The export, one CSV line at a time (header first), newest request first."""
    access.require_role(actor, Role.ADMIN)
    yield audit_log.csv_line(CSV_COLUMNS)
    before: int | None = None
    while True:
        page = history(session, actor=actor, filters=filters, before=before, limit=EXPORT_BATCH)
        for item in page.items:
            yield audit_log.csv_line((
                str(item.id), item.created_at.isoformat(timespec="seconds"), item.status.value, item.username,
                item.plan_name, str(item.credits), _amount(item.amount_minor), item.currency, item.provider,
                item.payment_reference, item.decided_by,
                item.decided_at.isoformat(timespec="seconds") if item.decided_at else "", item.reason,
                str(item.transaction_id or ""),
            ))
        if page.older is None:
            return
        before = page.older
        session.expunge_all()
