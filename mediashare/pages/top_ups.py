"""/top-ups: the top-up requests a reseller (its own customers') or an admin (everyone's) decides."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.topups import decision_dialog, queue_card
from mediashare.state.payments import STATUSES, TopUpQueueState


@rx.page(route=routes.TOP_UPS, title=page_title("Top-up requests"), on_load=TopUpQueueState.load)
def top_ups() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Top-up requests", size="7"),
            rx.text("Approve a request once its payment has arrived, with the payment's reference.", size="2",
                    color_scheme="gray"),
            rx.select(STATUSES, value=TopUpQueueState.status, on_change=TopUpQueueState.show, id="topups-status",
                      aria_label="Status"),
            rx.cond(
                TopUpQueueState.rows.length() == 0,
                rx.text("Nothing here.", color_scheme="gray", id="topups-empty"),
                rx.vstack(rx.foreach(TopUpQueueState.rows, queue_card), spacing="2", width="100%", id="topups-list"),
            ),
            decision_dialog(),
            spacing="4",
            width="100%",
        ),
        max_width="48em",
    )
