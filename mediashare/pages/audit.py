"""/admin/audit: the audit log, filtered and paged, with a CSV export (admins and superusers)."""

import reflex as rx

from mediashare import routes
from mediashare.components.audit_table import audit_filters, audit_pager, audit_table
from mediashare.components.layout import layout, page_title
from mediashare.state.audit_log import AuditLogState


@rx.page(route=routes.ADMIN_AUDIT, title=page_title("Audit log"), on_load=AuditLogState.load)
def audit() -> rx.Component:
    return layout(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.heading("Audit log", size="7"),
                    rx.text("Who did what, to whom, from where. Entries cannot be changed or removed.",
                            size="2", color_scheme="gray"),
                    spacing="1",
                ),
                rx.spacer(),
                # a real download (rx.el.a is React Router's Link: reload_document makes the browser
                # fetch it, sending our HttpOnly cookie, instead of routing inside the app)
                rx.el.a(rx.button(rx.icon("download", size=16), "Export CSV", variant="soft", tab_index=-1),
                        href=AuditLogState.export_url, download="mediashare-audit-log.csv", reload_document=True,
                        id="audit-export"),
                wrap="wrap",
                spacing="3",
                align="end",
                width="100%",
            ),
            audit_filters(),
            rx.cond(
                AuditLogState.loaded,
                rx.vstack(
                    audit_table(),
                    rx.cond(AuditLogState.entries.length() == 0, rx.text("No events match.", color_scheme="gray")),
                    audit_pager(),
                    spacing="3",
                    width="100%",
                ),
                rx.text(AuditLogState.notice, color_scheme="gray"),
            ),
            spacing="4",
            width="100%",
            min_width="0",
        )
    )
