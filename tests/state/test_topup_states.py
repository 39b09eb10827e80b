"""The top-up pages' states called the way any browser could call them: the price before asking,
asking and cancelling, a reseller's queue and decision dialog, the admins' plans and payments."""

from __future__ import annotations

import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.models import Role, TopUpRequest, TopUpStatus, User
from mediashare.services import auth, ledger, plans
from mediashare.state.payments import PaymentsState, TopUpQueueState, TopUpState
from mediashare.state.plans import PlansAdminState
from tests.factories import PASSWORD, make_user


def _state(session: Session, user: User, cls: type, path: str):
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": {"cookie": f"{routes.SESSION_COOKIE}={token}"},
                                               "pathname": path, "query": {}})
    return root.get_substate(cls.get_full_name().split(".")[1:])


def test_the_price_is_shown_before_asking_and_a_request_can_be_cancelled(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    customer = make_user(session, parent=reseller)
    state = _state(session, customer, TopUpState, routes.TOP_UP)
    TopUpState.load.fn(state)
    TopUpState.set_amount.fn(state, "250")
    assert state.quoted == "250 credits cost 25.00 EUR" and state.can_ask
    TopUpState.set_amount.fn(state, "0")
    assert not state.can_ask and "from 1 to" in state.quoted
    TopUpState.set_amount.fn(state, {"credits": 5})  # not text: refused, nothing changes
    assert state.amount == "0"
    TopUpState.set_amount.fn(state, "40")
    TopUpState.ask_credits.fn(state)
    assert [(r.what, r.status, r.pending) for r in state.requests] == [("40 credits", "pending", True)]
    assert reseller.name in state.instructions
    TopUpState.cancel.fn(state, state.requests[0].id)
    assert state.requests[0].status == "cancelled"


def test_a_reseller_approves_through_the_dialog_and_the_reference_is_kept(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    reseller = make_user(session, role=Role.RESELLER, parent=admin)
    customer = make_user(session, parent=reseller)
    ledger.grant(session, actor=admin, to=reseller, amount=100, key="seed")
    asking = _state(session, customer, TopUpState, routes.TOP_UP)
    TopUpState.load.fn(asking)
    TopUpState.set_amount.fn(asking, "30")
    TopUpState.ask_credits.fn(asking)
    queue = _state(session, reseller, TopUpQueueState, routes.TOP_UPS)
    TopUpQueueState.load.fn(queue)
    assert [row.user for row in queue.rows] == [customer.username]
    TopUpQueueState.open_decision.fn(queue, queue.rows[0].id, "approve")
    assert queue.deciding_id == queue.rows[0].id and "30 credits" in queue.deciding_summary
    refused = repr(TopUpQueueState.submit_decision.fn(queue, {"reference": ""}))
    assert "reference" in refused and queue.deciding_id  # the dialog stays open
    TopUpQueueState.submit_decision.fn(queue, {"reference": "BANK-9"})
    assert queue.deciding_id == 0 and queue.rows == []
    stored = session.get(TopUpRequest, asking.requests[0].id)
    session.refresh(stored)
    assert (stored.status, stored.payment_reference) == (TopUpStatus.APPROVED, "BANK-9")
    assert ledger.balance(session, user=customer) == 30


def test_admins_manage_plans_and_see_payments_others_are_told_no(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    customer = make_user(session)
    state = _state(session, admin, PlansAdminState, routes.ADMIN_PLANS)
    PlansAdminState.load.fn(state)
    PlansAdminState.start_new.fn(state)
    PlansAdminState.save.fn(state, {"name": "Family", "credits": "100", "storage": "50", "price": "9.99"})
    assert [(r.name, r.credits, r.storage, r.price) for r in state.rows] == [("Family", "100", "50 GB", "9.99 EUR")]
    plan_id = state.rows[0].id
    PlansAdminState.assign.fn(state, {"username": customer.username, "plan": str(plan_id)})
    session.refresh(customer)
    assert customer.plan_id == plan_id and state.rows[0].subscribers == 1
    assert "in use" in repr(PlansAdminState.delete_plan.fn(state, plan_id))
    PlansAdminState.save_credit_price.fn(state, {"credit_price": "0.25"})
    assert state.credit_price == "0.25"
    assert plans.get(session, plan_id).price_minor == 999

    payments = _state(session, admin, PaymentsState, routes.ADMIN_PAYMENTS)
    PaymentsState.load.fn(payments)
    assert payments.loaded and payments.export_url == routes.API_PAYMENTS_CSV
    PaymentsState.apply.fn(payments, {"status": "approved", "user": "", "decider": "", "since": "2026-01-01",
                                      "until": "", "per": "week"})
    assert payments.export_url == f"{routes.API_PAYMENTS_CSV}?status=approved&since=2026-01-01"

    nobody = _state(session, customer, PaymentsState, routes.ADMIN_PAYMENTS)
    PaymentsState.load.fn(nobody)
    assert not nobody.loaded and "admin" in nobody.notice
    plain = _state(session, customer, PlansAdminState, routes.ADMIN_PLANS)
    PlansAdminState.load.fn(plain)
    assert not plain.allowed and plain.rows == []
