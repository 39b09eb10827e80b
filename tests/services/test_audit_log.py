"""Reading the audit log: filters, keyset pages, and CSV cells a spreadsheet cannot run."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from mediashare.errors import PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, Role, User, utc_now
from mediashare.services import audit, audit_log, user_admin
from mediashare.services.auth import Client
from tests.factories import make_user

CLIENT = Client(ip="192.0.2.44", user_agent="pytest")


@pytest.fixture
def people(session: Session) -> dict[str, User]:
    admin = make_user(session, role=Role.ADMIN, username="auditor")
    reseller = make_user(session, role=Role.RESELLER, username="rita", parent=admin)
    customer = make_user(session, username="carl", parent=reseller)
    other = make_user(session, username="olga", parent=admin)
    return {"admin": admin, "reseller": reseller, "customer": customer, "other": other}


def _actions(page: audit_log.AuditPage) -> list[str]:
    return [entry.action for entry in page.entries]


def test_only_admins_read_the_log(people: dict[str, User], session: Session) -> None:
    for who in ("reseller", "customer"):
        with pytest.raises(PermissionDenied):
            audit_log.query(session, actor=people[who], filters=audit_log.AuditFilter())
        with pytest.raises(PermissionDenied):
            list(audit_log.csv_lines(session, actor=people[who], filters=audit_log.AuditFilter()))
        with pytest.raises(PermissionDenied):
            audit_log.record_export(session, actor=people[who], filters=audit_log.AuditFilter(), client=CLIENT)


def test_filters_by_actor_target_and_action(people: dict[str, User], session: Session) -> None:
    reseller, customer = people["reseller"], people["customer"]
    user_admin.deactivate(session, actor=reseller, user_id=customer.id, client=CLIENT)
    user_admin.reactivate(session, actor=reseller, user_id=customer.id, client=CLIENT)
    user_admin.deactivate(session, actor=people["admin"], user_id=people["other"].id, client=CLIENT)
    admin = people["admin"]

    by_actor = audit_log.query(session, actor=admin, filters=audit_log.parse_filter(actor="RITA"))
    assert _actions(by_actor) == ["user.reactivated", "user.deactivated"]  # newest first
    by_email = audit_log.query(session, actor=admin, filters=audit_log.parse_filter(actor="rita@example.com"))
    assert _actions(by_email) == _actions(by_actor)
    by_target = audit_log.query(session, actor=admin, filters=audit_log.parse_filter(target="carl"))
    assert _actions(by_target) == ["user.reactivated", "user.deactivated", "user.created"]
    both = audit_log.parse_filter(target="olga", action="user.deactivated")
    entries = audit_log.query(session, actor=admin, filters=both).entries
    assert len(entries) == 1 and entries[0].actor_label == "auditor <auditor@example.com>"
    assert entries[0].details == '{"sessions_ended": 0}' and entries[0].ip == CLIENT.ip


def test_events_of_a_deleted_account_are_still_found_by_its_name(people: dict[str, User], session: Session) -> None:
    user_admin.delete(session, actor=people["reseller"], user_id=people["customer"].id, confirm="carl", client=CLIENT)
    found = audit_log.query(session, actor=people["admin"], filters=audit_log.parse_filter(target="Carl"))
    assert _actions(found) == ["user.deleted", "user.created"]
    by_email = audit_log.query(session, actor=people["admin"],
                               filters=audit_log.parse_filter(target="carl@example.com"))
    assert _actions(by_email) == _actions(found)
    assert audit_log.query(session, actor=people["admin"], filters=audit_log.parse_filter(target="car")).entries == []


def test_date_range_is_inclusive_utc_days(people: dict[str, User], session: Session) -> None:
    today = utc_now().date()
    admin = people["admin"]
    everything = len(audit_log.query(session, actor=admin, filters=audit_log.AuditFilter()).entries)
    assert len(audit_log.query(session, actor=admin,
                               filters=audit_log.AuditFilter(since=today, until=today)).entries) == everything
    assert audit_log.query(session, actor=admin,
                           filters=audit_log.AuditFilter(until=today - timedelta(days=1))).entries == []
    assert audit_log.query(session, actor=admin,
                           filters=audit_log.AuditFilter(since=today + timedelta(days=1))).entries == []


def test_keyset_pages_walk_the_whole_log_once(people: dict[str, User], session: Session) -> None:
    for number in range(23):
        audit.record(session, action=AuditAction.SETTING_CHANGED, actor=people["admin"], details={"n": number})
    session.commit()
    total = session.exec(sa.select(sa.func.count()).select_from(AuditEvent)).one()[0]
    seen: list[int] = []
    before = None
    while True:
        page = audit_log.query(session, actor=people["admin"], filters=audit_log.AuditFilter(), before=before, limit=10)
        seen += [entry.id for entry in page.entries]
        if page.older is None:
            break
        before = page.older
    assert len(seen) == total == len(set(seen)) and seen == sorted(seen, reverse=True)


@pytest.mark.parametrize(
    "values",
    [{"action": "user.exploded"}, {"since": "21/11/2026"}, {"until": "2026-02-30"}, {"since": "2026-11-21T00:00"},
     {"since": "2026-11-22", "until": "2026-11-21"}, {"actor": "x" * 255}, {"target": ["carl"]}],
    ids=["unknown-action", "foreign-date", "impossible-date", "datetime", "reversed-range", "long-actor", "list"],
)
def test_filters_from_the_outside_are_validated(values: dict) -> None:
    with pytest.raises(ValidationFailed):
        audit_log.parse_filter(**values)


def test_parsed_filters_round_trip_through_the_query_string() -> None:
    parsed = audit_log.parse_filter(actor=" rita ", action="user.deleted", since="2026-11-01", until="2026-11-21")
    assert parsed == audit_log.AuditFilter(actor="rita", action=AuditAction.USER_DELETED,
                                           since=date(2026, 11, 1), until=date(2026, 11, 21))
    assert audit_log.parse_filter(**parsed.as_query()) == parsed


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_look_like_formulas_become_text(value: str) -> None:
    assert audit_log.safe_cell(value) == "'" + value


def test_csv_rows_are_escaped_and_defused(people: dict[str, User], session: Session) -> None:
    sneaky = Client(ip="192.0.2.1", user_agent='=HYPERLINK("http://evil.example","click"), "quoted"\nnext line')
    user_admin.edit(session, actor=people["admin"], user_id=people["other"].id, display_name='Olga, "the boss"',
                    email=people["other"].email, client=sneaky)
    text = "".join(audit_log.csv_lines(session, actor=people["admin"], filters=audit_log.parse_filter(target="olga")))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(audit_log.CSV_COLUMNS)
    edited = rows[1]
    assert edited[2] == "user.updated" and edited[5] == "192.0.2.1"
    assert edited[6] == "'" + sneaky.user_agent  # a spreadsheet shows it, never runs it
    assert '"to": "Olga, \\"the boss\\""' in edited[7]
    assert [row[2] for row in rows[1:]] == ["user.updated", "user.created"]
