"""The reseller dashboard (/reseller): the signed-in reseller's business, or, for admins and
superusers, the reseller named by `?reseller=<id>` (authorized by the service on every load).

The quick top-up acts only on a customer of the low-balance list the server showed, only on the
viewer's own dashboard, with one idempotency key per opening of its dialog.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from mediashare import db
from mediashare.errors import MediashareError, ValidationFailed
from mediashare.models import Role
from mediashare.services import credit_moves, ledger, payments, reseller_stats
from mediashare.state import guard
from mediashare.state.arguments import as_credits, as_id, form_text
from mediashare.state.session import SessionState


@dataclass
class LowBalanceRow:
    id: int
    username: str
    name: str
    balance: int


def _money(earned: payments.Earnings) -> str:
    return " + ".join(str(money) for money in earned.money) or "0.00"


class ResellerState(SessionState):
    loaded: bool = False
    notice: str = "Loading…"
    reseller_name: str = ""
    own: bool = False
    customers: int = 0
    active_customers: int = 0
    distributed_total: int = 0
    distributed_this_month: int = 0
    weeks: list[dict[str, str | int]] = []  # the chart's data: {"week": "16 Nov", "credits": 3}
    consumed_12_weeks: int = 0
    low_balance: list[LowBalanceRow] = []
    threshold: int = 0
    balance: int = 0  # the viewer's own credits (for the quick top-up)
    earnings_total: str = ""  # "12.50 EUR" (one amount per currency), all time
    earnings_month: str = ""  # … this month
    earnings_count: int = 0  # top-ups paid, all time

    topup_open: bool = False
    topup_username: str = ""
    _topup_user_id: int = 0
    _topup_key: str = ""
    _reseller_id: int = 0  # whose dashboard this is (0: the viewer's own)

    def _fetch(self) -> None:
        """Fetch the figures of the dashboard being viewed (raises MediashareError)."""
        with db.session_scope() as session:
            actor = self._actor(session)
            board = reseller_stats.dashboard(session, actor=actor, reseller_id=self._reseller_id or None)
            self.balance = ledger.balance(session, user=actor)
        self.reseller_name, self.own = board.reseller_name, board.own
        self.customers, self.active_customers = board.customers, board.active_customers
        self.distributed_total, self.distributed_this_month = board.distributed_total, board.distributed_this_month
        self.weeks = [{"week": figure.starts.strftime("%d %b"), "credits": figure.credits} for figure in board.weeks]
        self.consumed_12_weeks = sum(figure.credits for figure in board.weeks)
        self.low_balance = [LowBalanceRow(id=row.user_id, username=row.username, name=row.display_name or row.username,
                                          balance=row.balance) for row in board.low_balance]
        self.threshold = board.low_balance_threshold
        self.earnings_total = _money(board.earnings)
        self.earnings_month = _money(board.earnings_this_month)
        self.earnings_count = board.earnings.count
        self.loaded = True

    @rx.event
    @guard.requires(Role.RESELLER)
    def load(self):
        """on_load of /reseller."""
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
        if user is None:
            return redirect
        self.loaded, self.topup_open, self._topup_user_id, self._topup_key = False, False, 0, ""
        wanted = self.router.url.query_parameters.get("reseller", "")
        try:
            self._reseller_id = as_id(wanted, what="reseller") if wanted else 0
            self._fetch()
        except MediashareError as error:
            self.low_balance, self.weeks, self.notice = [], [], str(error)
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def open_topup(self, user_id: int):
        """The quick top-up of a customer in the low-balance list (own dashboard only)."""
        try:
            wanted = as_id(user_id)
        except MediashareError as error:
            return rx.toast.error(str(error))
        row = next((row for row in self.low_balance if row.id == wanted), None)
        if not self.own or row is None:
            return rx.toast.error("That customer is not in your low-balance list any more. Refresh the page.")
        self._topup_user_id, self.topup_username = row.id, row.username
        self._topup_key = credit_moves.new_key("topup")
        self.topup_open = True
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def set_topup_open(self, is_open: bool):
        if is_open is not True:
            self.topup_open = False

    @rx.event
    @guard.requires(Role.RESELLER)
    def submit_topup(self, form_data: dict):
        key, user_id = self._topup_key, self._topup_user_id
        if not self.topup_open and not key:
            return None  # a second click after the credits moved
        try:
            if not self.topup_open or not key or not user_id or not self.own:
                raise ValidationFailed("That top-up is not open any more.")
            amount = as_credits(form_text(form_data, "amount", max_length=20))
            note = form_text(form_data, "note", max_length=credit_moves.MAX_NOTE_LENGTH)
            with db.session_scope() as session:
                credit_moves.top_up(session, actor=self._actor(session), user_id=user_id, amount=amount, note=note,
                                    key=key)
            self._topup_key, self.topup_open = "", False
            self._fetch()
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success(f"{amount:,} credits went to {self.topup_username}.")
