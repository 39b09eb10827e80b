"""The credits hook: every priced action asks here first, inside the caller's transaction.

`charge()` checks that the actor may do the action now (an active account, enough credits for its
price), takes the price from the balance with a conditional UPDATE (never below zero) and records a
`CreditCharge`. It never commits: the action and its charge are saved together or not at all. An
action that finishes later (a full-resolution render) takes a *hold*: the job `capture`s it when the
work succeeded and `release`s it (giving the credits back) when it failed, so a failed action never
costs anything.

Credits move in the ledger (services/ledger.py) in the caller's transaction, with the charge's id
as the idempotency key ("charge:<id>"): a spend for an immediate action, a hold that the job
captures or releases for a long one. A free action still leaves its charge row, and moves nothing
in the ledger (amounts there are ≥ 1).

Prices live in the platform settings (key "credit_prices", a JSON object action → credits), edited
by admins and superusers with `set_prices` (authorized, validated, audited); an action nobody priced
there costs its default from `PRICES` (all 0). Who pays: the account the action is for. An upload
is paid by the library's owner (as its storage quota is), also when an admin or a reseller uploads
on the owner's behalf: the owner's library grows, and whoever uploads for them manages their credits.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, select

from mediashare.errors import InsufficientCredits, PermissionDenied, ValidationFailed
from mediashare.models import ChargeStatus, CreditCharge, LedgerTransaction, Role, TransactionKind, User, utc_now
from mediashare.services import access, ledger, platform


class Action(StrEnum):
    """The priced actions (a closed vocabulary, like audit actions)."""

    UPLOAD_PHOTO = "upload.photo"  # one photo stored
    UPLOAD_VIDEO_GB = "upload.video_gb"  # each started GB of a stored video
    STUDIO_SAVE = "studio.save"  # one full-resolution render of an edited version
    CAMERA_SESSION = "camera.session"  # one camera session
    SHARE_LINK = "share.link"  # one share link made
    CATALOG_PLAY = "catalog.play"  # one play window of a catalog entry (the entry's own price; this is its default)


PRICES: dict[Action, int] = {action: 0 for action in Action}  # the defaults, until an admin sets a price

LABELS: dict[Action, str] = {
    Action.UPLOAD_PHOTO: "Credits per uploaded photo",
    Action.UPLOAD_VIDEO_GB: "Credits per started GB of video uploaded",
    Action.STUDIO_SAVE: "Credits per restoration save (Studio)",
    Action.CAMERA_SESSION: "Credits per camera session",
    Action.SHARE_LINK: "Credits per share link",
    Action.CATALOG_PLAY: "Default credits per play window of a new catalog entry",
}

SETTING = "credit_prices"  # defined in services/platform.py
MAX_PRICE = 1_000_000
GB = 1024**3
_WHOLE = re.compile(r"[0-9]{1,7}")


@dataclass(frozen=True)
class Charge:
    """What `charge()` did: the charge row's id, the action and what it cost."""

    id: int
    action: Action
    amount: int
    held: bool  # True until the action's job captures or releases it


def prices(session: Session) -> dict[Action, int]:
    """Every action's price now: the stored price list over the defaults."""
    stored = platform.get(session, SETTING)
    result = dict(PRICES)
    for action in Action:
        value = stored.get(action.value)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_PRICE:
            result[action] = value
    return result


def price(session: Session, action: Action | str) -> int:
    """The credits `action` costs now (once; a video upload costs it per started GB)."""
    return prices(session)[Action(action)]


def video_gigabytes(size_bytes: int) -> int:
    """How many started GB a video of `size_bytes` counts as (at least 1)."""
    return max(1, math.ceil(size_bytes / GB))


def shortfall(needed: int, balance: int) -> str:
    """The sentence for an action the balance cannot pay for."""
    return f"needs {needed:,} credits, you have {balance:,} — top up at /top-up."


def set_prices(session: Session, *, actor: User, values: dict[str, object]) -> dict[Action, int]:
    """Change prices (admins and superusers): each a whole number from 0 to MAX_PRICE, given as an
    int or as the digits a form sends. Audited with the old and new list; commits."""
    access.require_role(actor, Role.ADMIN)
    if not isinstance(values, dict):
        raise ValidationFailed("Send the prices as a list of actions and credits.")
    new = prices(session)
    for key, value in values.items():
        try:
            action = Action(key)
        except ValueError:
            raise ValidationFailed(f"There is no priced action called {str(key)[:40]!r}.", field="action") from None
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and _WHOLE.fullmatch(text):
            text = int(text)
        if not isinstance(text, int) or isinstance(text, bool) or not 0 <= text <= MAX_PRICE:
            raise ValidationFailed(f"{LABELS[action]} must be a whole number from 0 to {MAX_PRICE:,}.",
                                   field=action.value)
        new[action] = text
    platform.set_value(session, actor=actor, key=SETTING, value={action.value: new[action] for action in Action})
    return new


