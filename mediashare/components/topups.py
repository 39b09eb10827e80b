"""Pieces of the top-up pages: a request as a card (phone-friendly), the decision dialog, the
payments filters and tables. Every value is rendered as text."""

from __future__ import annotations

import reflex as rx

from mediashare.state.payments import STATUSES, PaymentsState, RequestRow, TopUpQueueState, TopUpState, TotalRow

_STATUS_COLORS = {"pending": "amber", "approved": "green", "rejected": "red", "cancelled": "gray"}


def status_badge(status: rx.Var) -> rx.Component:
    return rx.badge(status, color_scheme=rx.match(status, *_STATUS_COLORS.items(), "gray"), variant="soft",
                    class_name="topup-status")


def _details(row: RequestRow, *, show_user: bool) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.text("#", row.id, weight="bold"), status_badge(row.status),
                  rx.cond(show_user, rx.text(row.user, weight="medium")), spacing="2", align="center", wrap="wrap"),
        rx.text(row.what, " · ", row.price, size="2"),
        rx.text("Asked ", row.created, size="1", color_scheme="gray"),
        rx.cond(row.decided != "", rx.text(rx.cond(row.status == "cancelled", "Cancelled ", "Decided "), row.decided,
                                           rx.cond(row.decided_by != "", " by " + row.decided_by, ""),
                                           size="1", color_scheme="gray")),
        rx.cond(row.reference != "", rx.text("Reference: ", row.reference, size="1", word_break="break-all")),
        rx.cond(row.reason != "", rx.text("Reason: ", row.reason, size="1", word_break="break-word")),
        spacing="1",
        min_width="0",
        flex="1",
    )


def own_request_card(row: RequestRow) -> rx.Component:
    return rx.card(
        rx.flex(
            _details(row, show_user=False),
            rx.cond(row.pending, rx.button("Cancel", size="1", variant="soft", color_scheme="gray",
                                           on_click=TopUpState.cancel(row.id), class_name="topup-cancel")),
            spacing="3", align="start", width="100%",
        ),
        width="100%",
        class_name="topup-request",
    )


def queue_card(row: RequestRow) -> rx.Component:
    return rx.card(
        rx.flex(
            _details(row, show_user=True),
            rx.cond(row.pending, rx.flex(
                rx.button("Approve", size="2", color_scheme="green",
                          on_click=TopUpQueueState.open_decision(row.id, "approve"), class_name="topup-approve"),
                rx.button("Reject", size="2", variant="soft", color_scheme="red",
                          on_click=TopUpQueueState.open_decision(row.id, "reject"), class_name="topup-reject"),
                spacing="2", wrap="wrap",
            )),
            spacing="3", align="start", width="100%", wrap="wrap",
        ),
        width="100%",
        class_name="topup-queue-row",
    )


def decision_dialog() -> rx.Component:
    approving = TopUpQueueState.deciding_kind == "approve"
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(approving, "Approve top-up", "Reject top-up")),
            rx.text(TopUpQueueState.deciding_summary, size="2"),
            rx.form(
                rx.vstack(
                    rx.cond(
                        approving,
                        rx.vstack(
                            rx.text("Payment reference (e.g. the bank transfer's)", size="2", as_="label",
                                    html_for="decision-reference"),
                            rx.input(name="reference", id="decision-reference", max_length=128, width="100%"),
                            rx.text("Approving moves the credits now. As a reseller, they come from your balance.",
                                    size="1", color_scheme="gray"),
                            spacing="1", width="100%",
                        ),
                        rx.vstack(
                            rx.text("Reason (the requester is told)", size="2", as_="label",
                                    html_for="decision-reason"),
                            rx.text_area(name="reason", id="decision-reason", max_length=500, width="100%"),
                            spacing="1", width="100%",
                        ),
                    ),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                        rx.button(rx.cond(approving, "Approve", "Reject"), type="submit", id="decision-submit",
                                  color_scheme=rx.cond(approving, "green", "red")),
                        spacing="3", justify="end", width="100%",
                    ),
                    spacing="3", width="100%", margin_top="0.75em",
                ),
                on_submit=TopUpQueueState.submit_decision,
                reset_on_submit=True,
            ),
            max_width="28em",
            id="decision-dialog",
        ),
        open=TopUpQueueState.deciding_id > 0,
        on_open_change=TopUpQueueState.set_dialog_open,
    )


def _field(label: str, name: str, value: rx.Var, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray", as_="label", html_for=f"payments-{name}"),
        rx.input(name=name, id=f"payments-{name}", default_value=value, **props),
        spacing="1", flex="1 1 9em", min_width="0",
    )


def payments_filters() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.vstack(rx.text("Status", size="1", color_scheme="gray"),
                      rx.select(["any", *STATUSES], name="status", default_value=PaymentsState.status, width="100%"),
                      spacing="1", flex="1 1 8em", min_width="0"),
            _field("Account (username)", "user", PaymentsState.user, max_length=64),
            _field("Decided by (username)", "decider", PaymentsState.decider, max_length=64),
            _field("From", "since", PaymentsState.since, type="date"),
            _field("To", "until", PaymentsState.until, type="date"),
            rx.vstack(rx.text("Totals per", size="1", color_scheme="gray"),
                      rx.select(["month", "week"], name="per", default_value=PaymentsState.per, width="100%"),
                      spacing="1", flex="1 1 7em", min_width="0"),
            rx.button(rx.icon("filter", size=16), "Apply", type="submit", id="payments-apply"),
            wrap="wrap", spacing="3", align="end", width="100%",
        ),
        on_submit=PaymentsState.apply,
        reset_on_submit=False,
        width="100%",
    )


def _total_row(row: TotalRow) -> rx.Component:
    return rx.table.row(rx.table.cell(row.period, white_space="nowrap"), rx.table.cell(row.count),
                        rx.table.cell(row.credits), rx.table.cell(row.amount, white_space="nowrap"))


def totals_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(label) for label in
                                           ("Period", "Top-ups", "Credits", "Paid")])),
            rx.table.body(rx.foreach(PaymentsState.totals, _total_row)),
            variant="surface", size="1", width="100%", id="payments-totals",
        ),
        width="100%", overflow_x="auto",
    )


def _history_row(row: RequestRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.id), rx.table.cell(row.created, white_space="nowrap"),
        rx.table.cell(status_badge(row.status)),
        rx.table.cell(row.user), rx.table.cell(row.what), rx.table.cell(row.price, white_space="nowrap"),
        rx.table.cell(row.decided_by), rx.table.cell(row.reference, word_break="break-all"),
        rx.table.cell(row.reason, max_width="16em"),
        align="center",
    )


def history_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(label, white_space="nowrap") for label in
                                           ("#", "Asked (UTC)", "Status", "Account", "What", "Price", "Decided by",
                                            "Reference", "Reason")])),
            rx.table.body(rx.foreach(PaymentsState.rows, _history_row)),
            variant="surface", size="1", width="100%", id="payments-history",
        ),
        width="100%", max_width="100%", overflow_x="auto",
    )
