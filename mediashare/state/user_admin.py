"""The account list of /admin/users (admins: everyone) and /customers (resellers: their team).

One state serves both pages; the page's loader fixes the scope on the server (`_scope`), and the
service checks it again on every call. Rows are small view dataclasses; the dialogs act on the
row the server remembers as selected, and every action re-authorizes in `services.user_admin`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import reflex as rx
from sqlmodel import Session

from mediashare import db
from mediashare.errors import MediashareError, ValidationFailed
from mediashare.models import Role, User
from mediashare.services import credit_moves, ledger, reseller_stats, user_admin
from mediashare.services.user_admin import Scope, Sort, UserFilter
from mediashare.state import guard
from mediashare.state.arguments import as_choice, as_credits, as_flag, as_id, as_page, as_text, form_text
from mediashare.state.session import SessionState

# Filter menus: value shown in the select → the service's meaning (None: either).
TRI_STATE = {"any": None, "yes": True, "no": False}
FILTERS = ("role", "active", "locked", "verified")
DIALOGS = ("edit", "deactivate", "reactivate", "delete", "unlock", "reset", "role", "parent", "grant", "topup",
           "usage")
CREDIT_DIALOGS = ("grant", "topup")  # each opening makes a new idempotency key
ROLE_CHOICES = ("any", *(role.value for role in Role))


@dataclass
class UserRow:
    """One account as the list shows it (text only; never a table row)."""

    id: int
    username: str
    email: str
    display_name: str
    role: str
    parent: str
    active: bool
    locked: bool
    verified: bool
    created: str
    last_login: str
    manageable: bool
    is_self: bool
    balance: int = 0
    spent_30_days: int = 0
    storage: str = ""  # "1.2 GB of 10 GB"
    item_count: int = 0
    last_active: str = "Never"


def _when(moment: datetime | None, *, with_time: bool = True) -> str:
    if moment is None:
        return "Never"
    return moment.strftime("%d %b %Y %H:%M" if with_time else "%d %b %Y")


def _size(count: int) -> str:
    value = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            break
        value /= 1024
    return f"{count:,} bytes" if unit == "bytes" else f"{value:,.1f} {unit}"


def _row(summary: user_admin.UserSummary, usage: reseller_stats.CustomerUsage | None) -> UserRow:
    figures = {} if usage is None else {
        "balance": usage.balance,
        "spent_30_days": usage.spent_30_days,
        "storage": f"{_size(usage.storage_used_bytes)} of {_size(usage.storage_quota_bytes)}",
        "item_count": usage.items,
        "last_active": _when(usage.last_active_at),
    }
    return UserRow(
        id=summary.id,
        username=summary.username,
        email=summary.email,
        display_name=summary.display_name,
        role=summary.role.value,
        parent=summary.parent_username,
        active=summary.is_active,
        locked=summary.locked,
        verified=summary.verified,
        created=_when(summary.created_at, with_time=False),
        last_login=_when(summary.last_login_at),
        manageable=summary.manageable,
        is_self=summary.is_self,
        **figures,
    )


_EMPTY_ROW = UserRow(id=0, username="", email="", display_name="", role="", parent="", active=False, locked=False,
                     verified=False, created="", last_login="", manageable=False, is_self=False)


class UserAdminState(SessionState):
    rows: list[UserRow] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    page_size: str = "25"
    loaded: bool = False
    notice: str = "Loading…"  # shown instead of the list until it loads, or why it cannot
    team_view: bool = False

    q: str = ""
    role_filter: str = "any"
    active_filter: str = "any"
    locked_filter: str = "any"
    verified_filter: str = "any"
    resellers_only: bool = False
    sort: str = Sort.USERNAME.value
    descending: bool = False

    grantable: list[str] = []  # roles the signed-in person may give, most powerful first
    dialog: str = ""  # which dialog is open: "", "create", or one of DIALOGS
    selected_id: int = 0
    selected_username: str = ""
    selected_name: str = ""
    selected_email: str = ""
    selected_role: str = ""
    selected_parent: str = ""
    usage: UserRow = _EMPTY_ROW  # the row the usage dialog shows
    own_balance: int = 0  # the signed-in reseller's credits, shown in the top-up dialog

    _scope: str = ""
    _credit_key: str = ""  # idempotency key of the open grant/top-up dialog: one movement per opening

    # Loading ------------------------------------------------------------------------------------

    def _filters(self) -> UserFilter:
        return UserFilter(
            q=self.q,
            role=Role(self.role_filter) if self.role_filter != "any" else None,
            active=TRI_STATE[self.active_filter],
            locked=TRI_STATE[self.locked_filter],
            verified=TRI_STATE[self.verified_filter],
            resellers_only=self.resellers_only,
        )

    def _refresh(self, session: Session, actor: User) -> None:
        """Fetch the current page with the current filters (raises MediashareError)."""
        result = user_admin.list_users(
            session, actor=actor, scope=Scope(self._scope), filters=self._filters(), sort=Sort(self.sort),
            descending=self.descending, page=self.page, page_size=int(self.page_size),
        )
        figures = reseller_stats.usage(session, actor=actor, user_ids=[row.id for row in result.rows if row.manageable])
        self.rows = [_row(summary, figures.get(summary.id)) for summary in result.rows]
        self.total, self.page, self.pages = result.total, result.page, result.pages
        self.grantable = [role.value for role in user_admin.grantable_roles(actor)]
        self.loaded = True

    def _reload(self) -> rx.event.EventSpec | None:
        """Show the current page again; a toast says why when that is refused."""
        if not self._scope:
            return rx.toast.error("Open the page again to see the list.")
        try:
            with db.session_scope() as session:
                self._refresh(session, self._actor(session))
        except MediashareError as error:
            self.rows, self.total, self.loaded, self.notice = [], 0, False, str(error)
            return rx.toast.error(str(error))
        return None

    def _open(self, scope: Scope):
        self._scope = scope.value
        self.team_view = scope is Scope.TEAM
        self.q, self.role_filter, self.active_filter = "", "any", "any"
        self.locked_filter, self.verified_filter, self.resellers_only = "any", "any", False
        self.sort, self.descending, self.page, self.dialog = Sort.USERNAME.value, False, 1, ""
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
        return self._reload()

    @rx.event
    @guard.signed_in  # the service refuses anyone below admin, and the page says so
    def load_everyone(self):
        """on_load of /admin/users."""
        return self._open(Scope.EVERYONE)

    @rx.event
    @guard.signed_in  # the service refuses plain users, and the page says so
    def load_team(self):
        """on_load of /customers."""
        return self._open(Scope.TEAM)

    # Search, filters, sorting, pages --------------------------------------------------------------

    def _set(self, change: Callable[[], None]) -> rx.event.EventSpec | None:
        try:
            change()
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.page = 1
        return self._reload()

    @rx.event
    @guard.requires(Role.RESELLER)
    def search(self, value: str):
        def change() -> None:
            self.q = as_text(value, max_length=user_admin.MAX_QUERY_LENGTH, field="search")

        return self._set(change)

    @rx.event
    @guard.requires(Role.RESELLER)
    def set_filter(self, name: str, value: str):
        def change() -> None:
            field = as_choice(name, FILTERS, field="filter")
            allowed = ROLE_CHOICES if field == "role" else tuple(TRI_STATE)
            setattr(self, f"{field}_filter", as_choice(value, allowed, field=f"{field} filter"))

        return self._set(change)

    @rx.event
    @guard.requires(Role.RESELLER)
    def set_resellers_only(self, value: bool):
        def change() -> None:
            self.resellers_only = as_flag(value, field="resellers only")

        return self._set(change)

    @rx.event
    @guard.requires(Role.RESELLER)
    def sort_by(self, column: str):
        def change() -> None:
            chosen = as_choice(column, tuple(sort.value for sort in Sort), field="sort column")
            self.descending = not self.descending if chosen == self.sort else chosen in ("created", "last_login")
            self.sort = chosen

        return self._set(change)

    @rx.event
    @guard.requires(Role.RESELLER)
    def set_page_size(self, size: str):
        def change() -> None:
            self.page_size = as_choice(size, tuple(str(n) for n in user_admin.PAGE_SIZES), field="page size")

        return self._set(change)

    @rx.event
    @guard.requires(Role.RESELLER)
    def go_to_page(self, page: int):
        try:
            self.page = as_page(page, last=self.pages)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return self._reload()

    # Dialogs ----------------------------------------------------------------------------------------

    @rx.event
    @guard.requires(Role.RESELLER)
    def open_dialog(self, kind: str, user_id: int):
        """Open an action's dialog for a row of the current page."""
        try:
            kind = as_choice(kind, DIALOGS, field="action")
            wanted = as_id(user_id)
        except MediashareError as error:
            return rx.toast.error(str(error))
        row = next((row for row in self.rows if row.id == wanted and row.manageable), None)
        if row is None:
            return rx.toast.error("That account is no longer in the list. Refresh the page.")
        self.selected_id, self.selected_username, self.selected_name = row.id, row.username, row.display_name
        self.selected_email, self.selected_role, self.selected_parent = row.email, row.role, row.parent
        self.usage = row if kind == "usage" else _EMPTY_ROW
        if kind in CREDIT_DIALOGS:
            self._credit_key = credit_moves.new_key(kind)
            if kind == "topup":
                try:
                    with db.session_scope() as session:
                        self.own_balance = ledger.balance(session, user=self._actor(session))
                except MediashareError as error:
                    return rx.toast.error(str(error))
        self.dialog = kind
        return None

    @rx.event
    @guard.requires(Role.RESELLER)
    def open_create(self):
        self.selected_id = 0
        self.dialog = "create"

    @rx.event
    @guard.requires(Role.RESELLER)
    def set_dialog_open(self, is_open: bool):
        """Radix reports the dialog closing (Escape, outside click, Cancel)."""
        if is_open is not True:
            self.dialog = ""

    def _act(self, kind: str, do: Callable[[Session, User], str]) -> list[rx.event.EventSpec] | rx.event.EventSpec:
        """Run an action of the open dialog `kind`; `do` returns the success sentence."""
        if self.dialog != kind:
            return rx.toast.error("That dialog is not open any more.")
        try:
            with db.session_scope() as session:
                actor = self._actor(session)
                message = do(session, actor)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.dialog = ""
        refreshed = self._reload()
        return [rx.toast.success(message), *([refreshed] if refreshed else [])]

    @rx.event
    @guard.requires(Role.RESELLER)
    def submit_create(self, form_data: dict):
        def do(session: Session, actor: User) -> str:
            role = as_choice(form_text(form_data, "role", max_length=16) or Role.USER.value,
                             tuple(role.value for role in Role), field="role")
            created = user_admin.create(
                session, actor=actor,
                username=form_text(form_data, "username", max_length=64),
                email=form_text(form_data, "email", max_length=254),
                display_name=form_text(form_data, "display_name", max_length=120),
                parent_username=form_text(form_data, "parent", max_length=64),
                role=Role(role), client=self._client(),
            )
            try:
                user_admin.send_reset(session, actor=actor, user_id=created.id, client=self._client())
            except MediashareError as error:
                return f"{created.username} was created. No email was sent: {error}"
            return f"{created.username} was created and emailed a link to choose a password."

        return self._act("create", do)

    def _move_credits(self, kind: str, form_data: dict, move: Callable[..., object]):
        key = self._credit_key
        if self.dialog != kind and not key:
            return None  # a second click after the credits moved: the dialog is closed, nothing to do

        def do(session: Session, actor: User) -> str:
            if not key:
                raise ValidationFailed("Open the dialog again to give credits.")
            amount = as_credits(form_text(form_data, "amount", max_length=20))
            move(session, actor=actor, user_id=self.selected_id, amount=amount,
                 note=form_text(form_data, "note", max_length=credit_moves.MAX_NOTE_LENGTH), key=key)
            self._credit_key = ""  # moved: a replay of this event now finds no key and does nothing
            verb = "were granted to" if kind == "grant" else "went to"
            return f"{amount:,} credits {verb} {self.selected_username}."

        return self._act(kind, do)

    @rx.event
    @guard.requires(Role.ADMIN)
    def submit_grant(self, form_data: dict):
        """Mint credits for the selected account (the key of this opening of the dialog)."""
        return self._move_credits("grant", form_data, credit_moves.grant)

    @rx.event
    @guard.requires(Role.RESELLER)
    def submit_topup(self, form_data: dict):
        """Give the selected customer credits from the signed-in reseller's own balance."""
        return self._move_credits("topup", form_data, credit_moves.top_up)

    @rx.event
    @guard.requires(Role.RESELLER)
    def submit_edit(self, form_data: dict):
        def do(session: Session, actor: User) -> str:
            changed = user_admin.edit(
                session, actor=actor, user_id=self.selected_id,
                display_name=form_text(form_data, "display_name", max_length=120),
                email=form_text(form_data, "email", max_length=254), client=self._client(),
            )
            return f"{self.selected_username} was updated." if changed else "Nothing was changed."

        return self._act("edit", do)

    @rx.event
    @guard.requires(Role.RESELLER)
    def submit_delete(self, form_data: dict):
        def do(session: Session, actor: User) -> str:
            user_admin.delete(session, actor=actor, user_id=self.selected_id,
                              confirm=form_text(form_data, "confirm", max_length=64), client=self._client())
            return f"{self.selected_username} was deleted."

        return self._act("delete", do)

    @rx.event
    @guard.requires(Role.RESELLER)
    def submit_role(self, form_data: dict):
        def do(session: Session, actor: User) -> str:
            role = Role(as_choice(form_text(form_data, "role", max_length=16), tuple(r.value for r in Role),
                                  field="role"))
            user_admin.change_role(session, actor=actor, user_id=self.selected_id, role=role, client=self._client())
            return f"{self.selected_username} is now a {role.label.lower()}."

        return self._act("role", do)

    @rx.event
    @guard.requires(Role.RESELLER)
    def submit_parent(self, form_data: dict):
        def do(session: Session, actor: User) -> str:
            parent = user_admin.change_parent(
                session, actor=actor, user_id=self.selected_id,
                parent_username=form_text(form_data, "parent", max_length=64), client=self._client(),
            )
            return f"{self.selected_username} is now under {parent.username}."

        return self._act("parent", do)

    @rx.event
    @guard.requires(Role.RESELLER)
    def confirm(self):
        """The confirm button of the simple dialogs: deactivate, reactivate, unlock, reset email."""
        kind, user_id, name, client = self.dialog, self.selected_id, self.selected_username, self._client()

        def do(session: Session, actor: User) -> str:
            if kind == "deactivate":
                ended = user_admin.deactivate(session, actor=actor, user_id=user_id, client=client)
                return f"{name} was deactivated; {ended} session{'s' if ended != 1 else ''} ended."
            if kind == "reactivate":
                user_admin.reactivate(session, actor=actor, user_id=user_id, client=client)
                return f"{name} can sign in again."
            if kind == "unlock":
                user_admin.unlock(session, actor=actor, user_id=user_id, client=client)
                return f"{name} is unlocked."
            user_admin.send_reset(session, actor=actor, user_id=user_id, client=client)
            return f"A password reset email is on its way to {name}."

        if kind not in ("deactivate", "reactivate", "unlock", "reset"):
            return rx.toast.error("That dialog is not open any more.")
        return self._act(kind, do)
