"""The account list with its search, filters, sortable columns, pages, row menus and dialogs.

Used by /admin/users (everyone) and /customers (a reseller's team). Every value that people type
(names, emails) is rendered as text.
"""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.state.session import SessionState
from mediashare.state.user_admin import UserAdminState, UserRow

_TRI = (("any", "Any"), ("yes", "Yes"), ("no", "No"))
_ROLES = (("any", "Any role"), ("superuser", "Superuser"), ("admin", "Admin"), ("reseller", "Reseller"),
          ("user", "User"))


def _choice(label: str, name: str, value: rx.Var, options: tuple[tuple[str, str], ...]) -> rx.Component:
    """A labelled select that sets filter `name`."""
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray", as_="label"),
        rx.select.root(
            rx.select.trigger(aria_label=label, min_width="8em"),
            rx.select.content(*[rx.select.item(text, value=key) for key, text in options]),
            value=value,
            on_change=lambda choice: UserAdminState.set_filter(name, choice),
            size="2",
        ),
        spacing="1",
    )


def filter_bar() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text("Search", size="1", color_scheme="gray", as_="label", html_for="user-search"),
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                id="user-search",
                type="search",
                placeholder="Name, username or email",
                max_length=100,
                on_change=UserAdminState.search.debounce(300),
                width="100%",
            ),
            spacing="1",
            flex="1 1 16em",
            min_width="0",
        ),
        rx.cond(UserAdminState.team_view, rx.fragment(), _choice("Role", "role", UserAdminState.role_filter, _ROLES)),
        _choice("Active", "active", UserAdminState.active_filter, _TRI),
        _choice("Locked", "locked", UserAdminState.locked_filter, _TRI),
        _choice("Verified", "verified", UserAdminState.verified_filter, _TRI),
        rx.cond(
            UserAdminState.team_view,
            rx.fragment(),
            rx.el.label(
                rx.hstack(
                    rx.switch(checked=UserAdminState.resellers_only, on_change=UserAdminState.set_resellers_only,
                              id="resellers-only"),
                    rx.text("Resellers only", size="2"),
                    align="center",
                    spacing="2",
                ),
                align_self="end",
                padding_bottom="0.4em",
            ),
        ),
        wrap="wrap",
        spacing="3",
        align="end",
        width="100%",
    )


def _sort_header(label: str, column: str) -> rx.Component:
    active = UserAdminState.sort == column
    return rx.table.column_header_cell(
        rx.button(
            label,
            rx.cond(
                active,
                rx.cond(UserAdminState.descending, rx.icon("arrow-down", size=14), rx.icon("arrow-up", size=14)),
                rx.icon("arrow-up-down", size=14, opacity="0.35"),
            ),
            on_click=UserAdminState.sort_by(column),
            variant="ghost",
            color_scheme="gray",
            high_contrast=True,
            size="2",
            id=f"sort-{column}",
        ),
        aria_sort=rx.cond(active, rx.cond(UserAdminState.descending, "descending", "ascending"), "none"),
        white_space="nowrap",
    )


def _header(label: str) -> rx.Component:
    return rx.table.column_header_cell(label, white_space="nowrap")


def _status(row: UserRow) -> rx.Component:
    return rx.flex(
        rx.cond(row.active, rx.badge("Active", color_scheme="green", variant="soft"),
                rx.badge("Deactivated", color_scheme="gray", variant="solid")),
        rx.cond(row.locked, rx.badge(rx.icon("lock", size=12), "Locked", color_scheme="red", variant="soft")),
        rx.cond(row.verified, rx.fragment(), rx.badge("Unverified", color_scheme="amber", variant="soft")),
        spacing="1",
        wrap="wrap",
    )


def _item(icon: str, label: str, kind: str, row: UserRow, **props) -> rx.Component:
    return rx.menu.item(rx.icon(icon, size=14), label, on_click=UserAdminState.open_dialog(kind, row.id), **props)


