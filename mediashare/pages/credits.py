"""/credits: the signed-in user's balance and statement (newest first, "Load more" for older)."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.credits import CreditsState, StatementRow


def statement_row(row: StatementRow) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.hstack(rx.badge(row.kind, variant="soft"), rx.text(row.date, size="1", color_scheme="gray"),
                      spacing="2", align="center", wrap="wrap"),
            rx.text(row.reference, size="2", color_scheme="gray", word_break="break-all"),
            spacing="1",
            min_width="0",
        ),
        rx.spacer(),
        rx.text(row.amount, weight="bold", color_scheme=rx.cond(row.incoming, "green", "red"),
                white_space="nowrap", class_name="credits-amount"),
        width="100%",
        align="center",
        padding_y="0.5em",
        border_bottom="1px solid var(--gray-a4)",
        class_name="credits-row",
    )


@rx.page(route=routes.CREDITS, title=page_title("Credits"), on_load=CreditsState.load)
def credits() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Credits", size="7"),
            rx.card(
                rx.hstack(
                    rx.icon("coins", size=24),
                    rx.text("Balance", size="3"),
                    rx.spacer(),
                    rx.text(CreditsState.balance, size="6", weight="bold", id="credits-balance"),
                    align="center",
                    width="100%",
                ),
                width="100%",
            ),
            rx.flex(
                rx.text("Need more? Ask for a top-up; your reseller or an administrator confirms the payment.",
                        size="2", color_scheme="gray"),
                rx.link(rx.button(rx.icon("circle-plus", size=16), "Top up", variant="soft"), href=routes.TOP_UP,
                        id="credits-top-up"),
                spacing="3", wrap="wrap", align="center",
            ),
            rx.heading("History", size="4"),
            rx.cond(
                CreditsState.rows.length() == 0,
                rx.text("No movements yet.", color_scheme="gray"),
                rx.vstack(rx.foreach(CreditsState.rows, statement_row), spacing="0", width="100%",
                          id="credits-history"),
            ),
            rx.cond(
                CreditsState.next_before > 0,
                rx.button("Load more", on_click=CreditsState.load_more, variant="soft", id="credits-more"),
            ),
            spacing="4",
            width="100%",
        ),
        max_width="40em",
    )
