"""GET /api/admin/payments.csv: admins only, from the session cookie; filtered, defused, audited.
Also the figures behind the payments page (totals per period, filtered history)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.api import build_api
from mediashare.errors import PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, Role, TopUpRequest, User
from mediashare.services import auth, ledger
from mediashare.services.payments import reports, topups
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


@pytest.fixture
def paid(session: Session) -> dict[str, object]:
    """Three approved top-ups (two in October, one in November), one rejected, one pending."""
    admin = make_user(session, role=Role.ADMIN, username="payadmin")
    reseller = make_user(session, role=Role.RESELLER, parent=admin, username="payseller")
    customer = make_user(session, parent=reseller, username="paycustomer")
    ledger.grant(session, actor=admin, to=reseller, amount=1000, key="seed")
    ids = []
    for credits, reference, when in ((50, "=HYPERLINK(evil)", datetime(2026, 10, 3, tzinfo=UTC)),
                                     (20, "B-2", datetime(2026, 10, 30, tzinfo=UTC)),
                                     (30, "B-3", datetime(2026, 11, 2, tzinfo=UTC))):
        request = topups.request_credits(session, actor=customer, credits=credits).request
        topups.approve(session, actor=reseller, request_id=request.id, reference=reference)
        session.execute(sa.update(TopUpRequest).where(TopUpRequest.id == request.id)
                        .values(decided_at=when, created_at=when))
        ids.append(request.id)
    session.commit()
    declined = topups.request_credits(session, actor=customer, credits=5).request
    topups.reject(session, actor=admin, request_id=declined.id, reason="No money")
    topups.request_credits(session, actor=customer, credits=7)
    return {"admin": admin, "reseller": reseller, "customer": customer, "ids": ids}


def test_totals_per_month_and_week_count_only_approved_top_ups(session: Session, paid: dict) -> None:
    months = reports.totals(session, actor=paid["admin"])
    assert [(t.period, t.count, t.credits, t.amount) for t in months] == [
        ("2026-11", 1, 30, "3.00 EUR"), ("2026-10", 2, 70, "7.00 EUR")]
    weeks = reports.totals(session, actor=paid["admin"], per="week",
                           filters=reports.parse_filter(since="2026-10-01", until="2026-10-31"))
    assert [(t.period, t.credits) for t in weeks] == [("2026-W44", 20), ("2026-W40", 50)]
    with pytest.raises(PermissionDenied):
        reports.totals(session, actor=paid["reseller"])


def test_the_history_filters_by_status_people_and_dates(session: Session, paid: dict) -> None:
    admin = paid["admin"]
    assert len(reports.history(session, actor=admin).items) == 5
    rejected = reports.history(session, actor=admin, filters=reports.parse_filter(status="rejected")).items
    assert [(r.credits, r.reason, r.decided_by) for r in rejected] == [(5, "No money", "payadmin")]
    by_reseller = reports.history(session, actor=admin, filters=reports.parse_filter(decider="PaySeller")).items
    assert len(by_reseller) == 3
    october = reports.history(session, actor=admin, filters=reports.parse_filter(since="2026-10-01",
                                                                                 until="2026-10-31")).items
    assert sorted(r.credits for r in october) == [20, 50]
    assert reports.history(session, actor=admin, filters=reports.parse_filter(user="nobody")).items == []
    for bad in ({"status": "paid"}, {"since": "yesterday"}, {"since": "2026-11-02", "until": "2026-11-01"}):
        with pytest.raises(ValidationFailed):
            reports.parse_filter(**bad)


def test_without_a_session_the_answer_is_401(client: TestClient, session: Session) -> None:
    make_user(session, role=Role.ADMIN)
    assert client.get(routes.API_PAYMENTS_CSV).status_code == 401
    client.cookies.set(routes.SESSION_COOKIE, "forged-token")
    assert client.get(routes.API_PAYMENTS_CSV).status_code == 401


@pytest.mark.parametrize("role", [Role.USER, Role.RESELLER])
def test_below_admin_the_answer_is_403_and_nothing_is_exported(
    client: TestClient, session: Session, paid: dict, role: Role
) -> None:
    user = paid["reseller"] if role is Role.RESELLER else paid["customer"]
    response = _signed_in(client, session, user).get(routes.API_PAYMENTS_CSV)
    assert response.status_code == 403 and "B-2" not in response.text
    assert session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.PAYMENTS_EXPORTED)).all() == []


def test_an_admin_downloads_the_filtered_history_defused_and_the_export_is_recorded(
    client: TestClient, session: Session, paid: dict
) -> None:
    signed_in = _signed_in(client, session, paid["admin"])
    response = signed_in.get(routes.API_PAYMENTS_CSV, params={"status": "approved", "until": "2026-10-31"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == list(reports.CSV_COLUMNS)
    assert [(row[2], row[3], row[5], row[6], row[9]) for row in rows[1:]] == [
        ("approved", "paycustomer", "20", "2.00", "B-2"),
        ("approved", "paycustomer", "50", "5.00", "'=HYPERLINK(evil)"),
    ]
    exported = session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.PAYMENTS_EXPORTED)).one()
    assert exported.actor_id == paid["admin"].id and exported.details["filters"]["status"] == "approved"
    assert signed_in.get(routes.API_PAYMENTS_CSV, params={"since": "last week"}).status_code == 400
