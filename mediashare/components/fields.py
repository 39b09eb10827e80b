"""Form pieces shared by the sign-in, sign-up and password pages: labelled fields and the card."""

from __future__ import annotations

import reflex as rx

PASSWORD_HINT = "At least 8 characters; a few words you can remember work well. Common passwords are refused."


def labelled(label: str, control: rx.Component, *, html_for: str, hint: str = "", aside=None) -> rx.Component:
    """A label above its input, an optional link at the label's right, and an optional hint below."""
    heading = rx.el.label(rx.text(label, size="2", weight="medium"), html_for=html_for)
    return rx.vstack(
        rx.hstack(heading, rx.spacer(), aside, width="100%", align="baseline") if aside is not None else heading,
        control,
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        spacing="1",
        width="100%",
    )


def text_input(id: str, name: str, **props) -> rx.Component:
    return rx.input(id=id, name=name, size="3", width="100%", **props)


def password_input(id: str, name: str, *, new: bool) -> rx.Component:
    """A password field; `new` ones let password managers suggest a strong one."""
    return rx.input(id=id, name=name, type="password", auto_complete="new-password" if new else "current-password",
                    required=True, min_length=8 if new else 1, max_length=128 if new else 512, size="3",
                    width="100%")


def centered_card(*children: rx.Component) -> rx.Component:
    """The narrow card in the middle of the page that holds a sign-in or sign-up form."""
    return rx.center(
        rx.card(*children, size=rx.breakpoints(initial="3", sm="4"), width="100%", max_width="28em"),
        width="100%",
        padding_y=["0.5em", "2em"],
    )
