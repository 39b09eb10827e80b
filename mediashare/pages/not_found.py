"""The 404 page."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout


def not_found_panel() -> rx.Component:
    """The 404 message, also shown by pages whose item does not exist (or is not the visitor's)."""
    return rx.center(
        rx.vstack(
            rx.icon("image-off", size=48, color=rx.color("gray", 9)),
            rx.heading("Page not found", size="7", id="not-found-title"),
            rx.text("There is nothing at this address. It may have moved, or the link may be mistyped.",
                    color_scheme="gray", text_align="center"),
            rx.link(rx.button("Go home"), href=routes.HOME),
            align="center",
            spacing="3",
        ),
        padding_y="4em",
    )


def not_found() -> rx.Component:
    return layout(not_found_panel())
