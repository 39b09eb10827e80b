"""/r/<slug>: a reseller's own sign-in page, in its colors, with its logo and welcome text; signing up
from it places the new account under that reseller."""

import reflex as rx

from mediashare import routes
from mediashare.components.brand_card import brand_card
from mediashare.components.layout import layout
from mediashare.components.native_form import native_form
from mediashare.state.branding import ResellerPageState


def _sign_in_form() -> rx.Component:
    return native_form(
        rx.vstack(
            rx.vstack(
                rx.el.label(rx.text("Username or email", size="2", weight="medium"), html_for="login-identifier"),
                rx.input(id="login-identifier", name="identifier", auto_complete="username", required=True,
                         max_length=254, size="3", width="100%"),
                spacing="1",
                width="100%",
            ),
            rx.vstack(
                rx.hstack(
                    rx.el.label(rx.text("Password", size="2", weight="medium"), html_for="login-password"),
                    rx.spacer(),
                    rx.link("Forgot password?", href=routes.FORGOT_PASSWORD, size="2"),
                    width="100%",
                    align="baseline",
                ),
                rx.input(id="login-password", name="password", type="password", auto_complete="current-password",
                         required=True, max_length=512, size="3", width="100%"),
                spacing="1",
                width="100%",
            ),
            rx.el.input(type="hidden", name="next", value=routes.HOME),
            rx.el.button(
                "Sign in", type="submit", id="login-submit",
                style={"background": ResellerPageState.page_primary, "color": ResellerPageState.page_on_primary,
                       "width": "100%", "border": "none", "border_radius": "var(--radius-3)", "padding": "0.7em",
                       "font_weight": "600", "font_size": "1rem", "cursor": "pointer"},
            ),
            rx.cond(
                ResellerPageState.registration_open,
                rx.text("New here? ",
                        rx.link("Create an account", href=ResellerPageState.register_href, id="reseller-sign-up",
                                style={"color": ResellerPageState.page_accent, "font_weight": "600"}),
                        size="2"),
            ),
            spacing="4",
            width="100%",
        ),
        action=routes.API_LOGIN,
        method="post",
        id="login-form",
        width="100%",
    )


def _unknown() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon("link-2-off", size=40, color=rx.color("gray", 9)),
            rx.heading("We don't know this link", size="6", id="reseller-unknown"),
            rx.text("It may have been mistyped or cut short, or it is no longer in use. You can still sign in "
                    "or create an account here.", color_scheme="gray"),
            rx.hstack(
                rx.link(rx.button("Sign in"), href=routes.LOGIN),
                rx.link(rx.button("Create an account", variant="soft"), href=routes.REGISTER),
                spacing="3",
                wrap="wrap",
            ),
            align="center",
            text_align="center",
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


@rx.page(route=routes.RESELLER_PAGE, title="Sign in", on_load=ResellerPageState.load)
def reseller_page() -> rx.Component:
    return layout(
        rx.center(
            rx.box(
                rx.cond(
                    ResellerPageState.checked,
                    rx.cond(
                        ResellerPageState.found,
                        brand_card(
                            rx.cond(
                                ResellerPageState.signed_in,
                                rx.link(rx.button("Go to your gallery", size="3", width="100%"),
                                        href=routes.GALLERY, width="100%"),
                                _sign_in_form(),
                            ),
                            name=ResellerPageState.page_name, logo=ResellerPageState.page_logo,
                            primary=ResellerPageState.page_primary, on_primary=ResellerPageState.page_on_primary,
                            welcome=ResellerPageState.page_welcome, id="reseller-card",
                        ),
                        _unknown(),
                    ),
                    rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
                ),
                width="100%",
                max_width="28em",
            ),
            width="100%",
            padding_y=["0.5em", "2em"],
        ),
    )
