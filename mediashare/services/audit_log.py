"""Reading the audit log (admins and superusers): filtered pages, newest first, and a CSV export.

Pages use keyset pagination on the event id (`before`), so the thousandth page costs what the
first does. The export streams in batches the same way, and cells that a spreadsheet would run as
a formula are defused.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from mediashare.errors import ValidationFailed
from mediashare.models import AuditAction, AuditEvent, Role, User
from mediashare.services import access, audit, users
from mediashare.services.auth import Client

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
EXPORT_BATCH = 1000
MAX_PERSON_LENGTH = 254
CSV_COLUMNS = ("id", "time_utc", "action", "actor", "target", "ip", "user_agent", "details")
FILTER_FIELDS = ("actor", "target", "action", "since", "until")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditFilter:
    """Narrow the log; empty values mean "any"."""

    actor: str = ""  # username or email of who acted (a deleted account: as it was then)
    target: str = ""  # username or email of whom it was done to
    action: AuditAction | None = None
    since: date | None = None  # from the start of this UTC day
    until: date | None = None  # to the end of this UTC day

    def as_query(self) -> dict[str, str]:
        """The filter as query parameters (for the CSV link); `parse_filter` reads them back."""
        values = {
            "actor": self.actor,
            "target": self.target,
            "action": self.action.value if self.action else "",
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    created_at: datetime
    action: str
    actor_label: str
    target_label: str
    ip: str
    user_agent: str
    details: str  # JSON text


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    older: int | None  # pass as `before` for the next (older) page; None on the last page


def _day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        if len(value) != len("2026-01-31"):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed("Give dates as YYYY-MM-DD.", field=field) from None


def parse_filter(*, actor: object = "", target: object = "", action: object = "",
                 since: object = "", until: object = "") -> AuditFilter:
    """A filter from untrusted strings (a query string, a browser event); raises ValidationFailed."""
    values = {"actor": actor, "target": target, "action": action, "since": since, "until": until}
    for name, value in values.items():
        if not isinstance(value, str):
            raise ValidationFailed(f"The {name} filter must be text.", field=name)
    for name in ("actor", "target"):
        if len(values[name].strip()) > MAX_PERSON_LENGTH:  # type: ignore[union-attr]
            raise ValidationFailed(f"The {name} filter is too long.", field=name)
    action_value = str(action).strip()
    if action_value and action_value not in {member.value for member in AuditAction}:
        raise ValidationFailed("There is no such action.", field="action")
    result = AuditFilter(
        actor=str(actor).strip(),
        target=str(target).strip(),
        action=AuditAction(action_value) if action_value else None,
        since=_day(str(since).strip(), "since"),
        until=_day(str(until).strip(), "until"),
    )
    if result.since and result.until and result.since > result.until:
        raise ValidationFailed("The start date is after the end date.", field="since")
    return result


def _person(session: Session, text: str, id_column: Any, label_column: Any) -> Any:
    """Events of the account named `text`: by id while it exists, else by the label it had
    ("username <email>"), so events of deleted accounts stay findable."""
    found = users.find_by_login(session, text)
    if found is not None:
        return id_column == found.id
    wanted = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.or_(func.lower(label_column).like(f"{wanted} <%", escape="\\"),
                  func.lower(label_column).like(f"% <{wanted}>", escape="\\"))


def _conditions(session: Session, filters: AuditFilter) -> list[Any]:
    conditions: list[Any] = []
    if filters.actor:
        conditions.append(_person(session, filters.actor, AuditEvent.actor_id, AuditEvent.actor_label))
    if filters.target:
        conditions.append(_person(session, filters.target, AuditEvent.target_id, AuditEvent.target_label))
    if filters.action is not None:
        conditions.append(AuditEvent.action == filters.action.value)
    if filters.since is not None:
        conditions.append(AuditEvent.created_at >= datetime.combine(filters.since, time.min, tzinfo=UTC))
    if filters.until is not None:
        end = datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=UTC)
        conditions.append(AuditEvent.created_at < end)
    return conditions


def _entry(event: AuditEvent) -> AuditEntry:
    return AuditEntry(
        id=event.id,  # type: ignore[arg-type]
        created_at=event.created_at,
        action=event.action,
        actor_label=event.actor_label,
        target_label=event.target_label,
        ip=event.ip,
        user_agent=event.user_agent,
        details=json.dumps(event.details, ensure_ascii=False, sort_keys=True) if event.details else "",
    )


def _batch(session: Session, conditions: list[Any], *, before: int | None, limit: int) -> list[AuditEvent]:
    where = [*conditions, AuditEvent.id < before] if before is not None else conditions  # type: ignore[operator]
    return list(session.exec(
        select(AuditEvent).where(*where).order_by(AuditEvent.id.desc()).limit(limit)  # type: ignore[union-attr]
    ).all())


def query(
    session: Session, *, actor: User, filters: AuditFilter, before: int | None = None, limit: int = PAGE_SIZE
) -> AuditPage:
    """Events matching `filters`, newest first, older than event `before` when given."""
    access.require_role(actor, Role.ADMIN)
    if before is not None and (not isinstance(before, int) or isinstance(before, bool) or before < 1):
        raise ValidationFailed("That page does not exist.", field="before")
    if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValidationFailed(f"Show between 1 and {MAX_PAGE_SIZE} events per page.", field="limit")
    events = _batch(session, _conditions(session, filters), before=before, limit=limit + 1)
    older = events[limit - 1].id if len(events) > limit else None
    return AuditPage(entries=[_entry(event) for event in events[:limit]], older=older)


def record_export(session: Session, *, actor: User, filters: AuditFilter, client: Client) -> None:
    """Authorize an export and record who took it, with which filters (before any row is sent)."""
    access.require_role(actor, Role.ADMIN)
    audit.record(session, action=AuditAction.AUDIT_EXPORTED, actor=actor, ip=client.ip,
                 user_agent=client.user_agent, details={"filters": filters.as_query()})
    session.commit()


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: values starting like a formula get a leading quote."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def csv_line(cells: tuple[str, ...]) -> str:
    """One CSV line (CRLF) whose cells a spreadsheet shows as text (`safe_cell`)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([safe_cell(cell) for cell in cells])
    return buffer.getvalue()


def csv_lines(session: Session, *, actor: User, filters: AuditFilter) -> Iterator[str]:
    """The export, one CSV line at a time (header first), newest event first."""
    access.require_role(actor, Role.ADMIN)
    yield csv_line(CSV_COLUMNS)
    conditions = _conditions(session, filters)
    before: int | None = None
    while True:
        events = _batch(session, conditions, before=before, limit=EXPORT_BATCH)
        for event in events:
            entry = _entry(event)
            yield csv_line((
                str(entry.id), entry.created_at.isoformat(timespec="seconds"), entry.action, entry.actor_label,
                entry.target_label, entry.ip, entry.user_agent, entry.details,
            ))
        if len(events) < EXPORT_BATCH:
            return
        before = events[-1].id
        session.expunge_all()  # keep memory flat over a long export