def row_menu(row: UserRow) -> rx.Component:
    return rx.cond(
        row.manageable,
        rx.menu.root(
            rx.menu.trigger(
                rx.icon_button(rx.icon("ellipsis", size=16), variant="ghost", color_scheme="gray",
                               aria_label=f"Actions for {row.username}"),
            ),
            rx.menu.content(
                _item("chart-no-axes-column", "Usage", "usage", row),
                rx.cond(
                    UserAdminState.team_view,
                    _item("hand-coins", "Top up credits", "topup", row),
                    rx.cond(SessionState.is_admin, _item("coins", "Grant credits", "grant", row)),
                ),
                rx.cond(
                    SessionState.is_admin & (row.role == "reseller"),
                    rx.menu.item(rx.icon("chart-column", size=14), "Business dashboard",
                                 on_click=rx.redirect(f"{routes.RESELLER}?reseller={row.id}")),
                ),
                rx.menu.separator(),
                _item("pencil", "Edit", "edit", row),
                _item("shield", "Change role", "role", row),
                _item("git-branch", "Move", "parent", row),
                _item("mail", "Send password reset email", "reset", row),
                rx.cond(row.locked, _item("lock-open", "Unlock", "unlock", row)),
                rx.cond(row.active, _item("ban", "Deactivate", "deactivate", row),
                        _item("circle-check", "Reactivate", "reactivate", row)),
                rx.menu.separator(),
                _item("trash-2", "Delete", "delete", row, color_scheme="red"),
                align="end",
            ),
        ),
        rx.cond(row.is_self, rx.badge("You", variant="outline")),
    )


def user_row(row: UserRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(rx.cond(row.display_name != "", row.display_name, row.username), weight="medium"),
                rx.text(row.username, size="1", color_scheme="gray"),
                spacing="0",
            ),
            white_space="nowrap",
        ),
        rx.table.cell(row.email, white_space="nowrap"),
        rx.table.cell(rx.badge(row.role, variant="surface")),
        rx.table.cell(row.parent, white_space="nowrap"),
        rx.table.cell(_status(row)),
        rx.table.cell(row.created, white_space="nowrap"),
        rx.table.cell(row.last_login, white_space="nowrap"),
        rx.table.cell(rx.cond(row.manageable, rx.text(row.balance), "—"), custom_attrs={"data-balance": row.balance},
                      text_align="right"),
        rx.table.cell(row_menu(row)),
        custom_attrs={"data-username": row.username},
        align="center",
    )


def user_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    _sort_header("Account", "username"),
                    _header("Email"),
                    _sort_header("Role", "role"),
                    _header("Under"),
                    _header("Status"),
                    _sort_header("Created", "created"),
                    _sort_header("Last sign-in", "last_login"),
                    _header("Credits"),
                    _header("Actions"),
                ),
            ),
            rx.table.body(rx.foreach(UserAdminState.rows, user_row)),
            variant="surface",
            size="2",
            width="100%",
            id="user-table",
        ),
        width="100%",
        max_width="100%",
        overflow_x="auto",
    )


def pager() -> rx.Component:
    return rx.flex(
        rx.text(
            UserAdminState.total, rx.cond(UserAdminState.total == 1, " account", " accounts"),
            " · page ", UserAdminState.page, " of ", UserAdminState.pages,
            size="2", color_scheme="gray", id="user-count",
        ),
        rx.spacer(),
        rx.hstack(
            rx.text("Per page", size="2", color_scheme="gray"),
            rx.select.root(
                rx.select.trigger(aria_label="Accounts per page"),
                rx.select.content(*[rx.select.item(size, value=size) for size in ("10", "25", "50", "100")]),
                value=UserAdminState.page_size,
                on_change=UserAdminState.set_page_size,
                size="1",
            ),
            rx.button(rx.icon("chevron-left", size=16), "Previous", variant="soft", size="2",
                      disabled=UserAdminState.page <= 1,
                      on_click=UserAdminState.go_to_page(UserAdminState.page - 1)),
            rx.button("Next", rx.icon("chevron-right", size=16), variant="soft", size="2",
                      disabled=UserAdminState.page >= UserAdminState.pages,
                      on_click=UserAdminState.go_to_page(UserAdminState.page + 1)),
            align="center",
            spacing="2",
        ),
        wrap="wrap",
        spacing="3",
        align="center",
        width="100%",
    )


# Dialogs -----------------------------------------------------------------------------------------


def _field(label: str, name: str, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium", as_="label", html_for=f"field-{name}"),
        rx.input(name=name, id=f"field-{name}", width="100%", **props),
        spacing="1",
        width="100%",
    )


