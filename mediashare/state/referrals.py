"""The invitation landing page (/referred?code=…) and the signed-in user's referral stats (/referrals)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError
from mediashare.models import Role
from mediashare.services import auth, referrals, registration
from mediashare.state import acting, guard
from mediashare.state.session import SessionState


class ReferredState(SessionState):
    """What an invitation link says: who invites (display name only) and the bonus, or that the
    code is not one we know. Either way the visitor may sign up."""

    valid: bool = False
    checked: bool = False
    referrer_name: str = ""
    bonus: int = 0
    registration_open: bool = True
    register_href: str = routes.REGISTER

    @rx.event
    @guard.public
    def load(self):
        code = self.router.url.query_parameters.get("code", "")
        with db.session_scope() as session:
            self._show(auth.resolve(session, self._session_token()), session)
            referrer = referrals.referrer_for(session, code if isinstance(code, str) else "")
            self.valid = referrer is not None
            self.referrer_name = referrer.name if referrer is not None else ""
            self.bonus = referrals.bonuses(session).referee
            self.registration_open = registration.is_open(session)
            self.register_href = (f"{routes.REGISTER}?{urlencode({'ref': referrer.referral_code})}"
                                  if referrer is not None and referrer.referral_code else routes.REGISTER)
        self.checked = True


class ReferralState(SessionState):
    """/referrals: the signed-in user's own link and how it did; admins also set the bonuses."""

    link: str = ""
    signed_up: int = 0
    verified: int = 0
    credits_earned: int = 0
    referrer_bonus: int = 0
    referee_bonus: int = 0

    @rx.event
    @guard.signed_in
    def load(self):
        return acting.fill_signed_in(self, self._fill)

    def _fill(self, session, user) -> None:
        found = referrals.stats(session, actor=user)
        amounts = referrals.bonuses(session)
        self.referrer_bonus, self.referee_bonus = amounts.referrer, amounts.referee
        self.link, self.signed_up, self.verified = found.link, found.signed_up, found.verified
        self.credits_earned = found.credits_earned

    @rx.event
    @guard.signed_in
    def copy_link(self):
        if not self.link:
            return None
        return [rx.set_clipboard(self.link), rx.toast.success("Link copied")]

    @rx.event
    @guard.requires(Role.ADMIN)
    def save_bonuses(self, form_data: dict[str, Any]):
        values = [form_data.get(name) if isinstance(form_data, dict) else None for name in ("referrer", "referee")]
        if not all(isinstance(value, str) and _WHOLE.fullmatch(value.strip()) for value in values):
            return rx.toast.error(f"Each bonus is a whole number of credits from 0 to {referrals.MAX_BONUS:,}.")
        referrer, referee = (int(value.strip()) for value in values)  # type: ignore[union-attr]
        try:
            with db.session_scope() as session:
                referrals.set_bonuses(session, actor=self._actor(session), referrer=referrer, referee=referee)
                amounts = referrals.bonuses(session)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.referrer_bonus, self.referee_bonus = amounts.referrer, amounts.referee
        return rx.toast.success("The referral bonuses are saved.")


_WHOLE = re.compile(r"[0-9]{1,9}")
