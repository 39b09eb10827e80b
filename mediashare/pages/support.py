"""/support: the signed-in person's tickets, and the form to open one."""

import reflex as rx

from mediashare import routes
from mediashare.components.fields import labelled, text_input
from mediashare.components.layout import layout, page_title
from mediashare.components.tickets import picture_picker, ticket_list
from mediashare.services import tickets as ticket_rules
from mediashare.state.tickets import CATEGORY_CHOICES, NEW_TICKET_UPLOAD_ID, SupportState


def _category_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder="Choose one", width="100%", id="ticket-category"),
        rx.select.content(*[rx.select.item(choice.label, value=choice.value) for choice in CATEGORY_CHOICES]),
        name="category",
        default_value=SupportState.category,
        size="3",
    )


def new_ticket_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Open a ticket", size="4"),
                rx.cond(SupportState.error != "",
                        rx.callout(SupportState.error, icon="triangle-alert", color_scheme="red", width="100%",
                                   id="ticket-error")),
                labelled("Subject", text_input("ticket-subject", "subject", default_value=SupportState.subject,
                                               max_length=ticket_rules.MAX_SUBJECT, required=True,
                                               placeholder="In a few words, what is it about?"),
                         html_for="ticket-subject"),
                labelled("Category", _category_select(), html_for="ticket-category"),
                labelled("Message", rx.text_area(id="ticket-message", name="message",
                                                 default_value=SupportState.message, rows="6", width="100%",
                                                 size="3", required=True, max_length=ticket_rules.MAX_BODY,
                                                 placeholder="What happened, and what did you expect?"),
                         html_for="ticket-message"),
                picture_picker(NEW_TICKET_UPLOAD_ID),
                rx.button(rx.icon("send", size=16), "Send ticket", type="submit", size="3",
                          loading=SupportState.sending, id="ticket-send"),
                spacing="3", width="100%",
            ),
            on_submit=[SupportState.stage_ticket,
                       SupportState.send_ticket(rx.upload_files(upload_id=NEW_TICKET_UPLOAD_ID))],
            reset_on_submit=False,
            key=SupportState.form_key.to_string(),
            width="100%",
        ),
        width="100%",
    )


@rx.page(route=routes.SUPPORT, title=page_title("Support"), on_load=SupportState.load)
def support() -> rx.Component:
    return layout(
        rx.vstack(
            rx.flex(
                rx.vstack(rx.heading("Support", size="7"),
                          rx.text("Ask us anything. We answer here and let you know by email.",
                                  size="2", color_scheme="gray"),
                          spacing="1"),
                rx.spacer(),
                rx.cond(SupportState.is_reseller | SupportState.is_admin,
                        rx.link(rx.button(rx.icon("inbox", size=16), "Support queue", variant="soft"),
                                href=routes.SUPPORT_QUEUE, id="support-queue-link")),
                wrap="wrap", spacing="3", align="end", width="100%",
            ),
            rx.grid(
                new_ticket_form(),
                rx.vstack(
                    rx.heading("My tickets", size="4"),
                    rx.cond(
                        SupportState.loaded,
                        rx.cond(SupportState.rows.length() == 0,
                                rx.text("You have no tickets yet.", color_scheme="gray", id="no-tickets"),
                                ticket_list(SupportState.rows, staff=False, id="my-tickets")),
                        rx.spinner(),
                    ),
                    spacing="3", width="100%",
                ),
                columns=rx.breakpoints(initial="1", md="2"), spacing="5", width="100%",
            ),
            spacing="5", width="100%",
        )
    )
