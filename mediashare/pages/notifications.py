"""/notifications: the signed-in user's recent notifications."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout
from mediashare.state.notifications import NotificationRow, NotificationState


def notification_item(item: NotificationRow) -> rx.Component:
    return rx.flex(
        rx.box(
            width="0.5em", height="0.5em", border_radius="50%", margin_top="0.5em", flex_shrink="0",
            background_color=rx.cond(item.unread, rx.color("accent", 9), "transparent"),
        ),
        rx.vstack(
            rx.text(item.title, weight=rx.cond(item.unread, "bold", "regular"), size="3"),
            rx.cond(item.body != "", rx.text(item.body, size="2", color_scheme="gray")),
            rx.text(item.created, size="1", color_scheme="gray"),
            spacing="1",
            min_width="0",
        ),
        spacing="3",
        align="start",
        width="100%",
        padding="0.75em",
        border_radius="var(--radius-3)",
        cursor="pointer",
        _hover={"background_color": rx.color("gray", 3)},
        on_click=NotificationState.open_item(item.id),
        class_name="notification-item",
    )


@rx.page(route=routes.NOTIFICATIONS, title="Notifications · MediaShare", on_load=NotificationState.load)
def notifications() -> rx.Component:
    return layout(
        rx.vstack(
            rx.flex(
                rx.heading("Notifications", size="7"),
                rx.spacer(),
                rx.button(rx.icon("check-check", size=16), "Mark all as read", variant="soft",
                          on_click=NotificationState.mark_all_read, disabled=NotificationState.unread == 0,
                          id="mark-all-read"),
                align="center",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            rx.card(
                rx.cond(
                    NotificationState.items.length() > 0,
                    rx.vstack(rx.foreach(NotificationState.items, notification_item), spacing="1", width="100%"),
                    rx.center(
                        rx.vstack(
                            rx.icon("bell-off", size=32, color=rx.color("gray", 9)),
                            rx.text("Nothing here yet.", color_scheme="gray"),
                            align="center",
                        ),
                        padding_y="2em",
                    ),
                ),
                width="100%",
                id="notification-list",
            ),
            spacing="4",
            width="100%",
        ),
        max_width="48em",
    )