def _buttons(submit: str, *, color: str = "indigo", button_id: str = "") -> rx.Component:
    return rx.flex(
        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
        rx.button(submit, type="submit", color_scheme=color, id=button_id or None),
        spacing="3",
        justify="end",
        width="100%",
    )


def _form_dialog(kind: str, title: rx.Component | str, body: list[rx.Component], on_submit, submit: str,
                 *, color: str = "indigo") -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.vstack(*body, _buttons(submit, color=color, button_id=f"{kind}-submit"), spacing="3",
                          width="100%"),
                on_submit=on_submit,
                reset_on_submit=False,
            ),
            max_width="28em",
            id=f"{kind}-dialog",
        ),
        open=UserAdminState.dialog == kind,
        on_open_change=UserAdminState.set_dialog_open,
    )


def _role_select(default: rx.Var | str) -> rx.Component:
    return rx.vstack(
        rx.text("Role", size="2", weight="medium"),
        rx.select(UserAdminState.grantable, name="role", default_value=default, width="100%"),
        spacing="1",
        width="100%",
    )


def create_dialog() -> rx.Component:
    return _form_dialog(
        "create",
        rx.cond(UserAdminState.team_view, "New customer", "New account"),
        [
            rx.text("They get an email with a link to choose their own password.", size="2", color_scheme="gray"),
            _field("Username", "username", required=True, max_length=32, auto_complete="off"),
            _field("Email", "email", type="email", required=True, max_length=254, auto_complete="off"),
            _field("Display name", "display_name", max_length=80),
            _role_select("user"),
            _field("Under (username; empty: you)", "parent", max_length=32, placeholder="your account"),
        ],
        UserAdminState.submit_create,
        "Create",
    )


def edit_dialog() -> rx.Component:
    return _form_dialog(
        "edit",
        rx.text("Edit ", UserAdminState.selected_username),
        [
            _field("Display name", "display_name", default_value=UserAdminState.selected_name, max_length=80),
            _field("Email", "email", type="email", default_value=UserAdminState.selected_email, required=True,
                   max_length=254),
            rx.text("A new email address has to be verified again.", size="1", color_scheme="gray"),
        ],
        UserAdminState.submit_edit,
        "Save",
    )


def role_dialog() -> rx.Component:
    return _form_dialog(
        "role",
        rx.text("Change the role of ", UserAdminState.selected_username),
        [_role_select(UserAdminState.selected_role)],
        UserAdminState.submit_role,
        "Change role",
    )


def parent_dialog() -> rx.Component:
    return _form_dialog(
        "parent",
        rx.text("Move ", UserAdminState.selected_username),
        [
            rx.text("Now under ", rx.cond(UserAdminState.selected_parent != "", UserAdminState.selected_parent, "—"),
                    ". Everything below it moves along.", size="2", color_scheme="gray"),
            _field("New parent (username)", "parent", required=True, max_length=32),
        ],
        UserAdminState.submit_parent,
        "Move",
    )


def delete_dialog() -> rx.Component:
    return _form_dialog(
        "delete",
        rx.text("Delete ", UserAdminState.selected_username),
        [
            rx.text("This removes the account with its sessions and devices, for good. Accounts under it "
                    "must be moved first.", size="2"),
            _field("Type the username to confirm", "confirm", required=True, max_length=32,
                   auto_complete="off", placeholder=UserAdminState.selected_username),
        ],
        UserAdminState.submit_delete,
        "Delete",
        color="red",
    )


def _amount_field() -> rx.Component:
    return _field("Credits", "amount", required=True, input_mode="numeric",
                  max_length=16, auto_complete="off", placeholder="100")


def grant_dialog() -> rx.Component:
    """Admins: mint credits for an account."""
    return _form_dialog(
        "grant",
        rx.text("Grant credits to ", UserAdminState.selected_username),
        [
            rx.text("New credits are added to their balance. This is recorded in the ledger and the audit log.",
                    size="2", color_scheme="gray"),
            _amount_field(),
            _field("Note (optional)", "note", max_length=120, placeholder="e.g. invoice 2026-114"),
        ],
        UserAdminState.submit_grant,
        "Grant credits",
    )


