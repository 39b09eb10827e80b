"""The /credits page (balance and statement of the signed-in user) and the admins' price list."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from mediashare import db
from mediashare.errors import MediashareError
from mediashare.models import Role, User
from mediashare.services import credits, ledger
from mediashare.state import acting, guard
from mediashare.state.session import SessionState

PAGE_SIZE = 25


@dataclass
class StatementRow:
    """One ledger movement of the user's account, as the page shows it."""

    id: int
    kind: str
    amount: str  # signed, "+5" or "−2"
    incoming: bool
    reference: str
    date: str


@dataclass
class PriceRow:
    action: str
    label: str
    value: int


def _row(item: ledger.HistoryItem) -> StatementRow:
    sign = "+" if item.amount > 0 else "−"
    return StatementRow(id=item.entry_id, kind=item.kind.value, amount=f"{sign}{abs(item.amount):,}",
                        incoming=item.amount > 0, reference=item.reference or "—",
                        date=item.created_at.strftime("%d %b %Y %H:%M"))


class CreditsState(SessionState):
    balance: int = 0
    rows: list[StatementRow] = []
    next_before: int = 0  # 0: no older page

    def _page(self, before: int | None) -> None:
        with db.session_scope() as session:
            user = self._actor(session)
            page = ledger.history(session, actor=user, user=user, before=before, limit=PAGE_SIZE)
            self.balance = ledger.balance(session, user=user)
        rows = [_row(item) for item in page.items]
        self.rows = rows if before is None else [*self.rows, *rows]
        self.next_before = page.next_before or 0

    @rx.event
    @guard.signed_in
    def load(self):
        if (redirect := acting.visitor_redirect(self)) is not None:
            return redirect
        self.rows, self.next_before = [], 0
        try:
            self._page(None)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.signed_in
    def load_more(self):
        if not self.next_before:
            return None
        try:
            self._page(self.next_before)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None


class PricesState(SessionState):
    prices: list[PriceRow] = []
    allowed: bool = False

    def _show_prices(self, values: dict[credits.Action, int]) -> None:
        self.prices = [PriceRow(action=action.value, label=credits.LABELS[action], value=values[action])
                       for action in credits.Action]

    def _fill(self, session: Session, user: User) -> None:
        self.allowed = user.role.rank >= Role.ADMIN.rank
        if self.allowed:
            self._show_prices(credits.prices(session))
        else:
            self.prices = []

    @rx.event
    @guard.requires(Role.ADMIN)
    def load(self):
        return acting.fill_signed_in(self, self._fill)

    @rx.event
    @guard.requires(Role.ADMIN)
    def save(self, form_data: dict):
        if not isinstance(form_data, dict) or len(form_data) > len(credits.Action):
            return rx.toast.error("The form could not be read. Please try again.")
        values = {str(key)[:40]: value if isinstance(value, str | int) and not isinstance(value, bool) else None
                  for key, value in form_data.items()}
        try:
            with db.session_scope() as session:
                saved = credits.set_prices(session, actor=self._actor(session), values=values)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self._show_prices(saved)
        return rx.toast.success("Prices saved.")
