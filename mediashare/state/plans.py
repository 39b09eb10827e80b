"""/admin/plans: create, edit, archive and delete plans, put accounts on them, and the price of a
credit in top-ups (admins and superusers; the services check again and audit)."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from mediashare import db
from mediashare.errors import MediashareError, ValidationFailed
from mediashare.models import Role
from mediashare.services import plans
from mediashare.services.payments import topups
from mediashare.state import guard
from mediashare.state.arguments import as_id, form_text
from mediashare.state.session import SessionState


@dataclass
class PlanRow:
    id: int
    name: str
    credits: str
    storage: str
    price: str
    subscribers: int
    active: bool


def _gb(quota: int) -> str:
    return f"{quota / plans.GB:.2f}".rstrip("0").rstrip(".")


def _money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


class PlansAdminState(SessionState):
    rows: list[PlanRow] = []
    allowed: bool = False
    currency: str = "EUR"
    credit_price: str = "0.10"
    editing_id: int = 0  # the plan the form edits (0: a new plan)
    form_open: bool = False
    form_name: str = ""
    form_credits: str = "0"
    form_storage: str = "10"
    form_price: str = "0.00"
    plan_choices: list[list[str]] = []  # [value, label] for the assign form

    def _fetch(self, session) -> None:
        self.currency = plans.currency(session)
        self.credit_price = _money(topups.credit_price_minor(session))
        listed = plans.plan_list(session)
        self.rows = [
            PlanRow(id=plan.id, name=plan.name, credits=f"{plan.monthly_credits:,}",  # type: ignore[arg-type]
                    storage=f"{_gb(plan.storage_quota_bytes)} GB",
                    price=plans.format_money(plan.price_minor, plan.currency),
                    subscribers=plans.subscribers(session, plan.id), active=plan.is_active)  # type: ignore[arg-type]
            for plan in listed
        ]
        self.plan_choices = [["none", "No plan"]] + [[str(plan.id), plan.name] for plan in listed if plan.is_active]

    @rx.event
    @guard.signed_in  # the page says so to anyone below admin
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            self.allowed = user.role.rank >= Role.ADMIN.rank
            self.form_open, self.editing_id = False, 0
            if self.allowed:
                self._fetch(session)
            else:
                self.rows, self.plan_choices = [], []
        return None

    @rx.event
    @guard.requires(Role.ADMIN)
    def start_new(self):
        self.editing_id, self.form_open = 0, True
        self.form_name, self.form_credits, self.form_storage, self.form_price = "", "0", "10", "0.00"

    @rx.event
    @guard.requires(Role.ADMIN)
    def edit_plan(self, plan_id: int):
        try:
            with db.session_scope() as session:
                self._actor(session)
                plan = plans.get(session, as_id(plan_id, what="plan"))
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.editing_id, self.form_open = plan.id, True  # type: ignore[assignment]
        self.form_name, self.form_credits = plan.name, str(plan.monthly_credits)
        self.form_storage, self.form_price = _gb(plan.storage_quota_bytes), _money(plan.price_minor)
        return None

    @rx.event
    @guard.requires(Role.ADMIN)
    def set_form_open(self, is_open: bool):
        if is_open is not True:
            self.form_open, self.editing_id = False, 0

    @rx.event
    @guard.requires(Role.ADMIN)
    def save(self, form_data: dict):
        try:
            name = form_text(form_data, "name", max_length=plans.MAX_NAME + 10)
            credits = form_text(form_data, "credits", max_length=12).strip()
            storage = plans.parse_gigabytes(form_text(form_data, "storage", max_length=20))
            price = plans.parse_money(form_text(form_data, "price", max_length=20))
            with db.session_scope() as session:
                actor = self._actor(session)
                fields = {"name": name, "monthly_credits": credits, "storage_quota_bytes": storage,
                          "price_minor": price}
                if self.editing_id:
                    plans.update(session, actor=actor, plan_id=self.editing_id, **fields)
                else:
                    plans.create(session, actor=actor, **fields)
                self._fetch(session)
        except MediashareError as error:
            return rx.toast.error(str(error))
        done = "Plan saved." if self.editing_id else "Plan created."
        self.form_open, self.editing_id = False, 0
        return rx.toast.success(done)

    def _archive(self, plan_id: int, archived: bool):
        try:
            with db.session_scope() as session:
                plan = plans.archive(session, actor=self._actor(session), plan_id=as_id(plan_id, what="plan"),
                                     archived=archived)
                self._fetch(session)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success(f"{plan.name} {'archived' if archived else 'offered again'}.")

    @rx.event
    @guard.requires(Role.ADMIN)
    def archive_plan(self, plan_id: int):
        return self._archive(plan_id, True)

    @rx.event
    @guard.requires(Role.ADMIN)
    def restore_plan(self, plan_id: int):
        return self._archive(plan_id, False)

    @rx.event
    @guard.requires(Role.ADMIN)
    def delete_plan(self, plan_id: int):
        try:
            with db.session_scope() as session:
                plans.delete(session, actor=self._actor(session), plan_id=as_id(plan_id, what="plan"))
                self._fetch(session)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("Plan deleted.")

    @rx.event
    @guard.requires(Role.ADMIN)
    def assign(self, form_data: dict):
        try:
            username = form_text(form_data, "username", max_length=64).strip()
            choice = form_text(form_data, "plan", max_length=12).strip() or "none"
            plan_id = None if choice == "none" else as_id(choice, what="plan")
            with db.session_scope() as session:
                target = plans.assign(session, actor=self._actor(session), username=username, plan_id=plan_id)
                self._fetch(session)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success(f"{target.username} is now on {'no plan' if plan_id is None else 'the plan'}.")

    @rx.event
    @guard.requires(Role.ADMIN)
    def save_credit_price(self, form_data: dict):
        try:
            price = plans.parse_money(form_text(form_data, "credit_price", max_length=20), field="credit_price")
            with db.session_scope() as session:
                topups.set_credit_price(session, actor=self._actor(session), price_minor=price)
                self._fetch(session)
        except (MediashareError, ValidationFailed) as error:
            return rx.toast.error(str(error))
        return rx.toast.success("The price of a credit is saved.")
