"""/support/queue: the tickets a reseller or an admin handles, with filters and search."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.tickets import ticket_list
from mediashare.state.tickets import CATEGORY_CHOICES, STATUS_CHOICES, TicketQueueState


def _filter(label: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color_scheme="gray"), control, spacing="1", flex="1 1 9em",
                     min_width="0")


def _filters() -> rx.Component:
    return rx.flex(
        _filter("Status", rx.select.root(
            rx.select.trigger(width="100%", id="queue-status"),
            rx.select.content(rx.select.item("Open or pending", value="active"), rx.select.item("Any", value="all"),
                              *[rx.select.item(c.label, value=c.value) for c in STATUS_CHOICES]),
            value=TicketQueueState.status, on_change=TicketQueueState.set_status_filter)),
        _filter("Category", rx.select.root(
            rx.select.trigger(width="100%", id="queue-category"),
            rx.select.content(rx.select.item("Any", value="all"),
                              *[rx.select.item(c.label, value=c.value) for c in CATEGORY_CHOICES]),
            value=TicketQueueState.category, on_change=TicketQueueState.set_category_filter)),
        _filter("Assigned to", rx.select.root(
            rx.select.trigger(width="100%", id="queue-assignee"),
            rx.select.content(rx.select.item("Anyone", value="anyone"), rx.select.item("Me", value="me"),
                              rx.select.item("Nobody", value="none"),
                              rx.foreach(TicketQueueState.assignee_choices,
                                         lambda c: rx.select.item(c.label, value=c.value))),
            value=TicketQueueState.assignee, on_change=TicketQueueState.set_assignee_filter)),
        rx.form(
            rx.hstack(
                rx.input(placeholder="Words, or #42", name="search", default_value=TicketQueueState.search,
                         type="search", id="queue-search", max_length=200, width="100%"),
                rx.icon_button(rx.icon("search", size=16), type="submit", aria_label="Search", id="queue-search-go"),
                spacing="2", width="100%",
            ),
            on_submit=TicketQueueState.search_tickets, reset_on_submit=False, flex="2 1 14em", min_width="0",
        ),
        wrap="wrap", spacing="3", align="end", width="100%",
    )


@rx.page(route=routes.SUPPORT_QUEUE, title=page_title("Support queue"), on_load=TicketQueueState.load)
def support_queue() -> rx.Component:
    return layout(
        rx.vstack(
            rx.vstack(rx.heading("Support queue", size="7"),
                      rx.text(rx.cond(TicketQueueState.is_admin,
                                      "Tickets for the admins: from accounts without a reseller, and escalated ones.",
                                      "Tickets from your customers. Escalate one when the admins must step in."),
                              size="2", color_scheme="gray"),
                      spacing="1"),
            _filters(),
            rx.cond(
                TicketQueueState.loaded,
                rx.cond(TicketQueueState.rows.length() == 0,
                        rx.text("No tickets match.", color_scheme="gray", id="queue-empty"),
                        ticket_list(TicketQueueState.rows, staff=True, id="queue-tickets")),
                rx.spinner(),
            ),
            rx.link("Open a ticket yourself", href=routes.SUPPORT, size="2"),
            spacing="4", width="100%",
        )
    )
