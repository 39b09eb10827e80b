"""The audit log's filter form and table; every value is rendered as text."""

from __future__ import annotations

import reflex as rx

from mediashare.state.audit_log import ACTIONS, AuditLogState, AuditRow


def _field(label: str, name: str, value: rx.Var, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray", as_="label", html_for=f"audit-{name}"),
        rx.input(name=name, id=f"audit-{name}", default_value=value, **props),
        spacing="1",
        flex="1 1 10em",
        min_width="0",
    )


def audit_filters() -> rx.Component:
    return rx.form(
        rx.flex(
            _field("Who acted (username or email)", "actor", AuditLogState.actor, max_length=254),
            _field("Done to (username or email)", "target", AuditLogState.target, max_length=254),
            rx.vstack(
                rx.text("Action", size="1", color_scheme="gray"),
                rx.select(ACTIONS, name="action", default_value=AuditLogState.action, width="100%"),
                spacing="1",
                flex="1 1 12em",
                min_width="0",
            ),
            _field("From", "since", AuditLogState.since, type="date"),
            _field("To", "until", AuditLogState.until, type="date"),
            rx.button(rx.icon("filter", size=16), "Apply", type="submit", id="audit-apply"),
            wrap="wrap",
            spacing="3",
            align="end",
            width="100%",
        ),
        on_submit=AuditLogState.apply,
        reset_on_submit=False,
        width="100%",
    )


def audit_row(row: AuditRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.time, white_space="nowrap"),
        rx.table.cell(rx.code(row.action, variant="ghost")),
        rx.table.cell(row.actor),
        rx.table.cell(row.target),
        rx.table.cell(row.ip, white_space="nowrap"),
        rx.table.cell(rx.text(row.details, size="1", font_family="monospace", word_break="break-word"),
                      max_width="28em", title=row.user_agent),
        align="center",
    )


def audit_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(label, white_space="nowrap") for label in
                                           ("Time (UTC)", "Action", "Actor", "Target", "IP", "Details")])),
            rx.table.body(rx.foreach(AuditLogState.entries, audit_row)),
            variant="surface",
            size="1",
            width="100%",
            id="audit-table",
        ),
        width="100%",
        max_width="100%",
        overflow_x="auto",
    )


def audit_pager() -> rx.Component:
    return rx.flex(
        rx.text("Page ", AuditLogState.page_number, ", newest first", size="2", color_scheme="gray"),
        rx.spacer(),
        rx.button(rx.icon("chevron-left", size=16), "Newer", variant="soft", disabled=AuditLogState.page_number <= 1,
                  on_click=AuditLogState.newer),
        rx.button("Older", rx.icon("chevron-right", size=16), variant="soft", disabled=~AuditLogState.has_older,
                  on_click=AuditLogState.older),
        spacing="3",
        align="center",
        wrap="wrap",
        width="100%",
    )
