"""/support/ticket/[ticket_id]: one ticket's thread; replies; status, assignment and escalation for staff."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.tickets import picture_picker, status_badge, thread
from mediashare.services import tickets as ticket_rules
from mediashare.state.tickets import REPLY_UPLOAD_ID, STATUS_CHOICES, TicketState


def _reply_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.cond(TicketState.error != "",
                        rx.callout(TicketState.error, icon="triangle-alert", color_scheme="red", width="100%")),
                rx.el.label(rx.text("Your reply", size="2", weight="medium"), html_for="reply-message"),
                rx.text_area(id="reply-message", name="message", default_value=TicketState.reply_text, rows="4",
                             width="100%", size="3", required=True, max_length=ticket_rules.MAX_BODY),
                picture_picker(REPLY_UPLOAD_ID),
                rx.button(rx.icon("reply", size=16), "Send reply", type="submit", loading=TicketState.sending,
                          id="reply-send"),
                spacing="2", width="100%",
            ),
            on_submit=[TicketState.stage_reply, TicketState.send_reply(rx.upload_files(upload_id=REPLY_UPLOAD_ID))],
            reset_on_submit=False,
            key=TicketState.form_key.to_string(),
            width="100%",
        ),
        width="100%",
    )


def _staff_panel() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text("Status", size="1", color_scheme="gray"),
                rx.select.root(
                    rx.select.trigger(id="ticket-status-select", width="100%"),
                    rx.select.content(*[rx.select.item(c.label, value=c.value) for c in STATUS_CHOICES]),
                    value=TicketState.status, on_change=TicketState.set_status,
                ),
                spacing="1", flex="1 1 9em", min_width="0",
            ),
            rx.vstack(
                rx.text("Assigned to", size="1", color_scheme="gray"),
                rx.select.root(
                    rx.select.trigger(id="ticket-assignee-select", width="100%"),
                    rx.select.content(
                        rx.select.item("Nobody", value="none"),
                        rx.foreach(TicketState.handlers, lambda c: rx.select.item(c.label, value=c.value)),
                    ),
                    value=TicketState.assignee, on_change=TicketState.assign,
                ),
                spacing="1", flex="1 1 12em", min_width="0",
            ),
            rx.cond(TicketState.can_escalate,
                    rx.button(rx.icon("arrow-up-right", size=16), "Escalate to admins", variant="soft",
                              color_scheme="orange", on_click=TicketState.escalate, id="ticket-escalate")),
            wrap="wrap", spacing="3", align="end", width="100%",
        ),
        width="100%",
        id="ticket-staff-panel",
    )


def _ticket() -> rx.Component:
    return rx.vstack(
        rx.link(rx.hstack(rx.icon("arrow-left", size=14), rx.text("Back", size="2"), align="center", spacing="1"),
                href=rx.cond(TicketState.can_handle & ~TicketState.is_requester, routes.SUPPORT_QUEUE,
                             routes.SUPPORT)),
        rx.heading("#", TicketState.ticket_id, " ", TicketState.subject, size="6", id="ticket-subject",
                   style={"overflow-wrap": "anywhere"}),
        rx.flex(
            status_badge(TicketState.status),
            rx.badge(TicketState.category, variant="outline"),
            rx.text("From ", TicketState.requester, " · handled by ", TicketState.handled_by, size="2",
                    color_scheme="gray", id="ticket-handled-by"),
            wrap="wrap", spacing="2", align="center",
        ),
        rx.cond(TicketState.can_handle, _staff_panel()),
        thread(TicketState.messages),
        rx.cond(
            TicketState.status == "closed",
            rx.callout("This ticket is closed. Open a new ticket if you need more help.", icon="lock",
                       color_scheme="gray", width="100%"),
            _reply_form(),
        ),
        rx.cond(TicketState.is_requester & ~TicketState.can_handle & (TicketState.status != "closed"),
                rx.button("Close this ticket", variant="ghost", color_scheme="gray", size="2",
                          on_click=TicketState.set_status("closed"), id="ticket-close")),
        spacing="4", width="100%", max_width="48em",
    )


@rx.page(route=routes.SUPPORT_TICKET, title=page_title("Support ticket"), on_load=TicketState.load)
def support_ticket() -> rx.Component:
    return layout(
        rx.cond(
            TicketState.loaded,
            rx.cond(
                TicketState.missing,
                rx.vstack(rx.heading("Ticket not found", size="6"),
                          rx.text(ticket_rules.NOT_FOUND_MESSAGE, color_scheme="gray"),
                          rx.link("Back to support", href=routes.SUPPORT), spacing="3"),
                _ticket(),
            ),
            rx.center(rx.spinner(), width="100%", padding="3em"),
        )
    )
