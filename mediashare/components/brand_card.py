"""A reseller's branding as a card: a header in the primary color with the logo and name, the welcome
text (always plain text, never HTML), and whatever goes below (a sign-in form, a sample link)."""

from __future__ import annotations

import reflex as rx


def brand_card(*children: rx.Component, name, logo, primary, on_primary, welcome, id: str) -> rx.Component:
    """`name`…`welcome` are vars (or strings); `children` go under the welcome text."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.cond(
                    logo != "",
                    rx.image(src=logo, alt="", height="48px", width="auto", max_width="10em", object_fit="contain",
                             class_name="brand-card-logo", background_color="white", border_radius="6px",
                             padding="4px"),
                ),
                rx.heading(name, size="5", color=on_primary, class_name="brand-card-name", min_width="0",
                           overflow_wrap="anywhere"),
                align="center",
                spacing="3",
                padding="1em",
                width="100%",
                background_color=primary,
                class_name="brand-card-header",
            ),
            rx.vstack(
                rx.cond(
                    welcome != "",
                    rx.text(welcome, white_space="pre-wrap", overflow_wrap="anywhere", class_name="brand-card-welcome"),
                ),
                *children,
                spacing="3",
                padding="1em",
                width="100%",
            ),
            spacing="0",
            width="100%",
        ),
        id=id,
        padding="0",
        overflow="hidden",
        width="100%",
    )
