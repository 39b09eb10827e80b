"""The branding page's state: a reseller edits its own branding with a live preview and field errors;
other roles are refused by the gate and by the service; the reseller page shows a branding."""

from __future__ import annotations

import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session, select

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.models import Branding, Role, User
from mediashare.services import auth, branding
from mediashare.state import guard
from mediashare.state.branding import BrandingState, ResellerPageState
from tests.factories import PASSWORD, make_user

FORM = {"slug": "acme-photos", "display_name": "Acme Photos", "primary_color": "#1d4ed8",
        "accent_color": "#b91c1c", "welcome_text": "Hello", "support_email": "help@acme.example"}


def _root(session: Session, user: User | None, path: str, params: dict | None = None) -> rx.State:
    cookie = ""
    if user is not None:
        token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
        cookie = f"{routes.SESSION_COOKIE}={token}"
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": {"cookie": cookie}, "pathname": path,
                                               "query": params or {}})
    return root


def _state(session: Session, user: User) -> BrandingState:
    return _root(session, user, routes.BRANDING).get_substate(BrandingState.get_full_name().split(".")[1:])


def test_a_reseller_previews_then_saves_its_own_branding(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    state = _state(session, reseller)
    BrandingState.load.fn(state)
    assert state.loaded and not state.saved
    BrandingState.edit.fn(state, "primary_color", "#fde68a")
    assert state.preview_on_primary == branding.DARK_TEXT  # the preview picks the readable text color
    BrandingState.edit.fn(state, "accent_color", "#fde68a")
    assert "accent_color" in state.color_advice
    assert branding.branding_of(session, actor=reseller) is None  # nothing saved while previewing

    refused = BrandingState.save.fn(state, {**FORM, "accent_color": "#fde68a", "slug": "admin"})
    assert "check the fields" in repr(refused)
    assert set(state.errors) == {"accent_color", "slug"} and "reserved" in state.errors["slug"]

    assert "saved" in repr(BrandingState.save.fn(state, FORM))
    assert state.errors == {} and state.link.endswith("/r/acme-photos")
    assert state.brand_name == "Acme Photos"  # the top bar follows at once
    assert branding.branding_of(session, actor=reseller).display_name == "Acme Photos"


def test_edit_refuses_unknown_fields_and_oversized_values(session: Session) -> None:
    state = _state(session, make_user(session, role=Role.RESELLER))
    assert "not valid" in repr(BrandingState.edit.fn(state, "brand_name", "x"))
    assert "too long" in repr(BrandingState.edit.fn(state, "slug", "x" * 500))
    assert "not valid" in repr(BrandingState.edit.fn(state, "slug", {"a": 1}))


def test_users_are_refused_by_the_gate_and_by_the_service(session: Session) -> None:
    user = make_user(session)
    root = _root(session, user, routes.BRANDING)
    for name in ("load", "edit", "save", "upload_logo", "remove_logo", "copy_link"):
        assert not guard.decide(root, f"{BrandingState.get_full_name()}.{name}").allowed
    state = root.get_substate(BrandingState.get_full_name().split(".")[1:])
    assert "Only reseller accounts" in repr(BrandingState.save.fn(state, FORM))
    assert session.exec(select(Branding)).first() is None  # nothing was created


def test_the_reseller_page_shows_a_branding_to_visitors(session: Session) -> None:
    reseller = make_user(session, role=Role.RESELLER)
    branding.save(session, actor=reseller, client=auth.Client(), **FORM)
    root = _root(session, None, "/r/acme-photos")
    root.router = RouterData.from_router_data({"headers": {"cookie": ""}, "pathname": "/r/acme-photos",
                                               "query": {"reseller_slug": "acme-photos"}})
    state = root.get_substate(ResellerPageState.get_full_name().split(".")[1:])
    ResellerPageState.load.fn(state)
    assert state.found and state.page_name == "Acme Photos" and state.page_primary == "#1d4ed8"
    assert state.register_href == "/register?r=acme-photos" and state.brand_name == "Acme Photos"


def test_an_admin_picks_a_reseller_and_edits_its_branding(session: Session) -> None:
    admin, reseller = make_user(session, role=Role.ADMIN), make_user(session, role=Role.RESELLER)
    state = _root(session, admin, routes.BRANDING).get_substate(BrandingState.get_full_name().split(".")[1:])
    BrandingState.load.fn(state)
    assert state.picking and [f"{routes.BRANDING}?reseller={reseller.id}"] == [href for _, href in state.choices]

    root = _root(session, admin, routes.BRANDING)
    root.router = RouterData.from_router_data({"headers": {"cookie": root.router.headers.cookie},
                                               "pathname": routes.BRANDING,
                                               "asPath": f"{routes.BRANDING}?reseller={reseller.id}"})
    state = root.get_substate(BrandingState.get_full_name().split(".")[1:])
    BrandingState.load.fn(state)
    assert not state.picking and state.editing_for == reseller.name
    assert "saved" in repr(BrandingState.save.fn(state, FORM))
    assert branding.branding_of(session, actor=reseller).slug == "acme-photos"
    assert state.brand_name == branding.PLATFORM_NAME  # the admin's own top bar is unchanged
