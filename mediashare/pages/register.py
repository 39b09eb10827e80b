"""/register: create an account (a plain form posted to /api/auth/register), when sign-up is open."""

import reflex as rx

from mediashare import routes
from mediashare.components.fields import PASSWORD_HINT, centered_card, labelled, password_input, text_input
from mediashare.components.layout import layout, page_title
from mediashare.components.native_form import native_form
from mediashare.components.notice import notice_callout
from mediashare.state.registration import RegisterState


def register_form() -> rx.Component:
    username = text_input("register-username", "username", default_value=RegisterState.form_username,
                          auto_complete="username", required=True, min_length=3, max_length=32, auto_focus=True,
                          auto_capitalize="none", spell_check=False)
    address = text_input("register-email", "email", type="email", default_value=RegisterState.form_email,
                         auto_complete="email", required=True, max_length=254)
    referral = text_input("register-referral", "referral_code", default_value=RegisterState.form_referral,
                          max_length=32, auto_capitalize="none", spell_check=False)
    return native_form(
        rx.vstack(
            labelled("Username", username, html_for="register-username",
                     hint="3 to 32 letters, digits, '.', '_' or '-'."),
            labelled("Email", address, html_for="register-email", hint="We send a link to confirm it."),
            labelled("Password", password_input("register-password", "password", new=True),
                     html_for="register-password",
                     hint=PASSWORD_HINT),
            labelled("Referral code (optional)", referral, html_for="register-referral"),
            rx.el.input(type="hidden", name="reseller", value=RegisterState.form_reseller),
            rx.button("Create account", type="submit", size="3", width="100%", id="register-submit"),
            spacing="4",
            width="100%",
        ),
        action=routes.API_REGISTER,
        method="post",
        id="register-form",
        width="100%",
    )


def closed() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("lock")),
        rx.callout.text("Registration is closed on this site. Ask the people who run it to create an account "
                        "for you."),
        color_scheme="amber", id="registration-closed", width="100%",
    )


@rx.page(route=routes.REGISTER, title=page_title("Create an account"), on_load=RegisterState.load)
def register() -> rx.Component:
    return layout(
        centered_card(
            rx.vstack(
                rx.heading("Create an account", size="7"),
                notice_callout(),
                rx.cond(RegisterState.registration_open, register_form(), closed()),
                rx.text("Already have an account? ", rx.link("Sign in", href=routes.LOGIN, id="register-sign-in"),
                        size="2", color_scheme="gray"),
                spacing="4",
                width="100%",
            ),
        ),
    )
