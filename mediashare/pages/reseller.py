"""/reseller: a reseller's business at a glance (admins: `?reseller=<id>` for any reseller)."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.reseller import LowBalanceRow, ResellerState


def stat(label: str, value: rx.Var, hint: rx.Component | str, stat_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="2", color_scheme="gray"),
            rx.text(value, size="7", weight="bold", id=stat_id),
            rx.text(hint, size="1", color_scheme="gray"),
            spacing="1",
        ),
        width="100%",
    )


def consumption_chart() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Customers' consumption per week", size="4"),
                rx.spacer(),
                rx.text(ResellerState.consumed_12_weeks, " credits in 12 weeks", size="2", color_scheme="gray",
                        id="consumed-12-weeks"),
                wrap="wrap",
                width="100%",
                align="baseline",
            ),
            rx.recharts.responsive_container(
                rx.recharts.bar_chart(
                    rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
                    rx.recharts.x_axis(data_key="week", tick_line=False, font_size=11, interval="preserveStartEnd"),
                    rx.recharts.y_axis(allow_decimals=False, width=40, font_size=11),
                    rx.recharts.graphing_tooltip(),
                    rx.recharts.bar(data_key="credits", name="Credits", fill=rx.color("accent", 9)),
                    data=ResellerState.weeks,
                    margin={"top": 8, "right": 8, "left": 0, "bottom": 0},
                ),
                width="100%",
                height=260,
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="consumption-chart",
    )


def low_balance_row(row: LowBalanceRow) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(row.name, weight="medium"),
            rx.text(row.username, size="1", color_scheme="gray"),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.text(row.balance, " credits", white_space="nowrap", color_scheme="amber"),
        rx.cond(
            ResellerState.own,
            rx.button(rx.icon("hand-coins", size=14), "Top up", size="1", variant="soft",
                      on_click=ResellerState.open_topup(row.id), aria_label=f"Top up {row.username}"),
        ),
        width="100%",
        align="center",
        padding_y="0.4em",
        border_bottom="1px solid var(--gray-a4)",
        custom_attrs={"data-username": row.username},
    )


def low_balance_list() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Low balance", size="4"),
            rx.text("Customers with fewer than ", ResellerState.threshold, " credits.", size="2", color_scheme="gray"),
            rx.cond(
                ResellerState.low_balance.length() == 0,
                rx.text("Nobody is running low.", size="2", color_scheme="gray"),
                rx.vstack(rx.foreach(ResellerState.low_balance, low_balance_row), spacing="0", width="100%",
                          id="low-balance"),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def topup_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.text("Top up ", ResellerState.topup_username)),
            rx.form(
                rx.vstack(
                    rx.callout(rx.text("You have ", rx.text.strong(ResellerState.balance), " credits."),
                               icon="coins", size="1", variant="surface"),
                    rx.text("Credits", size="2", weight="medium", as_="label", html_for="quick-amount"),
                    rx.input(name="amount", id="quick-amount", required=True, input_mode="numeric", max_length=16,
                             auto_complete="off", width="100%"),
                    rx.text("Note (optional)", size="2", weight="medium", as_="label", html_for="quick-note"),
                    rx.input(name="note", id="quick-note", max_length=120, width="100%"),
                    rx.flex(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Top up", type="submit", id="quick-topup-submit"),
                        spacing="3",
                        justify="end",
                        width="100%",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=ResellerState.submit_topup,
                reset_on_submit=False,
            ),
            max_width="28em",
        ),
        open=ResellerState.topup_open,
        on_open_change=ResellerState.set_topup_open,
    )


@rx.page(route=routes.RESELLER, title=page_title("Business"), on_load=ResellerState.load)
def reseller() -> rx.Component:
    return layout(
        rx.vstack(
            rx.vstack(
                rx.heading("Business", size="7"),
                rx.cond(
                    ResellerState.own,
                    rx.text("Your customers and the credits you give them.", size="2", color_scheme="gray"),
                    rx.text("The business of ", ResellerState.reseller_name, ".", size="2", color_scheme="gray",
                            id="dashboard-of"),
                ),
                spacing="1",
            ),
            rx.cond(
                ResellerState.loaded,
                rx.vstack(
                    rx.grid(
                        stat("Customers", ResellerState.customers,
                             rx.text(ResellerState.active_customers, " active in the last 30 days",
                                     id="stat-active"), "stat-customers"),
                        stat("Credits distributed", ResellerState.distributed_total,
                             rx.text(ResellerState.distributed_this_month, " this month", id="stat-month"),
                             "stat-distributed"),
                        stat("Your balance", ResellerState.balance, "credits you can give", "stat-balance"),
                        stat("Earnings", ResellerState.earnings_total,
                             rx.text(ResellerState.earnings_month, " this month · ", ResellerState.earnings_count,
                                     " top-ups paid", id="stat-earnings-month"), "stat-earnings"),
                        columns={"initial": "1", "sm": "2", "md": "4"},
                        spacing="3",
                        width="100%",
                    ),
                    consumption_chart(),
                    low_balance_list(),
                    spacing="4",
                    width="100%",
                ),
                rx.text(ResellerState.notice, color_scheme="gray", id="dashboard-notice"),
            ),
            topup_dialog(),
            spacing="4",
            width="100%",
            min_width="0",
        ),
    )
