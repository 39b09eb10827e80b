"""The /credits page (balance and a paged statement), the admins' price list form, and prices shown
before acting (upload page, Studio save), called the way any browser could call them."""

from __future__ import annotations

import asyncio

import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session, select

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.models import AuditAction, AuditEvent, MediaVersion, Role, User
from mediashare.services import auth, credits, ledger
from mediashare.state import credits as credits_state
from mediashare.state import guard
from mediashare.state.credits import CreditsState, PricesState
from mediashare.state.studio import StudioState
from mediashare.state.upload import UploadState
from tests.factories import PASSWORD, make_user
from tests.services.test_media import stored


def _state(session: Session, user: User | None, cls: type, path: str, query: dict | None = None):
    cookie = ""
    if user is not None:
        token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
        cookie = f"{routes.SESSION_COOKIE}={token}"
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": {"cookie": cookie}, "pathname": path,
                                               "query": query or {}})
    return root.get_substate(cls.get_full_name().split(".")[1:])


def _set_prices(session: Session, **values: int) -> None:
    admin = make_user(session, role=Role.ADMIN)
    credits.set_prices(session, actor=admin, values={key.replace("_", ".", 1): v for key, v in values.items()})


def test_handlers_declare_who_may_call_them() -> None:
    assert guard.declared_access(CreditsState.event_handlers["load"]) is Role.USER
    assert guard.declared_access(CreditsState.event_handlers["load_more"]) is Role.USER
    assert guard.declared_access(PricesState.event_handlers["load"]) is Role.ADMIN
    assert guard.declared_access(PricesState.event_handlers["save"]) is Role.ADMIN


def test_the_credits_page_shows_the_balance_and_pages_through_the_history(session: Session, monkeypatch) -> None:
    monkeypatch.setattr(credits_state, "PAGE_SIZE", 2)
    user = make_user(session)
    for amount in (10, 20, 30):
        ledger.grant(session, actor=None, to=user, amount=amount, reference=f"gift {amount}")
    ledger.spend(session, actor=session.get(User, user.id), amount=4, reference="media:1")
    state = _state(session, user, CreditsState, routes.CREDITS)
    CreditsState.load.fn(state)
    assert state.balance == 56
    assert [(row.kind, row.amount, row.incoming, row.reference) for row in state.rows] == [
        ("spend", "−4", False, "media:1"), ("grant", "+30", True, "gift 30")]
    assert state.next_before > 0 and state.rows[0].date
    CreditsState.load_more.fn(state)
    assert [row.amount for row in state.rows] == ["−4", "+30", "+20", "+10"] and state.next_before == 0
    CreditsState.load_more.fn(state)  # nothing older: nothing changes
    assert len(state.rows) == 4


def test_the_credits_page_sends_visitors_to_sign_in_and_shows_only_ones_own(session: Session) -> None:
    other = make_user(session)
    ledger.grant(session, actor=None, to=other, amount=7)
    visitor = _state(session, None, CreditsState, routes.CREDITS)
    assert "login" in repr(CreditsState.load.fn(visitor)) and visitor.rows == []
    me = _state(session, make_user(session), CreditsState, routes.CREDITS)
    CreditsState.load.fn(me)
    assert me.balance == 0 and me.rows == [] and me.next_before == 0


def test_an_admin_saves_the_price_list_from_the_form_and_junk_is_refused(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    state = _state(session, admin, PricesState, routes.ADMIN_PRICES)
    PricesState.load.fn(state)
    assert state.allowed and {row.action: row.value for row in state.prices} == {a.value: 0 for a in credits.Action}
    assert "Prices saved" in repr(PricesState.save.fn(state, {"upload.photo": "2", "upload.video_gb": "10"}))
    assert {row.action: row.value for row in state.prices}["upload.photo"] == 2
    for junk in ({"upload.photo": "-1"}, {"upload.photo": "1.5"}, {"upload.photo": {"x": 1}},
                 {"nothing.here": "1"}, "upload.photo=3", {str(n): "1" for n in range(20)}):
        assert "toast" in repr(PricesState.save.fn(state, junk)).lower()
    session.expire_all()
    assert credits.price(session, credits.Action.UPLOAD_PHOTO) == 2
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == AuditAction.SETTING_CHANGED)).all()) == 1


def test_a_user_who_reaches_the_price_form_changes_nothing(session: Session) -> None:
    user = make_user(session)
    state = _state(session, user, PricesState, routes.ADMIN_PRICES)
    PricesState.load.fn(state)
    assert not state.allowed and state.prices == []
    assert "admin" in repr(PricesState.save.fn(state, {"upload.photo": "9"})).lower()
    assert credits.price(session, credits.Action.UPLOAD_PHOTO) == 0


def test_the_upload_page_shows_the_prices_and_the_owners_balance(session: Session) -> None:
    user = make_user(session)
    ledger.grant(session, actor=None, to=user, amount=40)
    state = _state(session, user, UploadState, routes.UPLOAD)
    UploadState.load.fn(state)
    assert (state.photo_price, state.video_gb_price, state.credit_balance) == (0, 0, 40)
    _set_prices(session, upload_photo=2, upload_video_gb=5)
    UploadState.load.fn(state)
    assert (state.photo_price, state.video_gb_price, state.credit_balance) == (2, 5, 40)


def test_the_studio_save_button_knows_the_price_and_the_save_pays_it(session: Session) -> None:
    owner = make_user(session)
    item = stored(session, owner)
    ledger.grant(session, actor=None, to=owner, amount=5)
    _set_prices(session, studio_save=3)
    state = _state(session, owner, StudioState, f"/studio/{item.id}", {"media_id": str(item.id)})
    asyncio.run(StudioState.load.fn(state))
    assert (state.save_price, state.credit_balance) == (3, 5)
    asyncio.run(StudioState.apply_preset.fn(state, "restore_old_photo"))
    asyncio.run(StudioState.save.fn(state))
    assert state.credit_balance == 2 and len(session.exec(select(MediaVersion)).all()) == 1
    refused = repr(asyncio.run(StudioState.save.fn(state)))
    assert "needs 3 credits, you have 2 — top up at /top-up" in refused
    assert len(session.exec(select(MediaVersion)).all()) == 1
