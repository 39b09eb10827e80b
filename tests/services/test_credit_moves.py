"""Granting and topping up by hand: who may, the refusals people read, and one movement per key."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from mediashare.errors import NotFound, PermissionDenied, ValidationFailed
from mediashare.models import AuditAction, AuditEvent, LedgerTransaction, Role
from mediashare.services import credit_moves, ledger
from tests.factories import make_user


def test_an_admin_grant_happens_once_per_key(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    key = credit_moves.new_key("grant")
    first = credit_moves.grant(session, actor=admin, user_id=reseller.id, amount=1000, note="  launch  bonus ",
                               key=key)
    again = credit_moves.grant(session, actor=admin, user_id=reseller.id, amount=1000, note="launch bonus", key=key)
    assert again.id == first.id and first.reference == "launch bonus"
    assert ledger.balance(session, user=reseller) == 1000
    assert session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.CREDITS_GRANTED)).one()
    assert credit_moves.new_key("grant") != key


def test_only_admins_grant_and_only_to_accounts_they_manage(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    fellow = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    customer = make_user(session, parent=reseller)
    with pytest.raises(PermissionDenied):
        credit_moves.grant(session, actor=reseller, user_id=customer.id, amount=5, note="", key="k1")
    with pytest.raises(PermissionDenied):
        credit_moves.grant(session, actor=admin, user_id=fellow.id, amount=5, note="", key="k2")
    with pytest.raises(PermissionDenied, match="your own account"):
        credit_moves.grant(session, actor=admin, user_id=admin.id, amount=5, note="", key="k3")
    with pytest.raises(NotFound):
        credit_moves.grant(session, actor=admin, user_id=999_999, amount=5, note="", key="k4")
    with pytest.raises(ValidationFailed, match="whole number"):
        credit_moves.grant(session, actor=admin, user_id=customer.id, amount=0, note="", key="k5")
    assert session.exec(select(LedgerTransaction)).all() == []


def test_a_reseller_tops_up_its_customers_from_its_own_balance_once_per_key(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    customer = make_user(session, parent=reseller)
    ledger.grant(session, actor=admin, to=reseller, amount=150)
    key = credit_moves.new_key("topup")
    first = credit_moves.top_up(session, actor=reseller, user_id=customer.id, amount=100, note="", key=key)
    # a retried event: the balance (50) no longer covers it, yet the original is returned, nothing moves
    again = credit_moves.top_up(session, actor=reseller, user_id=customer.id, amount=100, note="", key=key)
    assert again.id == first.id
    assert (ledger.balance(session, user=reseller), ledger.balance(session, user=customer)) == (50, 100)
    with pytest.raises(ValidationFailed, match="You have 50 credits, so you cannot give 60"):
        credit_moves.top_up(session, actor=reseller, user_id=customer.id, amount=60, note="", key="other")
    assert (ledger.balance(session, user=reseller), ledger.balance(session, user=customer)) == (50, 100)


def test_a_reseller_cannot_top_up_outside_its_team(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    rival = make_user(session, role=Role.RESELLER, parent=admin)
    stranger = make_user(session, parent=rival)
    ledger.grant(session, actor=admin, to=reseller, amount=100)
    for target in (stranger, rival, admin):
        with pytest.raises(PermissionDenied):
            credit_moves.top_up(session, actor=reseller, user_id=target.id, amount=10, note="", key=f"k{target.id}")
    user = make_user(session, parent=reseller)
    with pytest.raises(PermissionDenied):
        credit_moves.top_up(session, actor=user, user_id=user.id, amount=1, note="", key="u")
    assert ledger.balance(session, user=reseller) == 100 and ledger.balance(session, user=stranger) == 0
