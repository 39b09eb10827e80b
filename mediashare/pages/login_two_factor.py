"""/login/two-factor: the code step of signing in, a plain form posted to /api/auth/two-factor."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.native_form import native_form
from mediashare.state.login import TwoFactorLoginState


def code_form() -> rx.Component:
    return native_form(
        rx.vstack(
            rx.hstack(rx.icon("smartphone", size=24, color=rx.color("accent", 10), flex_shrink="0"),
                      rx.heading("Two-step verification", size=rx.breakpoints(initial="5", sm="6")),
                      spacing="2", align="center"),
            rx.text("Enter the 6-digit code from your authenticator app.", color_scheme="gray"),
            rx.cond(
                TwoFactorLoginState.error != "",
                rx.callout.root(
                    rx.callout.icon(rx.icon("triangle-alert")),
                    rx.callout.text(TwoFactorLoginState.error),
                    color_scheme="red", role="alert", id="two-factor-error", width="100%",
                ),
            ),
            rx.vstack(
                rx.el.label(rx.text("Code", size="2", weight="medium"), html_for="two-factor-code"),
                rx.input(id="two-factor-code", name="code", auto_complete="one-time-code", required=True,
                         max_length=32, size="3", width="100%", auto_focus=True, placeholder="123 456"),
                spacing="1",
                width="100%",
            ),
            rx.el.input(type="hidden", name="next", value=TwoFactorLoginState.next_path),
            rx.button("Verify", type="submit", size="3", width="100%", id="two-factor-submit"),
            rx.text("Lost your phone? Enter one of your recovery codes instead.", size="2", color_scheme="gray"),
            rx.link("Start over", href=routes.LOGIN, size="2"),
            spacing="4",
            width="100%",
        ),
        action=routes.API_LOGIN_2FA,
        method="post",
        id="two-factor-form",
        width="100%",
    )


@rx.page(route=routes.LOGIN_2FA, title=page_title("Two-step verification"), on_load=TwoFactorLoginState.load)
def login_two_factor() -> rx.Component:
    return layout(
        rx.center(
            rx.card(code_form(), size="4", width="100%", max_width="26em"),
            width="100%",
            padding_y=["0.5em", "2em"],
        ),
    )
