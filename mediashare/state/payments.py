"""Top-ups: asking (/top-up), deciding (/top-ups, resellers and admins) and the admins' payments
page (/admin/payments). Rows are small view dataclasses; every handler asks the services, which
check again who may do what."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError, ValidationFailed
from mediashare.models import Role, TopUpStatus
from mediashare.services import ledger, plans
from mediashare.services.payments import reports, topups
from mediashare.state import acting, guard
from mediashare.state.arguments import as_choice, as_id, as_text, form_text
from mediashare.state.session import SessionState

STATUSES = [status.value for status in TopUpStatus]
DECISIONS = ("approve", "reject")


@dataclass
class PlanOption:
    """A plan as the top-up page offers it."""

    value: str  # the plan's id, as the select sends it
    name: str
    credits: str
    storage: str
    price: str


@dataclass
class RequestRow:
    """A top-up request as the pages show it (text only)."""

    id: int
    user: str
    what: str
    price: str
    status: str
    created: str
    decided: str
    decided_by: str
    reference: str
    reason: str
    pending: bool


def _what(view: topups.RequestView) -> str:
    return f"Plan {view.plan_name} ({view.credits:,} credits/month)" if view.plan_name else f"{view.credits:,} credits"


def _row(view: topups.RequestView) -> RequestRow:
    return RequestRow(id=view.id, user=view.username, what=_what(view), price=view.price, status=view.status.value,
                      created=view.created_at.strftime("%Y-%m-%d %H:%M"),
                      decided=view.decided_at.strftime("%Y-%m-%d %H:%M") if view.decided_at else "",
                      decided_by=view.decided_by, reference=view.payment_reference, reason=view.reason,
                      pending=view.status is TopUpStatus.PENDING)


def _size(quota: int) -> str:
    return f"{quota / plans.GB:,.1f} GB".replace(".0 GB", " GB")


class TopUpState(SessionState):
    """/top-up: ask for credits or a plan (the price shown first), see and cancel one's requests."""

    balance: int = 0
    current_plan: str = ""
    amount: str = "100"  # credits typed
    quoted: str = ""  # the price of `amount`, or why it cannot be asked
    can_ask: bool = False
    plan_options: list[PlanOption] = []
    requests: list[RequestRow] = []
    instructions: str = ""  # what to do after asking (the provider's)
    _unit_price: int = 0
    _currency: str = "EUR"

    def _quote(self) -> None:
        try:
            credits = topups.checked_credits(self.amount)
        except ValidationFailed as error:
            self.quoted, self.can_ask = str(error), False
            return
        self.quoted = f"{credits:,} credits cost {plans.format_money(credits * self._unit_price, self._currency)}"
        self.can_ask = True

    def _refresh(self, session, user) -> None:
        self.balance = ledger.balance(session, user=user)
        plan = plans.plan_of(session, user)
        self.current_plan = plan.name if plan is not None else ""
        self._unit_price, self._currency = topups.credit_price_minor(session), plans.currency(session)
        self.plan_options = [
            PlanOption(value=str(plan.id), name=plan.name, credits=f"{plan.monthly_credits:,} credits a month",
                       storage=_size(plan.storage_quota_bytes),
                       price=plans.format_money(plan.price_minor, plan.currency))
            for plan in plans.plan_list(session, include_archived=False)
        ]
        self.requests = [_row(view) for view in topups.own_requests(session, actor=user)]
        self._quote()

    @rx.event
    @guard.signed_in
    def load(self):
        if (redirect := acting.fill_signed_in(self, self._refresh)) is not None:
            return redirect
        self.instructions = ""
        return None

    @rx.event
    @guard.signed_in
    def set_amount(self, value: str):
        """The credits field as it is typed: shows the price before anyone asks."""
        try:
            self.amount = as_text(value, max_length=12, field="credits").strip()
        except ValidationFailed as error:
            return rx.toast.error(str(error))
        self._quote()
        return None

    @rx.event
    @guard.signed_in
    def ask_credits(self):
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                asked = topups.request_credits(session, actor=user, credits=self.amount)
                self._refresh(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.instructions = asked.start.instructions
        return rx.toast.success(f"Request #{asked.request.id} sent.")

    @rx.event
    @guard.signed_in
    def ask_plan(self, form_data: dict):
        try:
            plan_id = as_id(form_text(form_data, "plan", max_length=12), what="plan")
            with db.session_scope() as session:
                user = self._actor(session)
                asked = topups.request_plan(session, actor=user, plan_id=plan_id)
                self._refresh(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.instructions = asked.start.instructions
        return rx.toast.success(f"Request #{asked.request.id} sent.")

    @rx.event
    @guard.signed_in
    def cancel(self, request_id: int):
        try:
            request_id = as_id(request_id, what="request")
            with db.session_scope() as session:
                user = self._actor(session)
                topups.cancel(session, actor=user, request_id=request_id)
                self._refresh(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("Request cancelled.")


class TopUpQueueState(SessionState):
    """/top-ups: the requests the signed-in reseller or admin decides."""

    status: str = TopUpStatus.PENDING.value
    rows: list[RequestRow] = []
    deciding_id: int = 0  # the request the open dialog decides (0: none)
    deciding_kind: str = ""  # "approve" or "reject"
    deciding_summary: str = ""

    def _fetch(self) -> None:
        with db.session_scope() as session:
            views = topups.decision_queue(session, actor=self._actor(session), status=TopUpStatus(self.status))
        self.rows = [_row(view) for view in views]

    @rx.event
    @guard.requires(Role.RESELLER)
    def load(self):
        if (redirect := acting.visitor_redirect(self)) is not None:
            return redirect
        self.status, self.deciding_id, self.deciding_kind = TopUpStatus.PENDING.value, 0, ""
        try:
            self._fetch()
        except MediashareError as error:
            self.rows = []
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def show(self, status: str):
        try:
            self.status = as_choice(status, STATUSES, field="status")
            self._fetch()
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def open_decision(self, request_id: int, kind: str):
        try:
            kind = as_choice(kind, DECISIONS, field="decision")
            with db.session_scope() as session:
                view = topups.for_decision(session, actor=self._actor(session), request_id=as_id(request_id,
                                                                                                 what="request"))
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.deciding_id, self.deciding_kind = view.id, kind
        self.deciding_summary = f"#{view.id}: {_what(view)} for {view.username}, {view.price}"
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def set_dialog_open(self, is_open: bool):
        if is_open is not True:
            self.deciding_id, self.deciding_kind = 0, ""

    @rx.event
    @guard.requires(Role.RESELLER)
    def submit_decision(self, form_data: dict):
        if not self.deciding_id or self.deciding_kind not in DECISIONS:
            return rx.toast.error("That request is not open any more.")
        try:
            with db.session_scope() as session:
                actor = self._actor(session)
                if self.deciding_kind == "approve":
                    reference = form_text(form_data, "reference", max_length=200)
                    topups.approve(session, actor=actor, request_id=self.deciding_id, reference=reference)
                    done = f"Request #{self.deciding_id} approved."
                else:
                    reason = form_text(form_data, "reason", max_length=topups.MAX_REASON + 50)
                    topups.reject(session, actor=actor, request_id=self.deciding_id, reason=reason)
                    done = f"Request #{self.deciding_id} rejected."
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.deciding_id, self.deciding_kind = 0, ""
        self._fetch()
        return rx.toast.success(done)


@dataclass
class TotalRow:
    period: str
    count: int
    credits: str
    amount: str


class PaymentsState(SessionState):
    """/admin/payments: totals per period, the filtered history and its CSV export."""

    totals: list[TotalRow] = []
    rows: list[RequestRow] = []
    per: str = "month"
    status: str = "any"
    user: str = ""
    decider: str = ""
    since: str = ""
    until: str = ""
    has_more: bool = False
    loaded: bool = False
    notice: str = "Loading…"
    _older: int | None = None

    def _filter(self) -> reports.PaymentFilter:
        return reports.parse_filter(status=self.status, user=self.user, decider=self.decider, since=self.since,
                                    until=self.until)

    @rx.var
    def export_url(self) -> str:
        values = {"status": "" if self.status == "any" else self.status, "user": self.user, "decider": self.decider,
                  "since": self.since, "until": self.until}
        query = urlencode({key: value for key, value in values.items() if value})
        return f"{routes.API_PAYMENTS_CSV}?{query}" if query else routes.API_PAYMENTS_CSV

    def _fetch(self, more: bool = False):
        try:
            with db.session_scope() as session:
                actor, filters = self._actor(session), self._filter()
                page = reports.history(session, actor=actor, filters=filters, before=self._older if more else None)
                sums = reports.totals(session, actor=actor, filters=filters, per=self.per)
        except MediashareError as error:
            self.rows, self.totals, self.loaded, self.notice = [], [], False, str(error)
            return rx.toast.error(str(error))
        rows = [_row(view) for view in page.items]
        self.rows = [*self.rows, *rows] if more else rows
        self.totals = [TotalRow(period=f"{t.period} · {t.currency}", count=t.count, credits=f"{t.credits:,}",
                                amount=t.amount) for t in sums]
        self._older, self.has_more, self.loaded = page.older, page.older is not None, True
        return None

    @rx.event
    @guard.signed_in  # the service refuses anyone below admin, and the page says so
    def load(self):
        if (redirect := acting.visitor_redirect(self)) is not None:
            return redirect
        self.per, self.status, self.user, self.decider, self.since, self.until = "month", "any", "", "", "", ""
        self._older = None
        return self._fetch()

    @rx.event
    @guard.requires(Role.ADMIN)
    def apply(self, form_data: dict):
        try:
            values = {name: form_text(form_data, name, max_length=reports.MAX_PERSON)
                      for name in (*reports.FILTER_FIELDS, "per")}
            parsed = reports.parse_filter(**{name: values[name] for name in reports.FILTER_FIELDS})
            per = as_choice(values["per"] or "month", ("month", "week"), field="period")
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.status = parsed.status.value if parsed.status else "any"
        self.user, self.decider, self.per = parsed.user, parsed.decider, per
        self.since = parsed.since.isoformat() if parsed.since else ""
        self.until = parsed.until.isoformat() if parsed.until else ""
        self._older = None
        return self._fetch()

    @rx.event
    @guard.requires(Role.ADMIN)
    def load_more(self):
        if self._older is None:
            return None
        return self._fetch(more=True)
