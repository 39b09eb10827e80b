"""Moving credits by hand: admins grant (mint) credits to an account they manage, resellers top up
their customers from their own balance. Both go through services/ledger.py (which audits them) with
an idempotency key the caller makes once per intent (`new_key`), so a double click or a retried
event never moves credits twice.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session, select

from mediashare.errors import NotFound, PermissionDenied, ValidationFailed
from mediashare.models import LedgerTransaction, Role, User
from mediashare.services import access, ledger

MAX_NOTE_LENGTH = 120
_MAX_ID = 2**31 - 1


def new_key(kind: str) -> str:
    """A fresh idempotency key for one grant or top-up the person means to make."""
    return f"{kind}:{secrets.token_hex(16)}"


def _target(session: Session, *, actor: User, user_id: int) -> User:
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 1 <= user_id <= _MAX_ID:
        raise NotFound("That account does not exist.")
    target = session.get(User, user_id)
    if target is None:
        raise NotFound("That account does not exist (it may have just been deleted).")
    if target.id == actor.id:
        raise PermissionDenied("You cannot give credits to your own account.")
    access.require_can_manage(session, actor=actor, target=target)
    return target


def _note(note: str) -> str:
    if not isinstance(note, str):
        raise ValidationFailed("A note is text.", field="note")
    note = " ".join(note.split())
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationFailed(f"A note has at most {MAX_NOTE_LENGTH} characters.", field="note")
    return note


def _amount(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= ledger.MAX_AMOUNT:
        raise ValidationFailed(f"Give a whole number of credits from 1 to {ledger.MAX_AMOUNT:,}.", field="amount")
    return amount


def grant(session: Session, *, actor: User, user_id: int, amount: int, note: str, key: str) -> LedgerTransaction:
    """Mint `amount` new credits for an account the admin (or superuser) manages; a replayed `key`
    returns the original grant and mints nothing."""
    access.require_role(actor, Role.ADMIN)
    target = _target(session, actor=actor, user_id=user_id)
    return ledger.grant(session, actor=actor, to=target, amount=_amount(amount), key=key,
                        reference=_note(note))


def top_up(session: Session, *, actor: User, user_id: int, amount: int, note: str, key: str) -> LedgerTransaction:
    """Move `amount` of the reseller's own credits to one of its descendants; refused, with the
    balance in the sentence, when the reseller has less. A replayed `key` moves nothing again."""
    access.require_role(actor, Role.RESELLER)
    target = _target(session, actor=actor, user_id=user_id)
    amount, note = _amount(amount), _note(note)
    have = ledger.balance(session, user=actor)
    done_before = session.exec(select(LedgerTransaction.id).where(LedgerTransaction.idempotency_key == key)).first()
    if have < amount and done_before is None:  # a replayed key is answered by the ledger with the original
        raise ValidationFailed(
            f"You have {have:,} credits, so you cannot give {amount:,}. Ask for more credits first.",
            field="amount",
        )
    return ledger.transfer(session, actor=actor, to=target, amount=amount, key=key, reference=note)
