"""Demo accounts: one per role, a reseller with two customers, created once."""

from __future__ import annotations

from sqlmodel import Session

from mediashare.models import Role
from mediashare.services import auth, demo, users


def test_seed_creates_the_hierarchy_and_prints_passwords_only_once(session: Session) -> None:
    first = demo.seed(session)
    assert [account.role for account in first] == [
        Role.SUPERUSER, Role.ADMIN, Role.RESELLER, Role.USER, Role.USER, Role.USER
    ]
    assert all(account.password for account in first)
    reseller = users.find_by_login(session, "demo-reseller")
    customers = [users.find_by_login(session, name) for name in ("demo-customer1", "demo-customer2")]
    assert all(customer.parent_id == reseller.id for customer in customers)
    assert users.find_by_login(session, "demo-super").parent_id is None

    again = demo.seed(session)
    assert [account.password for account in again] == [None] * 6
    assert users.count(session) == 6

    password = next(a.password for a in first if a.username == "demo-user")
    signed_in = auth.login(session, identifier="demo-user", password=password, client=auth.Client())
    assert signed_in.user.is_verified


def test_reset_passwords_gives_working_new_ones(session: Session) -> None:
    demo.seed(session)
    reset = {account.username: account.password for account in demo.seed(session, reset_passwords=True)}
    assert auth.login(session, identifier="demo-admin", password=reset["demo-admin"], client=auth.Client())