def charge(session: Session, actor: User, action: Action | str, *, media_id: int | None = None,
           reference: str = "", hold: bool = False, units: int = 1, amount: int | None = None) -> Charge:
    """Check `actor` may do `action` (`units` times: a video's started GB) and charge its price in the
    caller's transaction (no commit).

    Raises PermissionDenied (inactive account) or InsufficientCredits, having changed nothing.
    With `hold`, the charge waits for `capture` or `release`; otherwise it is final at once. `amount`
    replaces the price list's price when the price belongs to the thing bought (a catalog entry's)."""
    known = Action(action)  # ValueError for an action nobody priced: a programming error
    if not actor.is_active:
        raise PermissionDenied("This account is not active.")
    if amount is None:
        amount = price(session, known) * max(1, int(units))
    elif isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_PRICE:
        raise ValueError("a charge's amount is a whole number from 0 to MAX_PRICE")
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
        except InsufficientCredits as error:  # the ledger moved nothing; neither do we
            session.delete(row)
            session.flush()
            raise InsufficientCredits(balance=error.balance, needed=error.needed,
                                      message=f"This {shortfall(error.needed, error.balance)}") from None
        except Exception:  # the ledger moved nothing; neither do we
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


# Holds an action settles in the same request that took them (not a background job): if the process
# died in between, nothing will ever capture or release them. Older than this, they are abandoned.
# (Studio renders are settled by their job, which the periodic resume queues again.)
SYNCHRONOUS_HOLDS: dict[Action, timedelta] = {Action.CAMERA_SESSION: timedelta(hours=1)}


def release_abandoned(session: Session, *, now: datetime | None = None) -> int:
    """Give back the credits of holds whose request died before settling them (a crash between
    storing a camera session's pictures and capturing its price): when we cannot tell whether the
    action succeeded, the user is not charged. Returns how many were released; commits each."""
    now = now or utc_now()
    released = 0
    for action, age in SYNCHRONOUS_HOLDS.items():
        stale = session.exec(select(CreditCharge.id).where(
            CreditCharge.action == action.value, CreditCharge.status == ChargeStatus.HELD,
            CreditCharge.created_at < now - age).order_by(CreditCharge.id)).all()
        for charge_id in stale:
            release(session, charge_id)  # idempotent: a request settling it now makes this a no-op
            session.commit()
            released += 1
    return released


def refund_charge(session: Session, charge_id: int | None) -> bool:
    """Give back what one immediate charge took (an action that failed after it was paid for).
    Idempotent; no commit. True when something went back."""
    if charge_id is None:
        return False
    settled = session.execute(
        update(CreditCharge).where(CreditCharge.id == charge_id, CreditCharge.status == ChargeStatus.CAPTURED)
        .values(status=ChargeStatus.RELEASED, settled_at=utc_now())
    ).rowcount
    if settled != 1:
        return False
    spent = _ledger_hold(session, charge_id)  # the ledger transaction keyed by this charge
    if spent is not None and spent.kind is TransactionKind.SPEND:
        ledger.refund(session, actor=None, transaction_id=spent.id, commit=False)  # type: ignore[arg-type]
    return True


def refund_media(session: Session, media_id: int | None) -> None:
    """An item that was paid for never came to be (an upload that died before its file was kept):
    give back what its immediate charges took (idempotent; no commit)."""
    if media_id is None:
        return
    paid = session.exec(select(CreditCharge).where(CreditCharge.media_id == media_id,
                                                   CreditCharge.status == ChargeStatus.CAPTURED)).all()
    for row in paid:
        row.status, row.settled_at = ChargeStatus.RELEASED, utc_now()
        spent = _ledger_hold(session, row.id)  # the ledger transaction keyed by this charge
        if spent is not None and spent.kind is TransactionKind.SPEND:
            ledger.refund(session, actor=None, transaction_id=spent.id, commit=False)  # type: ignore[arg-type]
    session.flush()
