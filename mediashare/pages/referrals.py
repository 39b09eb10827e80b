"""/referrals: the signed-in user's invitation link and what it brought in."""

import reflex as rx

from mediashare import routes
from mediashare.components.fields import labelled, text_input
from mediashare.components.layout import layout, page_title
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


def bonus_form() -> rx.Component:
    """Admins: how many credits each side gets (0 turns a bonus off)."""
    def amount(id: str, name: str, value) -> rx.Component:
        return text_input(id, name, default_value=value.to_string(), key=value.to_string(), input_mode="numeric",
                          pattern="[0-9]*", max_length=7, required=True)

    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Bonus amounts", size="4"),
                rx.text("For everyone's invitations. Paid once each when the new account confirms its email; "
                        "0 turns a bonus off.", size="2", color_scheme="gray"),
                rx.flex(
                    labelled("Referrer gets", amount("bonus-referrer", "referrer", ReferralState.referrer_bonus),
                             html_for="bonus-referrer"),
                    labelled("New account gets", amount("bonus-referee", "referee", ReferralState.referee_bonus),
                             html_for="bonus-referee"),
                    spacing="3",
                    wrap="wrap",
                    width="100%",
                ),
                rx.button("Save bonuses", type="submit", variant="soft", id="bonus-save"),
                spacing="3",
                align="start",
                width="100%",
            ),
            on_submit=ReferralState.save_bonuses,
            reset_on_submit=False,
            width="100%",
        ),
        width="100%",
        id="bonus-settings",
    )


@rx.page(route=routes.REFERRALS, title=page_title("Invite friends"), on_load=ReferralState.load)
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
            rx.cond(ReferralState.is_admin, bonus_form()),
            spacing="5",
            width="100%",
        ),
        max_width="48em",
    )
