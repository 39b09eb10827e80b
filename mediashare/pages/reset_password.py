"""/reset-password?token=…: choose a new password (a form posted to /api/auth/reset-password)."""

import reflex as rx

from mediashare import routes
from mediashare.components.fields import PASSWORD_HINT, centered_card, labelled, password_input
from mediashare.components.layout import layout, page_title
from mediashare.components.native_form import native_form
from mediashare.components.notice import notice_callout
from mediashare.state.credentials import ResetPasswordState


def reset_form() -> rx.Component:
    return native_form(
        rx.vstack(
            rx.text("For the account ", rx.text.strong(ResetPasswordState.account, id="reset-account"), ".",
                    size="2", color_scheme="gray"),
            # A hidden username lets password managers store the new password under the right account.
            rx.el.input(type="text", name="username", value=ResetPasswordState.account, auto_complete="username",
                        read_only=True, hidden=True),
            rx.el.input(type="hidden", name="token", value=ResetPasswordState.token),
            labelled("New password", password_input("reset-password", "password", new=True),
                     html_for="reset-password", hint=PASSWORD_HINT),
            labelled("New password again", password_input("reset-password-confirm", "password_confirm", new=True),
                     html_for="reset-password-confirm"),
            rx.button("Set new password", type="submit", size="3", width="100%", id="reset-submit"),
            rx.text("Afterwards you are signed out on every device, and sign in with the new password.",
                    size="1", color_scheme="gray"),
            spacing="4",
            width="100%",
        ),
        action=routes.API_RESET_PASSWORD,
        method="post",
        id="reset-form",
        width="100%",
    )


def dead_link() -> rx.Component:
    return rx.vstack(
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.callout.text(ResetPasswordState.link_error),
            color_scheme="red", role="alert", id="reset-link-error", width="100%",
        ),
        rx.link(rx.button("Ask for a new link", size="3", width="100%"), href=routes.FORGOT_PASSWORD, width="100%"),
        spacing="4",
        width="100%",
    )


@rx.page(route=routes.RESET_PASSWORD, title=page_title("Choose a new password"), on_load=ResetPasswordState.load)
def reset_password() -> rx.Component:
    return layout(
        centered_card(
            rx.vstack(
                rx.heading("Choose a new password", size="7"),
                rx.cond(
                    ResetPasswordState.link_ok,
                    rx.fragment(notice_callout(), reset_form()),
                    rx.cond(ResetPasswordState.link_error != "", dead_link(),
                            rx.center(rx.spinner(size="3"), padding="2em", width="100%")),
                ),
                spacing="4",
                width="100%",
            ),
        ),
    )
