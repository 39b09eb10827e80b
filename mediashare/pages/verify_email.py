"""/verify-email?token=…: the link from a verification or email-change message."""

import reflex as rx

from mediashare import routes
from mediashare.components.fields import centered_card
from mediashare.components.layout import layout, page_title
from mediashare.state.verification import VerifyEmailState


def _result(icon: str, colour: str, title: str) -> rx.Component:
    return rx.vstack(
        rx.icon(icon, size=40, color=rx.color(colour, 9)),
        rx.heading(title, size="6", id="verify-title"),
        rx.text(VerifyEmailState.message, id="verify-message", color_scheme="gray"),
        align="center",
        text_align="center",
        spacing="3",
        width="100%",
    )


@rx.page(route=routes.VERIFY_EMAIL, title=page_title("Confirm your email"), on_load=VerifyEmailState.load)
def verify_email() -> rx.Component:
    return layout(
        centered_card(
            rx.vstack(
                rx.match(
                    VerifyEmailState.outcome,
                    ("verified", _result("mail-check", "green", "Email address confirmed")),
                    ("changed", _result("mail-check", "green", "Email address changed")),
                    ("error", _result("mail-x", "red", "This link did not work")),
                    rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
                ),
                rx.cond(
                    VerifyEmailState.signed_in,
                    rx.link(rx.button("Go to your account", size="3", width="100%"), href=routes.ACCOUNT,
                            width="100%"),
                    rx.link(rx.button("Sign in", size="3", width="100%"), href=routes.LOGIN, width="100%",
                            id="verify-sign-in"),
                ),
                spacing="5",
                width="100%",
            ),
        ),
    )
