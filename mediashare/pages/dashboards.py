"""/admin: the platform at a glance (admins and superusers); /dashboard: my library, credits and
activity. Both update live by server push while open (state/dashboards.py)."""

import reflex as rx

from mediashare import routes
from mediashare.components.charts import area_chart, bar_chart, chart_card, live_badge, stat
from mediashare.components.layout import layout, page_title
from mediashare.state.dashboards import (
    ActivityRow,
    AdminDashboardState,
    FailureRow,
    RecentRow,
    RoleRow,
    UserDashboardState,
)

_ACCENT = rx.color("accent", 9)
_SPENT = rx.color("amber", 9)
_GRID = {"initial": "1", "xs": "2", "md": "4"}


def _header(title: str, lede: str, state: type) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.heading(title, size="7"),
            rx.text(lede, size="2", color_scheme="gray"),
            spacing="1",
        ),
        rx.spacer(),
        rx.cond(state.loaded, live_badge(state.live, state.updated)),
        width="100%",
        align="end",
        wrap="wrap",
        spacing="3",
    )


def _list_card(title: str, body: rx.Component, empty: rx.Var, empty_text: str, card_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4"),
            rx.cond(empty, rx.text(empty_text, size="2", color_scheme="gray"), body),
            spacing="2",
            width="100%",
        ),
        width="100%",
        min_width="0",
        id=card_id,
    )


def _activity_row(row: ActivityRow) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(row.action, size="2", weight="medium", class_name="audit-action", word_break="break-word"),
            rx.text(row.actor, rx.cond(row.target != "", " → " + row.target, ""), size="1", color_scheme="gray",
                    word_break="break-word"),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.text(row.when, size="1", color_scheme="gray", white_space="nowrap"),
        width="100%",
        align="center",
        padding_y="0.35em",
        border_bottom="1px solid var(--gray-a4)",
    )


# Admin -------------------------------------------------------------------------------------------


def _role_row(row: RoleRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.role),
        rx.table.cell(row.active, text_align="right"),
        rx.table.cell(row.inactive, text_align="right"),
    )


def _failure_row(row: FailureRow) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.code(row.job, size="1"), rx.spacer(), rx.text(row.when, size="1", color_scheme="gray"),
                  width="100%"),
        rx.text(row.error, size="1", color_scheme="red", word_break="break-word"),
        spacing="1",
        width="100%",
        padding_y="0.35em",
        border_bottom="1px solid var(--gray-a4)",
    )


def _admin_board() -> rx.Component:
    s = AdminDashboardState
    return rx.vstack(
        rx.grid(
            stat("Accounts", s.total_users, rx.text(s.active_users, " active", id="stat-active-users"), "stat-users",
                 "users"),
            stat("Sign-ups today", s.signups_today, rx.text(s.signups_30, " in 30 days"), "stat-signups-today",
                 "user-plus"),
            stat("Signed in", s.active_sessions, rx.text(s.online_now, " online in the last 15 minutes"),
                 "stat-sessions", "monitor-smartphone"),
            stat("Storage used", s.storage_used, rx.text(s.uploads_30, " uploads in 30 days"), "stat-storage",
                 "hard-drive"),
            columns=_GRID,
            spacing="3",
            width="100%",
        ),
        rx.grid(
            chart_card("Sign-ups per day", rx.text(s.signups_30, " in 30 days", size="2", color_scheme="gray"),
                       area_chart(s.signups, "day", "signups", "Sign-ups", _ACCENT), "signups-chart"),
            chart_card("Uploads per day", rx.text(s.uploads_30, " items", size="2", color_scheme="gray"),
                       bar_chart(s.uploads, "day", [("items", "Items", _ACCENT)]), "uploads-chart"),
            chart_card("Uploaded by type (MB)", rx.text("last 30 days", size="2", color_scheme="gray"),
                       bar_chart(s.kinds, "kind", [("mb", "MB", _ACCENT)]), "kinds-chart"),
            chart_card("Credits issued and spent",
                       rx.text(s.issued_30, " issued · ", s.spent_30, " spent", size="2", color_scheme="gray",
                               id="credits-summary"),
                       bar_chart(s.credits, "day", [("issued", "Issued", _ACCENT), ("spent", "Spent", _SPENT)]),
                       "credits-chart"),
            columns={"initial": "1", "md": "2"},
            spacing="3",
            width="100%",
        ),
        rx.grid(
            rx.card(
                rx.vstack(
                    rx.heading("Accounts by role", size="4"),
                    rx.table.root(
                        rx.table.header(rx.table.row(
                            rx.table.column_header_cell("Role"),
                            rx.table.column_header_cell("Active", text_align="right"),
                            rx.table.column_header_cell("Deactivated", text_align="right"),
                        )),
                        rx.table.body(rx.foreach(s.roles, _role_row)),
                        size="1",
                        width="100%",
                    ),
                    rx.text(s.circulation, " credits held by users", size="2", color_scheme="gray"),
                    spacing="2",
                    width="100%",
                ),
                width="100%",
                min_width="0",
                id="roles-card",
            ),
            rx.card(
                rx.vstack(
                    rx.heading("Jobs", size="4"),
                    rx.text("Run by the ", s.queue_backend, size="2", color_scheme="gray"),
                    rx.hstack(
                        rx.badge(s.queued, " waiting", variant="soft", id="jobs-queued"),
                        rx.badge(s.running, " running", variant="soft", color_scheme="blue"),
                        rx.badge(s.failed_jobs, " failed", variant="soft",
                                 color_scheme=rx.cond(s.failed_jobs > 0, "red", "gray"), id="jobs-failed"),
                        rx.badge(s.failed_items, " items failed processing", variant="soft",
                                 color_scheme=rx.cond(s.failed_items > 0, "amber", "gray")),
                        wrap="wrap",
                        spacing="2",
                    ),
                    rx.cond(
                        s.failures.length() == 0,
                        rx.text("No recent failures.", size="2", color_scheme="gray"),
                        rx.vstack(rx.foreach(s.failures, _failure_row), spacing="0", width="100%"),
                    ),
                    spacing="2",
                    width="100%",
                ),
                width="100%",
                min_width="0",
                id="jobs-card",
            ),
            _list_card("Recent audit events",
                       rx.vstack(rx.foreach(s.audit, _activity_row), spacing="0", width="100%", id="audit-list"),
                       s.audit.length() == 0, "Nothing has happened yet.", "audit-card"),
            columns={"initial": "1", "md": "3"},
            spacing="3",
            width="100%",
        ),
        rx.link("Open the full audit log", href=routes.ADMIN_AUDIT, size="2"),
        spacing="4",
        width="100%",
    )


