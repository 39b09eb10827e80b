"""/account: your profile and picture, your email address and your password."""

import reflex as rx

from mediashare import routes
from mediashare.components.fields import PASSWORD_HINT, labelled, password_input, text_input
from mediashare.components.layout import layout, page_title
from mediashare.components.native_form import native_form
from mediashare.components.notice import notice_callout
from mediashare.state.account import AVATAR_MAX_BYTES, AVATAR_UPLOAD_ID, AccountState
from mediashare.state.verification import VerificationState

_IMAGE_TYPES = {"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]}


def _section(title: str, description: str, *children: rx.Component, id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.vstack(
                rx.heading(title, size="4"),
                rx.text(description, size="2", color_scheme="gray"),
                spacing="1",
            ),
            *children,
            spacing="4",
            width="100%",
        ),
        size=rx.breakpoints(initial="2", sm="3"),
        width="100%",
        id=id,
    )


def _row(label: str, value: rx.Var | str | rx.Component) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(value))


def picture_editor() -> rx.Component:
    return rx.flex(
        rx.avatar(src=AccountState.avatar_url, fallback=AccountState.initials,
                  size=rx.breakpoints(initial="6", sm="7"), radius="full", id="account-avatar", flex_shrink="0"),
        rx.vstack(
            rx.upload.root(
                rx.button(rx.icon("image-up", size=16), "Choose a picture", type="button", variant="soft",
                          loading=AccountState.saving_avatar),
                id=AVATAR_UPLOAD_ID,
                accept=_IMAGE_TYPES,
                max_files=1,
                multiple=False,
                max_size=AVATAR_MAX_BYTES,
                no_drag=False,
                on_drop=AccountState.upload_avatar(rx.upload_files(upload_id=AVATAR_UPLOAD_ID)),
            ),
            rx.cond(
                AccountState.avatar_url != "",
                rx.button("Remove picture", variant="ghost", color_scheme="gray", size="1",
                          on_click=AccountState.remove_avatar, id="remove-avatar"),
            ),
            rx.text("JPEG, PNG or WebP, up to 5 MB. We keep a small square copy.", size="1", color_scheme="gray"),
            spacing="2",
            align="start",
        ),
        align="center",
        spacing="4",
        width="100%",
    )


def display_name_form() -> rx.Component:
    name = text_input("display-name", "display_name", default_value=AccountState.display_name, max_length=80,
                      placeholder=AccountState.username)
    return rx.form(
        rx.vstack(
            labelled("Display name", name, html_for="display-name",
                     hint="Shown instead of your username. Leave it empty to use your username."),
            rx.button("Save name", type="submit", variant="soft", id="display-name-save"),
            spacing="3",
            width="100%",
            align="start",
        ),
        on_submit=AccountState.save_display_name,
        reset_on_submit=False,
        width="100%",
    )


def profile_section() -> rx.Component:
    return _section(
        "Profile",
        "How you appear to others.",
        picture_editor(),
        display_name_form(),
        rx.data_list.root(
            _row("Username", AccountState.username),
            _row("Role", rx.badge(AccountState.user_role, variant="soft")),
            _row("Member since", AccountState.member_since),
            _row("Last sign-in", AccountState.last_login),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        ),
        id="profile-section",
    )


def email_status() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.text(AccountState.email, weight="medium", id="account-email"),
            rx.cond(
                AccountState.verified,
                rx.badge(rx.icon("check", size=12), "Verified", color_scheme="green", variant="soft"),
                rx.badge("Not verified", color_scheme="amber", variant="soft", id="account-unverified"),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            ~AccountState.verified & (AccountState.pending_email == ""),
            rx.button("Send a new confirmation link", size="1", variant="soft", on_click=VerificationState.resend),
        ),
        rx.cond(
            AccountState.pending_email != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("mail")),
                rx.callout.text(
                    "Waiting for you to open the link we sent to ", rx.text.strong(AccountState.pending_email),
                    ". Until then, your address stays the same. ",
                    rx.link("Cancel the change", on_click=AccountState.cancel_email_change, href="#",
                            id="cancel-email-change"),
                ),
                color_scheme="blue", width="100%", id="pending-email",
            ),
        ),
        spacing="2",
        width="100%",
    )


def email_form() -> rx.Component:
    return native_form(
        rx.vstack(
            labelled("New email address",
                     text_input("new-email", "email", type="email", default_value=AccountState.form_email,
                                auto_complete="email", required=True, max_length=254),
                     html_for="new-email", hint="We send a link to the new address; it takes over when you open it."),
            labelled("Current password", password_input("email-current-password", "current_password", new=False),
                     html_for="email-current-password"),
            rx.button("Send confirmation link", type="submit", variant="soft", id="change-email-submit"),
            spacing="3",
            width="100%",
            align="start",
        ),
        action=routes.API_CHANGE_EMAIL,
        method="post",
        id="change-email-form",
        width="100%",
    )


def email_section() -> rx.Component:
    return _section("Email address", "Where we send links and notices about your account.",
                    email_status(), rx.divider(), email_form(), id="email-section")


def password_form() -> rx.Component:
    return native_form(
        rx.vstack(
            # Lets password managers file the new password under this account.
            rx.el.input(type="text", name="username", value=AccountState.username, auto_complete="username",
                        read_only=True, hidden=True),
            labelled("Current password", password_input("current-password", "current_password", new=False),
                     html_for="current-password"),
            labelled("New password", password_input("new-password", "password", new=True), html_for="new-password",
                     hint=PASSWORD_HINT),
            labelled("New password again", password_input("new-password-confirm", "password_confirm", new=True),
                     html_for="new-password-confirm"),
            rx.button("Change password", type="submit", variant="soft", id="change-password-submit"),
            spacing="3",
            width="100%",
            align="start",
        ),
        action=routes.API_CHANGE_PASSWORD,
        method="post",
        id="change-password-form",
        width="100%",
    )


def password_section() -> rx.Component:
    return _section("Password", "Changing it signs you out on every device, this one too.", password_form(),
                    id="password-section")


@rx.page(route=routes.ACCOUNT, title=page_title("Account"), on_load=AccountState.load)
def account() -> rx.Component:
    return layout(
        rx.vstack(
            rx.flex(
                rx.heading("Your account", size="7"),
                rx.spacer(),
                rx.link(rx.hstack(rx.icon("bell", size=16), rx.text("Notification settings"), spacing="2",
                                  align="center"),
                        href=routes.NOTIFICATION_SETTINGS, id="account-notification-settings"),
                align="center",
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            notice_callout(),
            rx.cond(
                AccountState.loaded,
                rx.grid(
                    profile_section(),
                    rx.vstack(email_section(), password_section(), spacing="4", width="100%"),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="4",
                    width="100%",
                    align_items="start",
                ),
                rx.center(rx.spinner(size="3"), padding="3em", width="100%"),
            ),
            spacing="4",
            width="100%",
        ),
        max_width="64em",
    )