def topup_dialog() -> rx.Component:
    """Resellers: give a customer credits from their own balance."""
    return _form_dialog(
        "topup",
        rx.text("Top up ", UserAdminState.selected_username),
        [
            rx.callout(rx.text("You have ", rx.text.strong(UserAdminState.own_balance, id="own-balance"),
                               " credits."),
                       icon="coins", size="1", variant="surface"),
            rx.text("The credits move from your balance to theirs.", size="2", color_scheme="gray"),
            _amount_field(),
            _field("Note (optional)", "note", max_length=120),
        ],
        UserAdminState.submit_topup,
        "Top up",
    )


def _figure(label: str, value: rx.Component | rx.Var | str, figure_id: str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label, min_width="9em"),
        rx.data_list.value(rx.text(value, id=figure_id)),
    )


def usage_dialog() -> rx.Component:
    """One customer's figures; readable at phone width (one label and value per line)."""
    row = UserAdminState.usage
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.text("Usage of ", UserAdminState.selected_username)),
            rx.data_list.root(
                _figure("Balance", rx.text(row.balance, " credits"), "usage-balance"),
                _figure("Spent (30 days)", rx.text(row.spent_30_days, " credits"), "usage-spent"),
                _figure("Storage", row.storage, "usage-storage"),
                _figure("Items", row.item_count, "usage-items"),
                _figure("Last active", row.last_active, "usage-last-active"),
                orientation={"initial": "vertical", "sm": "horizontal"},
                size="2",
            ),
            rx.flex(rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")), justify="end",
                    margin_top="1em"),
            max_width="28em",
            id="usage-dialog",
        ),
        open=UserAdminState.dialog == "usage",
        on_open_change=UserAdminState.set_dialog_open,
    )


def confirm_dialog() -> rx.Component:
    """Deactivate, reactivate, unlock and reset email: a question and a button."""
    kind = UserAdminState.dialog
    name = UserAdminState.selected_username
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(
                rx.match(kind, ("deactivate", "Deactivate "), ("reactivate", "Reactivate "), ("unlock", "Unlock "),
                         "Send a password reset email to "),
                name, "?",
            ),
            rx.alert_dialog.description(
                rx.match(
                    kind,
                    ("deactivate", "They are signed out everywhere and cannot sign in until reactivated."),
                    ("reactivate", "They can sign in again with their password."),
                    ("unlock", "They can try to sign in again right away."),
                    "They get a link to choose a new password. You never see or set it.",
                ),
                size="2",
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(
                    rx.match(kind, ("deactivate", "Deactivate"), ("reactivate", "Reactivate"), ("unlock", "Unlock"),
                             "Send email"),
                    color_scheme=rx.cond(kind == "deactivate", "red", "indigo"),
                    on_click=UserAdminState.confirm,
                    id="confirm-action",
                ),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
            max_width="28em",
        ),
        open=(kind == "deactivate") | (kind == "reactivate") | (kind == "unlock") | (kind == "reset"),
        on_open_change=UserAdminState.set_dialog_open,
    )


def user_directory(title: str, intro: str) -> rx.Component:
    """The whole account list page body."""
    return rx.vstack(
        rx.flex(
            rx.vstack(rx.heading(title, size="7"), rx.text(intro, color_scheme="gray", size="2"), spacing="1"),
            rx.spacer(),
            rx.button(rx.icon("user-plus", size=16), rx.cond(UserAdminState.team_view, "New customer", "New account"),
                      on_click=UserAdminState.open_create, id="new-account"),
            wrap="wrap",
            spacing="3",
            align="end",
            width="100%",
        ),
        filter_bar(),
        rx.cond(
            UserAdminState.loaded,
            rx.vstack(
                user_table(),
                rx.cond(UserAdminState.total == 0,
                        rx.text("No accounts match.", color_scheme="gray", id="no-accounts")),
                pager(),
                spacing="3",
                width="100%",
            ),
            rx.text(UserAdminState.notice, color_scheme="gray", id="user-list-notice"),
        ),
        create_dialog(),
        edit_dialog(),
        role_dialog(),
        parent_dialog(),
        delete_dialog(),
        grant_dialog(),
        topup_dialog(),
        usage_dialog(),
        confirm_dialog(),
        spacing="4",
        width="100%",
        min_width="0",
    )