@rx.page(route=routes.ADMIN_DASHBOARD, title=page_title("Dashboard"), on_load=AdminDashboardState.load)
def admin_dashboard() -> rx.Component:
    return layout(
        rx.vstack(
            _header("Platform", "Everyone's accounts, uploads, credits and jobs, as they happen.", AdminDashboardState),
            rx.cond(AdminDashboardState.loaded, _admin_board(),
                    rx.text(AdminDashboardState.notice, color_scheme="gray", id="dashboard-notice")),
            spacing="4",
            width="100%",
            min_width="0",
            on_unmount=AdminDashboardState.stop,
        ),
    )


# One's own -------------------------------------------------------------------------------------------


def _recent_row(row: RecentRow) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.vstack(
                rx.text(row.title, size="2", weight="medium", trim="both", overflow="hidden",
                        text_overflow="ellipsis", white_space="nowrap", max_width="100%"),
                rx.text(row.kind, " · ", row.size, size="1", color_scheme="gray"),
                spacing="0",
                min_width="0",
                flex="1",
            ),
            rx.text(row.when, size="1", color_scheme="gray", white_space="nowrap"),
            width="100%",
            align="center",
            padding_y="0.35em",
            border_bottom="1px solid var(--gray-a4)",
        ),
        href=row.href,
        underline="none",
        color="inherit",
        width="100%",
    )


def _user_board() -> rx.Component:
    s = UserDashboardState
    return rx.vstack(
        rx.grid(
            rx.card(
                rx.vstack(
                    rx.hstack(rx.icon("hard-drive", size=16, color=rx.color("accent", 10)),
                              rx.text("Storage", size="2", color_scheme="gray"), spacing="2", align="center"),
                    rx.text(s.storage_used, size="7", weight="bold", id="stat-my-storage"),
                    rx.progress(value=s.storage_percent, width="100%"),
                    rx.text(s.storage_percent, "% of ", s.storage_quota, size="1", color_scheme="gray",
                            id="stat-my-quota"),
                    spacing="1",
                    width="100%",
                ),
                width="100%",
            ),
            stat("Items", s.total_items, rx.text(s.in_trash, " in the trash"), "stat-my-items", "images"),
            stat("Credits", s.balance, rx.text(s.spent_30, " spent in 30 days"), "stat-my-balance", "coins"),
            columns={"initial": "1", "xs": "2", "md": "3"},
            spacing="3",
            width="100%",
        ),
        rx.grid(
            chart_card("Items by type", rx.text(s.total_items, " in total", size="2", color_scheme="gray"),
                       bar_chart(s.kinds, "kind", [("items", "Items", _ACCENT)]), "my-kinds-chart"),
            chart_card("Credits spent per day", rx.text(s.spent_30, " in 30 days", size="2", color_scheme="gray"),
                       bar_chart(s.spending, "day", [("credits", "Credits", _SPENT)]), "my-spending-chart"),
            columns={"initial": "1", "md": "2"},
            spacing="3",
            width="100%",
        ),
        rx.grid(
            _list_card("Recent uploads",
                       rx.vstack(rx.foreach(s.recent, _recent_row), spacing="0", width="100%", id="my-recent"),
                       s.recent.length() == 0, "Nothing uploaded yet.", "my-recent-card"),
            _list_card("Recent activity",
                       rx.vstack(rx.foreach(s.activity, _activity_row), spacing="0", width="100%",
                                 id="my-activity"),
                       s.activity.length() == 0, "No activity yet.", "my-activity-card"),
            columns={"initial": "1", "md": "2"},
            spacing="3",
            width="100%",
        ),
        rx.hstack(
            rx.link(rx.button(rx.icon("upload", size=16), "Upload", variant="soft"), href=routes.UPLOAD),
            rx.link(rx.button(rx.icon("coins", size=16), "Credits", variant="soft"), href=routes.CREDITS),
            spacing="3",
            wrap="wrap",
        ),
        spacing="4",
        width="100%",
    )


@rx.page(route=routes.DASHBOARD, title=page_title("My dashboard"), on_load=UserDashboardState.load)
def user_dashboard() -> rx.Component:
    return layout(
        rx.vstack(
            _header("My dashboard", "Your library, your credits and what you did lately.", UserDashboardState),
            rx.cond(UserDashboardState.loaded, _user_board(),
                    rx.text(UserDashboardState.notice, color_scheme="gray", id="dashboard-notice")),
            spacing="4",
            width="100%",
            min_width="0",
            on_unmount=UserDashboardState.stop,
        ),
    )
