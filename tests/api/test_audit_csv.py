"""GET /api/admin/audit.csv: admins only, from the session cookie; filtered, streamed, audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import build_api
from mediashare.models import AuditAction, AuditEvent, Role, User
from mediashare.services import audit, audit_log, auth
from tests.factories import PASSWORD, make_user

ORIGIN = "http://localhost:8000"


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(build_api(), base_url=ORIGIN, follow_redirects=False) as client:
        yield client


def _signed_in(client: TestClient, session: Session, user: User) -> TestClient:
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    client.cookies.set(routes.SESSION_COOKIE, token)
    return client


def test_without_a_session_the_answer_is_401(client: TestClient, session: Session) -> None:
    make_user(session, role=Role.ADMIN)
    response = client.get(routes.API_AUDIT_CSV)
    assert response.status_code == 401 and "sign in" in response.text
    client.cookies.set(routes.SESSION_COOKIE, "forged-token")
    assert client.get(routes.API_AUDIT_CSV).status_code == 401


@pytest.mark.parametrize("role", [Role.USER, Role.RESELLER])
def test_below_admin_the_answer_is_403_and_nothing_is_exported(
    client: TestClient, session: Session, role: Role
) -> None:
    user = make_user(session, role=role)
    response = _signed_in(client, session, user).get(routes.API_AUDIT_CSV)
    assert response.status_code == 403 and "admin" in response.text
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "audit.exported")).all() == []


def test_a_deactivated_admin_gets_401(client: TestClient, session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    _signed_in(client, session, admin)
    admin.is_active = False
    session.commit()
    assert client.get(routes.API_AUDIT_CSV).status_code == 401


def test_an_admin_downloads_the_filtered_log_and_the_export_is_recorded(client: TestClient, session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN, username="auditor")
    make_user(session, username="carl", parent=admin)
    make_user(session, username="olga", parent=admin)
    response = _signed_in(client, session, admin).get(
        routes.API_AUDIT_CSV, params={"target": "carl", "action": "user.created"},
        headers={"User-Agent": "=cmd|' /C calc'!A0"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == list(audit_log.CSV_COLUMNS)
    assert [(row[2], row[4]) for row in rows[1:]] == [("user.created", "carl <carl@example.com>")]

    exported = session.exec(select(AuditEvent).where(AuditEvent.action == "audit.exported")).one()
    assert exported.actor_id == admin.id
    assert exported.details == {"filters": {"target": "carl", "action": "user.created"}}
    # the export itself is in the next export, with its hostile user agent defused
    again = client.get(routes.API_AUDIT_CSV, params={"action": "audit.exported"})
    line = list(csv.reader(io.StringIO(again.text)))[-1]
    assert line[6] == "'=cmd|' /C calc'!A0"


def test_bad_filters_get_400_with_a_sentence(client: TestClient, session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    response = _signed_in(client, session, admin).get(routes.API_AUDIT_CSV, params={"since": "yesterday"})
    assert response.status_code == 400 and response.text == "Give dates as YYYY-MM-DD."


def test_bad_filters_from_a_stranger_still_get_401(client: TestClient, session: Session) -> None:
    assert client.get(routes.API_AUDIT_CSV, params={"since": "yesterday"}).status_code == 401


def test_a_long_log_streams_completely(client: TestClient, session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    for number in range(audit_log.EXPORT_BATCH + 5):
        audit.record(session, action=AuditAction.SETTING_CHANGED, actor=admin, details={"n": number})
    session.commit()
    response = _signed_in(client, session, admin).get(routes.API_AUDIT_CSV,
                                                      params={"action": "platform.setting_changed"})
    rows = list(csv.reader(io.StringIO(response.text)))[1:]
    assert len(rows) == audit_log.EXPORT_BATCH + 5
    assert len({row[0] for row in rows}) == len(rows)
