"""Moving credits from the pages: grants and top-ups happen once per opened dialog (a double click or
a replayed event moves nothing more), foreign ids are refused even with credits to spare, and the
dashboard of another reseller opens for admins only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session, select

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.models import LedgerTransaction, Role, TransactionKind, User
from mediashare.services import auth, ledger
from mediashare.state.reseller import ResellerState
from mediashare.state.user_admin import UserAdminState
from tests.factories import PASSWORD, make_user


def _state(session: Session, user: User, cls: type[rx.State], path: str, query: dict[str, str] | None = None) -> Any:
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    root = rx.State(_reflex_internal_init=True)
    url = path + ("?" + urlencode(query) if query else "")
    root.router = RouterData.from_router_data({"headers": {"cookie": f"{routes.SESSION_COOKIE}={token}"},
                                              "pathname": path, "query": query or {}, "asPath": url})
    return root.get_substate(cls.get_full_name().split(".")[1:])


def _transactions(session: Session, kind: TransactionKind) -> int:
    return len(session.exec(select(LedgerTransaction).where(LedgerTransaction.kind == kind)).all())


def test_an_admin_grants_once_per_opened_dialog(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin, username="shop")
    state = _state(session, admin, UserAdminState, routes.ADMIN_USERS)
    UserAdminState.load_everyone.fn(state)
    UserAdminState.open_dialog.fn(state, "grant", reseller.id)
    key = state._credit_key
    assert state.dialog == "grant" and key.startswith("grant:")
    first = UserAdminState.submit_grant.fn(state, {"amount": "1,000", "note": "welcome"})
    assert "1,000 credits were granted to shop" in repr(first)
    assert UserAdminState.submit_grant.fn(state, {"amount": "1,000", "note": "welcome"}) is None  # double click
    assert ledger.balance(session, user=reseller) == 1000 and _transactions(session, TransactionKind.GRANT) == 1
    assert next(row for row in state.rows if row.id == reseller.id).balance == 1000  # the list shows it
    UserAdminState.open_dialog.fn(state, "grant", reseller.id)
    assert state._credit_key not in ("", key)  # a new opening, a new intent
    assert "whole number" in repr(UserAdminState.submit_grant.fn(state, {"amount": "-5", "note": ""}))
    assert ledger.balance(session, user=reseller) == 1000


def test_a_grant_to_an_account_the_admin_does_not_manage_is_refused(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    fellow = make_user(session, role=Role.ADMIN)
    state = _state(session, admin, UserAdminState, routes.ADMIN_USERS)
    UserAdminState.load_everyone.fn(state)
    state.selected_id, state.dialog, state._credit_key = fellow.id, "grant", "grant:forged"  # as a forged event
    sent = repr(UserAdminState.submit_grant.fn(state, {"amount": "50", "note": ""}))
    assert "error" in sent and ledger.balance(session, user=fellow) == 0


def test_a_reseller_tops_up_a_customer_and_never_a_stranger(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    customer = make_user(session, parent=reseller, username="cust")
    rival = make_user(session, role=Role.RESELLER, parent=admin)
    stranger = make_user(session, parent=rival)
    ledger.grant(session, actor=admin, to=reseller, amount=300)
    state = _state(session, reseller, UserAdminState, routes.CUSTOMERS)
    UserAdminState.load_team.fn(state)
    assert "That account is no longer in the list" in repr(UserAdminState.open_dialog.fn(state, "topup", stranger.id))
    UserAdminState.open_dialog.fn(state, "topup", customer.id)
    assert state.own_balance == 300
    refused = repr(UserAdminState.submit_topup.fn(state, {"amount": "301", "note": ""}))
    assert "You have 300 credits, so you cannot give 301" in refused and state.dialog == "topup"
    assert "100 credits went to cust" in repr(UserAdminState.submit_topup.fn(state, {"amount": "100", "note": ""}))
    assert UserAdminState.submit_topup.fn(state, {"amount": "100", "note": ""}) is None  # double click
    assert (ledger.balance(session, user=reseller), ledger.balance(session, user=customer)) == (200, 100)

    # A forged event with a stranger's id (and credits to spare) moves nothing.
    state.selected_id, state.dialog, state._credit_key = stranger.id, "topup", "topup:forged"
    assert "your own team" in repr(UserAdminState.submit_topup.fn(state, {"amount": "10", "note": ""}))
    assert ledger.balance(session, user=stranger) == 0 and ledger.balance(session, user=reseller) == 200

    # The usage dialog shows the customer's figures.
    UserAdminState.open_dialog.fn(state, "usage", customer.id)
    assert (state.usage.username, state.usage.balance, state.usage.item_count) == ("cust", 100, 0)


def test_the_dashboard_and_its_quick_top_up(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    customer = make_user(session, parent=reseller, username="low")
    rival = make_user(session, role=Role.RESELLER, parent=admin)
    stranger = make_user(session, parent=rival)
    ledger.grant(session, actor=admin, to=reseller, amount=50)
    state = _state(session, reseller, ResellerState, routes.RESELLER)
    ResellerState.load.fn(state)
    assert state.own and state.customers == 1 and [row.username for row in state.low_balance] == ["low"]
    assert len(state.weeks) == 12 and state.balance == 50
    assert "not in your low-balance list" in repr(ResellerState.open_topup.fn(state, stranger.id))
    ResellerState.open_topup.fn(state, customer.id)
    assert "went to low" in repr(ResellerState.submit_topup.fn(state, {"amount": "20", "note": ""}))
    assert ResellerState.submit_topup.fn(state, {"amount": "20", "note": ""}) is None  # double click
    assert state.distributed_total == 20 and state.low_balance == [] and state.balance == 30
    state._topup_user_id, state.topup_open, state._topup_key = stranger.id, True, "topup:forged"
    assert "your own team" in repr(ResellerState.submit_topup.fn(state, {"amount": "5", "note": ""}))
    assert ledger.balance(session, user=stranger) == 0

    # Another reseller's dashboard: refused for a reseller, open to an admin.
    peeking = _state(session, rival, ResellerState, routes.RESELLER, {"reseller": str(reseller.id)})
    assert "no reseller dashboard" in repr(ResellerState.load.fn(peeking))
    assert not peeking.loaded and peeking.distributed_total == 0
    looking = _state(session, admin, ResellerState, routes.RESELLER, {"reseller": str(reseller.id)})
    ResellerState.load.fn(looking)
    assert looking.loaded and not looking.own and looking.distributed_total == 20
    assert "not in your low-balance list" in repr(ResellerState.open_topup.fn(looking, customer.id))
