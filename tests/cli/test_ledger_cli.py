"""`python -m mediashare ledger verify`: the books checked from the command line, in a subprocess."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare.models import LedgerAccount, Role
from mediashare.services import ledger
from tests.cli.test_cli import run
from tests.factories import make_user


def test_ledger_verify_passes_on_sound_books_and_fails_naming_a_tampered_balance(
    database_url: str, session: Session
) -> None:
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session, parent=admin)
    ledger.grant(session, actor=admin, to=customer, amount=40, key="g1")
    ledger.spend(session, actor=customer, amount=15, key="s1", reference="media:1")

    result = run("ledger", "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "users hold 25 credits" in result.stdout and "credits are conserved" in result.stdout

    session.execute(sa.update(LedgerAccount).where(LedgerAccount.user_id == customer.id).values(balance=26))
    session.commit()
    result = run("ledger", "verify")
    assert result.returncode == 1
    account = session.exec(select(LedgerAccount.id).where(LedgerAccount.user_id == customer.id)).one()
    assert f"MISMATCH account {account} (user {customer.id}): balance 26 but its entries sum to 25" in result.stdout
    assert "credits are not conserved" in result.stdout
