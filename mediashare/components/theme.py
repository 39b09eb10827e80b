"""The look: one Radix theme for the whole app (light and dark follow the system by default)."""

import reflex as rx

THEME = rx.theme(accent_color="indigo", gray_color="slate", radius="large", scaling="100%")

BRAND = "MediaShare"
