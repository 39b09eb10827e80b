"""The referrals page's state: an admin sets the bonuses from the page; nonsense is refused."""

from __future__ import annotations

import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import Session

import mediashare.mediashare  # noqa: F401  (registers every state, as in the app)
from mediashare import routes
from mediashare.models import Role, User
from mediashare.services import auth, referrals
from mediashare.state.referrals import ReferralState
from tests.factories import PASSWORD, make_user


def _state(session: Session, user: User) -> ReferralState:
    token = auth.login(session, identifier=user.username, password=PASSWORD, client=auth.Client()).token
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": {"cookie": f"{routes.SESSION_COOKIE}={token}"},
                                              "pathname": routes.REFERRALS})
    return root.get_substate(ReferralState.get_full_name().split(".")[1:])


def test_the_page_shows_the_link_and_an_admin_saves_the_bonuses(session: Session) -> None:
    admin = make_user(session, role=Role.ADMIN)
    state = _state(session, admin)
    ReferralState.load.fn(state)
    session.refresh(admin)
    assert state.link.endswith(f"{routes.REFERRED}?code={admin.referral_code}")
    assert (state.referrer_bonus, state.referee_bonus) == (10, 10)

    result = ReferralState.save_bonuses.fn(state, {"referrer": " 25", "referee": "0"})
    assert "saved" in repr(result)
    assert referrals.bonuses(session) == referrals.Bonuses(referrer=25, referee=0)
    assert (state.referrer_bonus, state.referee_bonus) == (25, 0)


def test_nonsense_amounts_are_refused_and_change_nothing(session: Session) -> None:
    state = _state(session, make_user(session, role=Role.ADMIN))
    for form in ({"referrer": "-1", "referee": "5"}, {"referrer": "2.5", "referee": "5"}, {"referrer": "5"},
                 {"referrer": ["5"], "referee": "5"}, "5,5", {"referrer": "9999999", "referee": "5"}):
        assert "whole number of credits" in repr(ReferralState.save_bonuses.fn(state, form))
    assert referrals.bonuses(session) == referrals.Bonuses(referrer=10, referee=10)
