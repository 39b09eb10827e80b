"""The audit log is append-only, enforced by the database itself."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare.models import AuditAction, AuditEvent
from mediashare.services import audit
from tests.factories import make_user


def test_events_record_actor_target_and_details(session: Session) -> None:
    user = make_user(session)
    audit.record(session, action=AuditAction.SETTING_CHANGED, actor=user, target=None,
                 ip="192.0.2.1", details={"key": "site_name", "to": "<b>x</b>"})
    session.commit()
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "platform.setting_changed")).one()
    assert event.actor_id == user.id and event.actor_label.startswith(user.username)
    assert event.details == {"key": "site_name", "to": "<b>x</b>"}
    assert event.created_at.tzinfo is not None


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events"])
def test_the_database_refuses_to_change_or_remove_events(session: Session, statement: str) -> None:
    make_user(session)  # records user.created
    count = len(session.exec(select(AuditEvent)).all())
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        session.execute(sa.text(statement))
    session.rollback()
    assert len(session.exec(select(AuditEvent)).all()) == count
    assert "forged" not in session.exec(select(AuditEvent.action)).all()
