"""/login: a plain form posted to /api/auth/login, which sets the HttpOnly session cookie."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.native_form import native_form
from mediashare.components.notice import notice_callout
from mediashare.state.login import LoginState


def error_callout() -> rx.Component:
    return rx.cond(
        LoginState.error != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.callout.text(LoginState.error),
            color_scheme="red", role="alert", id="login-error", width="100%",
        ),
    )


def login_form() -> rx.Component:
    return native_form(
        rx.vstack(
            rx.heading("Sign in", size="7"),
            notice_callout(),
            error_callout(),
            rx.vstack(
                rx.el.label(rx.text("Username or email", size="2", weight="medium"), html_for="login-identifier"),
                rx.input(id="login-identifier", name="identifier", auto_complete="username", required=True,
                         max_length=254, size="3", width="100%", auto_focus=True, on_mount=_PREFILL_IDENTIFIER),
                spacing="1",
                width="100%",
            ),
            rx.vstack(
                rx.hstack(
                    rx.el.label(rx.text("Password", size="2", weight="medium"), html_for="login-password"),
                    rx.spacer(),
                    rx.link("Forgot password?", href=routes.FORGOT_PASSWORD, size="2", id="forgot-password-link"),
                    width="100%",
                    align="baseline",
                ),
                rx.input(id="login-password", name="password", type="password", auto_complete="current-password",
                         required=True, max_length=512, size="3", width="100%"),
                spacing="1",
                width="100%",
            ),
            rx.el.input(type="hidden", name="next", value=LoginState.next_path),
            rx.button("Sign in", type="submit", size="3", width="100%", id="login-submit"),
            rx.cond(
                LoginState.registration_open,
                rx.text("New here? ", rx.link("Create an account", href=routes.REGISTER, id="create-account-link"),
                        size="2", color_scheme="gray"),
            ),
            spacing="4",
            width="100%",
        ),
        action=routes.API_LOGIN,
        method="post",
        id="login-form",
        width="100%",
    )


# After a failed sign-in the page comes back with the name tried (`?u=`). It is filled in by the
# browser from its own address as the field appears, and only into an empty field: a value that
# came later from the server (the tab's state from an earlier visit, then this visit's) raced with
# someone already typing and could end up in front of their text.
_PREFILL_IDENTIFIER = rx.call_script(
    "(() => { const field = document.getElementById('login-identifier');"
    " const tried = new URLSearchParams(window.location.search).get('u');"
    " if (field && tried && !field.value) { field.value = tried.slice(0, 254); } })()"
)


@rx.page(route=routes.LOGIN, title=page_title("Sign in"), on_load=LoginState.load)
def login() -> rx.Component:
    return layout(
        rx.center(
            rx.card(login_form(), size="4", width="100%", max_width="26em"),
            width="100%",
            padding_y=["0.5em", "2em"],
        ),
    )
