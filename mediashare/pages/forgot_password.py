"""/forgot-password: ask for a reset link (a form posted to /api/auth/forgot-password)."""

import reflex as rx

from mediashare import routes
from mediashare.components.fields import centered_card, labelled, text_input
from mediashare.components.layout import layout, page_title
from mediashare.components.native_form import native_form
from mediashare.components.notice import notice_callout
from mediashare.state.credentials import ForgotPasswordState


def request_form() -> rx.Component:
    address = text_input("forgot-email", "email", type="email", default_value=ForgotPasswordState.form_email,
                         auto_complete="email", required=True, max_length=254, auto_focus=True)
    return native_form(
        rx.vstack(
            labelled("Email", address, html_for="forgot-email"),
            rx.button("Send me a link", type="submit", size="3", width="100%", id="forgot-submit"),
            spacing="4",
            width="100%",
        ),
        action=routes.API_FORGOT_PASSWORD,
        method="post",
        id="forgot-form",
        width="100%",
    )


@rx.page(route=routes.FORGOT_PASSWORD, title=page_title("Forgot password"), on_load=ForgotPasswordState.load)
def forgot_password() -> rx.Component:
    return layout(
        centered_card(
            rx.vstack(
                rx.heading("Forgot your password?", size="7"),
                rx.text("Enter the email address of your account and we will send you a link to choose a new "
                        "password.", color_scheme="gray", size="2"),
                notice_callout(),
                request_form(),
                rx.link("Back to sign in", href=routes.LOGIN, size="2", id="forgot-back"),
                spacing="4",
                width="100%",
            ),
        ),
    )
