"""A camera session's price is held while its pictures are stored and settled in the same request.
If that request died in between, the periodic job gives the held credits back after an hour."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session

from mediashare.jobs import credits as credit_jobs
from mediashare.jobs import schedule
from mediashare.models import ChargeStatus, CreditCharge, utc_now
from mediashare.services import credits, ledger
from tests.services.test_credit_prices import _balance, _set, _with_credits


def _age(session: Session, charge_id: int, age: timedelta) -> None:
    session.execute(update(CreditCharge).where(CreditCharge.id == charge_id)
                    .values(created_at=utc_now() - age))
    session.commit()


def test_a_hold_left_by_a_dead_request_is_released_and_a_fresh_one_is_left_alone(session: Session) -> None:
    _set(session, camera_session=5)
    user = _with_credits(session, 20)
    abandoned = credits.charge(session, user, credits.Action.CAMERA_SESSION, reference="camera:old", hold=True)
    running = credits.charge(session, user, credits.Action.CAMERA_SESSION, reference="camera:new", hold=True)
    session.commit()
    assert _balance(session, user) == 10
    _age(session, abandoned.id, timedelta(hours=2))

    assert credits.release_abandoned(session) == 1
    assert _balance(session, user) == 15  # the abandoned session's 5 came back, the running one still holds
    assert session.get(CreditCharge, abandoned.id).status is ChargeStatus.RELEASED
    assert session.get(CreditCharge, running.id).status is ChargeStatus.HELD

    credits.capture(session, running.id)  # the live request finishes normally
    session.commit()
    credits.capture(session, abandoned.id)  # a late capture of a released hold changes nothing
    session.commit()
    assert _balance(session, user) == 15
    assert credits.release_abandoned(session, now=utc_now() + timedelta(hours=3)) == 0  # settled: untouched
    assert ledger.verify(session).ok


def test_the_job_is_a_registered_periodic_task(session: Session) -> None:
    assert schedule.TASKS["release_abandoned_holds"].job == "mediashare.jobs.credits.release_abandoned_holds"
    assert credit_jobs.release_abandoned_holds() == 0
