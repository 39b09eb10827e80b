"""/admin/payments: approved top-ups per period, the filtered history and its CSV (admins)."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.topups import history_table, payments_filters, totals_table
from mediashare.state.payments import PaymentsState


@rx.page(route=routes.ADMIN_PAYMENTS, title=page_title("Payments"), on_load=PaymentsState.load)
def payments() -> rx.Component:
    return layout(
        rx.vstack(
            rx.flex(
                rx.vstack(rx.heading("Payments", size="7"),
                          rx.text("Top-ups paid and asked for. Totals count approved ones by approval date.",
                                  size="2", color_scheme="gray"),
                          spacing="1"),
                rx.spacer(),
                rx.link(rx.button(rx.icon("hand-coins", size=16), "Requests to decide", variant="soft"),
                        href=routes.TOP_UPS, id="payments-queue"),
                # a real download (see the audit page): the browser sends our HttpOnly cookie
                rx.el.a(rx.button(rx.icon("download", size=16), "Export CSV", variant="soft", tab_index=-1),
                        href=PaymentsState.export_url, download="mediashare-payments.csv", reload_document=True,
                        id="payments-export"),
                wrap="wrap", spacing="3", align="end", width="100%",
            ),
            payments_filters(),
            rx.cond(
                PaymentsState.loaded,
                rx.vstack(
                    rx.heading("Totals", size="4"),
                    rx.cond(PaymentsState.totals.length() == 0,
                            rx.text("No approved top-ups in this range.", color_scheme="gray"), totals_table()),
                    rx.heading("History", size="4"),
                    rx.cond(PaymentsState.rows.length() == 0, rx.text("No requests match.", color_scheme="gray"),
                            history_table()),
                    rx.cond(PaymentsState.has_more, rx.button("Load more", variant="soft",
                                                              on_click=PaymentsState.load_more, id="payments-more")),
                    spacing="3", width="100%",
                ),
                rx.text(PaymentsState.notice, color_scheme="gray"),
            ),
            spacing="4", width="100%", min_width="0",
        )
    )
