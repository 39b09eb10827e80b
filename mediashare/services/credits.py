"""The credits hook: every priced action asks here first, inside the caller's transaction.

`charge()` checks that the actor may do the action now (an active account, enough credits for its
price), takes the price from the balance with a conditional UPDATE (never below zero) and records a
`CreditCharge`. It never commits: the action and its charge are saved together or not at all. An
action that finishes later (a full-resolution render) takes a *hold*: the job `capture`s it when the
work succeeded and `release`s it (giving the credits back) when it failed, so a failed action never
costs anything.

Credits move in the ledger (services/ledger.py) in the caller's transaction, with the charge's id
as the idempotency key ("charge:<id>"): a spend for an immediate action, a hold that the job
captures or releases for a long one. Prices are 0 until the price list exists (issue 6); a free
action still leaves its charge row, and moves nothing in the ledger (amounts there are ≥ 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, select

from mediashare.errors import PermissionDenied
from mediashare.models import ChargeStatus, CreditCharge, LedgerTransaction, User, utc_now
from mediashare.services import ledger


class Action(StrEnum):
    """The priced actions (a closed vocabulary, like audit actions)."""

    STUDIO_SAVE = "studio.save"  # one full-resolution render of an edited version


PRICES: dict[Action, int] = {Action.STUDIO_SAVE: 0}


@dataclass(frozen=True)
class Charge:
    """What `charge()` did: the charge row's id, the action and what it cost."""

    id: int
    action: Action
    amount: int
    held: bool  # True until the action's job captures or releases it


def price(session: Session, action: Action | str) -> int:
    """The credits `action` costs now (0 until the ledger's price list exists)."""
    return PRICES[Action(action)]


def charge(session: Session, actor: User, action: Action | str, *, media_id: int | None = None,
           reference: str = "", hold: bool = False) -> Charge:
    """Check `actor` may do `action` and charge its price in the caller's transaction (no commit).

    Raises PermissionDenied (inactive account) or InsufficientCredits, having changed nothing.
    With `hold`, the charge waits for `capture` or `release`; otherwise it is final at once."""
    known = Action(action)  # ValueError for an action nobody priced: a programming error
    if not actor.is_active:
        raise PermissionDenied("This account is not active.")
    amount = price(session, known)
    row = CreditCharge(account_id=actor.id, action=known.value, amount=amount,  # type: ignore[arg-type]
                       status=ChargeStatus.HELD if hold else ChargeStatus.CAPTURED, media_id=media_id,
                       reference=reference[:80], settled_at=None if hold else utc_now())
    session.add(row)
    session.flush()  # the id, for the action to point at its charge and for the ledger's key
    if amount > 0:
        move = ledger.hold if hold else ledger.spend
        try:
            move(session, actor=actor, amount=amount, key=_key(row.id), reference=reference or known.value,
                 commit=False)
        except Exception:  # InsufficientCredits and the like: the ledger moved nothing; neither do we
            session.delete(row)
            session.flush()
            raise
    return Charge(id=row.id, action=known, amount=amount, held=hold)  # type: ignore[arg-type]


def _key(charge_id: int | None) -> str:
    return f"charge:{charge_id}"


def _ledger_hold(session: Session, charge_id: int) -> LedgerTransaction | None:
    return session.exec(select(LedgerTransaction).where(LedgerTransaction.idempotency_key == _key(charge_id))).first()


def _settle(session: Session, charge_id: int | None, status: ChargeStatus) -> bool:
    if charge_id is None:
        return False
    settled = session.execute(
        update(CreditCharge).where(CreditCharge.id == charge_id, CreditCharge.status == ChargeStatus.HELD)
        .values(status=status, settled_at=utc_now())
    ).rowcount
    return settled == 1


def capture(session: Session, charge_id: int | None) -> None:
    """The held action succeeded: the credits are spent (idempotent; no commit)."""
    if _settle(session, charge_id, ChargeStatus.CAPTURED):
        held = _ledger_hold(session, charge_id)  # type: ignore[arg-type]
        if held is not None:
            ledger.capture(session, hold_id=held.id, commit=False)  # type: ignore[arg-type]


def release(session: Session, charge_id: int | None) -> None:
    """The held action failed or was withdrawn: the credits go back (idempotent; no commit)."""
    if _settle(session, charge_id, ChargeStatus.RELEASED):
        held = _ledger_hold(session, charge_id)  # type: ignore[arg-type]
        if held is not None:
            ledger.release(session, hold_id=held.id, commit=False)  # type: ignore[arg-type]
