"""/notifications: the signed-in user's notifications, unread or all, a page at a time."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.notifications import NotificationRow, NotificationState


def kind_icon(kind: rx.Var) -> rx.Component:
    """An icon for each kind of notification (a bell for any other)."""
    return rx.match(
        kind,
        ("processing_done", rx.icon("circle-check", size=18, color=rx.color("green", 10))),
        ("processing_failed", rx.icon("circle-alert", size=18, color=rx.color("red", 10))),
        ("new_device", rx.icon("monitor-smartphone", size=18, color=rx.color("amber", 10))),
        ("low_credits", rx.icon("coins", size=18, color=rx.color("amber", 10))),
        ("topup_approved", rx.icon("badge-check", size=18, color=rx.color("green", 10))),
        ("topup_declined", rx.icon("circle-x", size=18, color=rx.color("red", 10))),
        ("ticket_reply", rx.icon("message-square", size=18, color=rx.color("accent", 10))),
        ("share_viewed", rx.icon("eye", size=18, color=rx.color("accent", 10))),
        ("referral", rx.icon("gift", size=18, color=rx.color("accent", 10))),
        rx.icon("bell", size=18, color=rx.color("gray", 10)),
    )


def notification_item(item: NotificationRow) -> rx.Component:
    return rx.flex(
        rx.box(kind_icon(item.kind), padding_top="0.15em", flex_shrink="0"),
        rx.vstack(
            rx.text(item.title, weight=rx.cond(item.unread, "bold", "regular"), size="3"),
            rx.cond(item.body != "", rx.text(item.body, size="2", color_scheme="gray")),
            rx.text(item.ago, size="1", color_scheme="gray", title=item.created),
            spacing="1",
            min_width="0",
            flex_grow="1",
            on_click=NotificationState.open_item(item.id),
            cursor=rx.cond(item.link != "", "pointer", "default"),
        ),
        rx.cond(
            item.unread,
            rx.tooltip(
                rx.icon_button(rx.icon("check", size=16), variant="ghost", size="2",
                               on_click=NotificationState.mark_read(item.id), aria_label="Mark as read",
                               class_name="mark-read"),
                content="Mark as read",
            ),
            rx.box(width="2em", flex_shrink="0"),
        ),
        spacing="3",
        align="start",
        width="100%",
        padding="0.75em",
        border_radius="var(--radius-3)",
        background_color=rx.cond(item.unread, rx.color("accent", 2), "transparent"),
        _hover={"background_color": rx.color("gray", 3)},
        class_name=rx.cond(item.unread, "notification-item unread", "notification-item"),
    )


def _filters() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item("All", value="all"),
        rx.segmented_control.item("Unread", value="unread"),
        value=rx.cond(NotificationState.unread_only, "unread", "all"),
        on_change=NotificationState.show,
        id="notification-filter",
    )


def _pager() -> rx.Component:
    return rx.cond(
        NotificationState.pages > 1,
        rx.flex(
            rx.button(rx.icon("chevron-left", size=16), "Newer", variant="soft", color_scheme="gray",
                      disabled=NotificationState.page <= 1,
                      on_click=NotificationState.go_to_page(NotificationState.page - 1), id="notifications-newer"),
            rx.text("Page ", NotificationState.page, " of ", NotificationState.pages, size="2", color_scheme="gray"),
            rx.button("Older", rx.icon("chevron-right", size=16), variant="soft", color_scheme="gray",
                      disabled=NotificationState.page >= NotificationState.pages,
                      on_click=NotificationState.go_to_page(NotificationState.page + 1), id="notifications-older"),
            justify="between",
            align="center",
            width="100%",
        ),
    )


def _empty() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("bell-off", size=32, color=rx.color("gray", 9)),
            rx.text(rx.cond(NotificationState.unread_only, "Nothing unread. You are all caught up.",
                            "Nothing here yet."), color_scheme="gray"),
            align="center",
        ),
        padding_y="2em",
    )


@rx.page(route=routes.NOTIFICATIONS, title=page_title("Notifications"), on_load=NotificationState.load)
def notifications() -> rx.Component:
    return layout(
        rx.vstack(
            rx.flex(
                rx.heading("Notifications", size="7"),
                rx.spacer(),
                rx.link(rx.button(rx.icon("settings-2", size=16), "Settings", variant="ghost", color_scheme="gray"),
                        href=routes.NOTIFICATION_SETTINGS, id="notification-settings-link"),
                rx.button(rx.icon("check-check", size=16), "Mark all as read", variant="soft",
                          on_click=NotificationState.mark_all_read, disabled=NotificationState.unread == 0,
                          id="mark-all-read"),
                align="center",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            _filters(),
            rx.card(
                rx.cond(
                    NotificationState.loaded,
                    rx.cond(
                        NotificationState.items.length() > 0,
                        rx.vstack(rx.foreach(NotificationState.items, notification_item), spacing="1", width="100%"),
                        _empty(),
                    ),
                    rx.center(rx.spinner(size="3"), padding_y="2em"),
                ),
                width="100%",
                id="notification-list",
            ),
            _pager(),
            spacing="4",
            width="100%",
        ),
        max_width="48em",
    )
