"""The credits hook: every priced action asks here first, inside the caller's transaction.

`charge()` checks that the actor may do the action now (an active account, enough credits for its
price), takes the price from the balance with a conditional UPDATE (never below zero) and records a
`CreditCharge`. It never commits: the action and its charge are saved together or not at all. An
action that finishes later (a full-resolution render) takes a *hold*: the job `capture`s it when the
work succeeded and `release`s it (giving the credits back) when it failed, so a failed action never
costs anything.

Until the ledger issue lands every price is 0, but the call, the checks and the charge row already
happen; the ledger will read prices from platform settings (`price`) and turn each capture into its
double-entry transaction with the charge id as idempotency key.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session

from mediashare.errors import InsufficientCredits, PermissionDenied
from mediashare.models import ChargeStatus, CreditCharge, User, utc_now


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
    if amount > 0:
        _debit(session, actor, amount)
    row = CreditCharge(account_id=actor.id, action=known.value, amount=amount,  # type: ignore[arg-type]
                       status=ChargeStatus.HELD if hold else ChargeStatus.CAPTURED, media_id=media_id,
                       reference=reference[:80], settled_at=None if hold else utc_now())
    session.add(row)
    session.flush()  # the id, for the action to point at its charge
    return Charge(id=row.id, action=known, amount=amount, held=hold)  # type: ignore[arg-type]


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
    _settle(session, charge_id, ChargeStatus.CAPTURED)


def release(session: Session, charge_id: int | None) -> None:
    """The held action failed or was withdrawn: the credits go back (idempotent; no commit)."""
    if _settle(session, charge_id, ChargeStatus.RELEASED):
        row = session.get(CreditCharge, charge_id)
        if row is not None and row.amount:
            _give_back(session, row.account_id, row.amount)


# The two places balances move. The ledger (issue 6) replaces them with its hold/capture/release
# (idempotency key "charge:<id>", in the caller's transaction); nothing else here changes.

def _debit(session: Session, actor: User, amount: int) -> None:
    """Take `amount` from `actor`'s balance, never below zero; InsufficientCredits changes nothing."""
    taken = session.execute(
        update(User).where(User.id == actor.id, User.credit_balance >= amount)
        .values(credit_balance=User.credit_balance - amount)
    ).rowcount
    if taken != 1:
        balance = session.get(User, actor.id).credit_balance  # type: ignore[union-attr]
        raise InsufficientCredits(balance=balance, needed=amount)


def _give_back(session: Session, account_id: int, amount: int) -> None:
    session.execute(update(User).where(User.id == account_id).values(credit_balance=User.credit_balance + amount))
