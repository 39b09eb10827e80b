"""The bell in the top bar: a link to the notifications page with the unread count."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.state.notifications import NotificationState


def notification_bell() -> rx.Component:
    """Bell icon with a red count badge when something is unread; kept current live while the tab is open."""
    return rx.link(
        rx.box(
            rx.icon("bell", size=20),
            rx.cond(
                NotificationState.unread > 0,
                rx.badge(
                    rx.cond(NotificationState.unread > 99, "99+", NotificationState.unread.to_string()),
                    color_scheme="red",
                    variant="solid",
                    radius="full",
                    size="1",
                    position="absolute",
                    top="-0.55em",
                    right="-0.75em",
                    id="notification-count",
                ),
            ),
            position="relative",
            display="flex",
            align_items="center",
        ),
        href=routes.NOTIFICATIONS,
        color_scheme="gray",
        high_contrast=True,
        aria_label="Notifications",
        id="notification-bell",
        on_mount=NotificationState.watch,
        padding="0.25em",
    )
