"""/admin/system: health of the database, Redis and storage (admins and superusers)."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.system import HealthRow, SystemState


def health_row(row: HealthRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.part),
        rx.table.cell(
            rx.badge(
                rx.cond(row.ok, rx.icon("circle-check", size=14), rx.icon("circle-x", size=14)),
                row.status,
                color_scheme=rx.cond(row.ok, "green", "red"),
                variant="soft",
            )
        ),
    )


@rx.page(route=routes.SYSTEM, title=page_title("System"), on_load=SystemState.load)
def system() -> rx.Component:
    return layout(
        rx.vstack(
            rx.hstack(
                rx.heading("System", size="7"),
                rx.spacer(),
                rx.button(rx.icon("refresh-cw", size=16), "Check again", on_click=SystemState.load, variant="soft"),
                width="100%",
                align="center",
            ),
            rx.cond(
                SystemState.checked,
                rx.vstack(
                    rx.text("Version ", SystemState.version, color_scheme="gray"),
                    rx.table.root(
                        rx.table.header(rx.table.row(rx.table.column_header_cell("Part"),
                                                     rx.table.column_header_cell("Status"))),
                        rx.table.body(rx.foreach(SystemState.rows, health_row)),
                        width="100%",
                    ),
                    width="100%",
                ),
                rx.text("Only administrators can see the system status.", color_scheme="gray"),
            ),
            spacing="4",
            width="100%",
        ),
    )
