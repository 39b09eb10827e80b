"""The credits hook: checks and charges inside the caller's transaction; holds are captured or
released exactly once; a refused or failed action costs nothing (both databases)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, func, select

from mediashare.errors import InsufficientCredits, PermissionDenied
from mediashare.models import CreditCharge, MediaVersion, User
from mediashare.services import credits, ledger, studio_versions
from tests.factories import make_user
from tests.services.test_media import stored

CROP = json.dumps([{"op": "crop", "x": 0, "y": 0, "w": 100, "h": 100}])


@pytest.fixture
def priced(monkeypatch: pytest.MonkeyPatch) -> int:
    """A studio save costs 3 credits by default (no price list stored)."""
    monkeypatch.setitem(credits.PRICES, credits.Action.STUDIO_SAVE, 3)
    return 3


def _with_credits(session: Session, amount: int) -> User:
    """An account holding `amount` credits, granted through the ledger by the platform."""
    user = make_user(session)
    ledger.grant(session, actor=None, to=user, amount=amount)
    return user


def _balance(session: Session, user: User) -> int:
    session.expire_all()
    return ledger.balance(session, user=session.get(User, user.id))


def _charges(session: Session) -> list[CreditCharge]:
    """The studio saves' charges (uploading the test photo leaves its own, free, charge row)."""
    return list(session.exec(select(CreditCharge).where(CreditCharge.action == credits.Action.STUDIO_SAVE.value)))


def test_a_free_action_still_records_its_charge_in_the_callers_transaction(session: Session) -> None:
    user = make_user(session)
    paid = credits.charge(session, user, "studio.save", reference="test")
    assert (paid.action, paid.amount, paid.held) == (credits.Action.STUDIO_SAVE, 0, False)
    session.rollback()  # the caller's action failed: its charge goes with it
    assert _charges(session) == []
    credits.charge(session, user, credits.Action.STUDIO_SAVE, hold=True)
    session.commit()
    assert [row.status.value for row in _charges(session)] == ["held"]


def test_a_price_is_taken_from_the_balance_and_never_below_zero(session: Session, priced: int) -> None:
    user = _with_credits(session, 5)
    credits.charge(session, user, credits.Action.STUDIO_SAVE)
    session.commit()
    assert _balance(session, user) == 2
    with pytest.raises(InsufficientCredits, match="This needs 3 credits, you have 2 — top up at /top-up"):
        credits.charge(session, user, credits.Action.STUDIO_SAVE)
    session.rollback()
    assert _balance(session, user) == 2 and len(_charges(session)) == 1


def test_a_hold_is_released_once_or_captured_once(session: Session, priced: int) -> None:
    user = _with_credits(session, 10)
    released = credits.charge(session, user, credits.Action.STUDIO_SAVE, hold=True)
    captured = credits.charge(session, user, credits.Action.STUDIO_SAVE, hold=True)
    session.commit()
    assert _balance(session, user) == 4
    for _ in range(2):  # retried jobs settle again: nothing changes the second time
        credits.release(session, released.id)
        credits.capture(session, captured.id)
        credits.release(session, captured.id)
        session.commit()
    assert _balance(session, user) == 7
    assert {row.id: row.status.value for row in _charges(session)} == {released.id: "released",
                                                                       captured.id: "captured"}


def test_inactive_accounts_and_unknown_actions_are_refused(session: Session) -> None:
    user = make_user(session)
    with pytest.raises(ValueError):
        credits.charge(session, user, "print.poster")
    user.is_active = False
    with pytest.raises(PermissionDenied):
        credits.charge(session, user, credits.Action.STUDIO_SAVE)
    session.rollback()
    assert _charges(session) == []


def test_a_save_without_enough_credits_stores_nothing(session: Session, priced: int) -> None:
    owner = _with_credits(session, 2)
    item = stored(session, owner)
    with pytest.raises(InsufficientCredits):
        studio_versions.save_version(session, owner, item.id, CROP)
    assert session.exec(select(func.count()).select_from(MediaVersion)).one() == 0
    assert _charges(session) == [] and _balance(session, owner) == 2


def test_a_save_that_fails_after_charging_charges_nothing(session: Session, priced: int,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    owner = _with_credits(session, 10)
    item = stored(session, owner)

    def broken_audit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(studio_versions.audit, "record", broken_audit)
    with pytest.raises(RuntimeError):
        studio_versions.save_version(session, owner, item.id, CROP)
    assert session.exec(select(func.count()).select_from(MediaVersion)).one() == 0
    assert _charges(session) == [] and _balance(session, owner) == 10


def test_a_rendered_save_keeps_its_price_and_a_deleted_pending_one_gives_it_back(
        session: Session, priced: int) -> None:
    owner = _with_credits(session, 10)
    item = stored(session, owner)
    from mediashare.jobs import queue

    studio_versions.save_version(session, owner, item.id, CROP)
    queue.drain_local()
    assert _balance(session, owner) == 7
    pending = MediaVersion(media_id=item.id, number=9, ops=json.loads(CROP))
    session.add(pending)
    session.flush()
    pending.charge_id = credits.charge(session, owner, credits.Action.STUDIO_SAVE, hold=True).id
    session.commit()
    assert _balance(session, owner) == 4
    studio_versions.delete_version(session, owner, item.id, pending.id)
    assert _balance(session, owner) == 7
