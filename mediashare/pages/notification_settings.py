"""/account/notifications: for each kind of notification, whether it shows in the app and goes by email."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.notifications import NotificationSettingsState, PreferenceRow


def preference_row(row: PreferenceRow) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text(row.label, weight="medium", size="3"),
            rx.text(row.description, size="2", color_scheme="gray"),
            spacing="1",
            min_width="0",
            flex_grow="1",
        ),
        rx.flex(
            rx.el.label(
                rx.switch(checked=row.in_app, id="in-app-" + row.kind,
                          on_change=lambda on: NotificationSettingsState.choose(row.kind, "in_app", on)),
                rx.text("In the app", as_="span", size="2"),
                display="flex", align_items="center", gap="0.5em",
            ),
            rx.el.label(
                rx.switch(checked=row.email, disabled=~row.emailable,
                          on_change=lambda on: NotificationSettingsState.choose(row.kind, "email", on),
                          id="email-" + row.kind),
                rx.text(rx.cond(row.emailable, "By email", "Not by email"), as_="span", size="2"),
                display="flex", align_items="center", gap="0.5em",
            ),
            spacing="4",
            flex_shrink="0",
            wrap="wrap",
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        align=rx.breakpoints(initial="start", sm="center"),
        spacing="3",
        padding_y="0.9em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        class_name="preference-row",
    )


@rx.page(route=routes.NOTIFICATION_SETTINGS, title=page_title("Notification settings"),
         on_load=NotificationSettingsState.load)
def notification_settings() -> rx.Component:
    return layout(
        rx.vstack(
            rx.link(rx.hstack(rx.icon("arrow-left", size=14), rx.text("Notifications", size="2"), align="center",
                              spacing="1"), href=routes.NOTIFICATIONS, color_scheme="gray"),
            rx.heading("Notification settings", size="7"),
            rx.text("Choose what appears under the bell and what also reaches you by email.", color_scheme="gray"),
            rx.card(
                rx.cond(
                    NotificationSettingsState.loaded,
                    rx.vstack(rx.foreach(NotificationSettingsState.rows, preference_row), spacing="0", width="100%"),
                    rx.center(rx.spinner(size="3"), padding_y="2em"),
                ),
                width="100%",
                id="notification-preferences",
            ),
            spacing="4",
            width="100%",
        ),
        max_width="48em",
    )
