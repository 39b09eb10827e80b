"""/referrals: the signed-in user's invitation link and what it brought in."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout
from mediashare.state.referrals import ReferralState


def _figure(label: str, value, id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="2", color_scheme="gray"),
            rx.heading(value, size="7", id=id),
            spacing="1",
        ),
        flex="1 1 8em",
    )


@rx.page(route=routes.REFERRALS, title="Invite friends · MediaShare", on_load=ReferralState.load)
def referrals() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Invite friends", size="7"),
            rx.text(
                "Share your link. When someone signs up through it and confirms their email address, you get ",
                ReferralState.referrer_bonus, " credits.",
                color_scheme="gray",
            ),
            rx.flex(
                rx.input(value=ReferralState.link, read_only=True, id="referral-link", flex="1 1 16em",
                         min_width="0", size="3", aria_label="Your invitation link"),
                rx.button(rx.icon("copy", size=16), "Copy link", size="3", on_click=ReferralState.copy_link,
                          id="referral-copy"),
                spacing="2",
                wrap="wrap",
                width="100%",
            ),
            rx.flex(
                _figure("Signed up", ReferralState.signed_up, "referral-signed-up"),
                _figure("Verified", ReferralState.verified, "referral-verified"),
                _figure("Credits earned", ReferralState.credits_earned, "referral-credits"),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            spacing="5",
            width="100%",
        ),
        max_width="48em",
    )
