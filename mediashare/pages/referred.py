"""/referred?code=…: the landing page of an invitation link; leads to sign-up with the code."""

import reflex as rx

from mediashare import routes
from mediashare.components.fields import centered_card
from mediashare.components.layout import layout, page_title
from mediashare.state.referrals import ReferredState


def _invitation() -> rx.Component:
    return rx.vstack(
        rx.icon("gift", size=40, color=rx.color("accent", 9)),
        rx.heading(ReferredState.referrer_name, " invited you to MediaShare", size="6", id="referred-title"),
        rx.text(
            "Keep your photos and videos in one place and share them with the people you choose.",
            color_scheme="gray",
        ),
        rx.cond(
            ReferredState.bonus > 0,
            rx.text("Sign up and confirm your email address to get ", ReferredState.bonus, " free credits.",
                    id="referred-bonus", weight="medium"),
        ),
        align="center",
        text_align="center",
        spacing="3",
        width="100%",
    )


def _unknown() -> rx.Component:
    return rx.vstack(
        rx.icon("link-2-off", size=40, color=rx.color("gray", 9)),
        rx.heading("This invitation link did not work", size="6", id="referred-title"),
        rx.text("The code in it is not one we know; it may have been mistyped or cut short. "
                "You can still create an account.", color_scheme="gray", id="referred-unknown"),
        align="center",
        text_align="center",
        spacing="3",
        width="100%",
    )


@rx.page(route=routes.REFERRED, title=page_title("You're invited"), on_load=ReferredState.load)
def referred() -> rx.Component:
    return layout(
        centered_card(
            rx.cond(
                ReferredState.checked,
                rx.vstack(
                    rx.cond(ReferredState.valid, _invitation(), _unknown()),
                    rx.cond(
                        ReferredState.registration_open,
                        rx.link(rx.button("Create your account", size="3", width="100%"),
                                href=ReferredState.register_href, width="100%", id="referred-sign-up"),
                        rx.text("Registration is closed on this site just now.", color_scheme="gray",
                                id="referred-closed"),
                    ),
                    rx.text("Already have an account? ", rx.link("Sign in", href=routes.LOGIN), size="2",
                            color_scheme="gray"),
                    spacing="5",
                    width="100%",
                ),
                rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
            ),
        ),
    )
