"""/account/security: two-factor authentication (set up with a QR code, recovery codes, turn off)."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.security import SecurityState


def _field(label: str, input_id: str, **props) -> rx.Component:
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=input_id),
        rx.input(id=input_id, size="3", width="100%", **props),
        spacing="1",
        width="100%",
    )


def _status_badge() -> rx.Component:
    return rx.cond(
        SecurityState.enabled,
        rx.badge(rx.icon("shield-check", size=14), "On", color_scheme="green", variant="soft", size="2",
                 id="two-factor-status"),
        rx.badge(rx.icon("shield-off", size=14), "Off", color_scheme="gray", variant="soft", size="2",
                 id="two-factor-status"),
    )


def required_notice() -> rx.Component:
    return rx.cond(
        SecurityState.required,
        rx.callout.root(
            rx.callout.icon(rx.icon("shield-alert")),
            rx.callout.text("This platform requires two-factor authentication for your role. "
                            "Set it up to continue."),
            color_scheme="amber", width="100%", id="two-factor-required",
        ),
    )


def recovery_codes_panel() -> rx.Component:
    """The freshly made recovery codes: shown once, with a download."""
    return rx.vstack(
        rx.callout.root(
            rx.callout.icon(rx.icon("key-round")),
            rx.callout.text("Save these recovery codes now: they are shown only once. Each one signs you in "
                            "once if you lose your phone."),
            color_scheme="amber", width="100%",
        ),
        rx.grid(
            rx.foreach(
                SecurityState.new_codes,
                lambda code: rx.code(code, size="3", variant="ghost", class_name="recovery-code",
                                     white_space="nowrap"),
            ),
            columns="2",
            spacing_x="5",
            spacing_y="2",
            padding="1em",
            border_radius="var(--radius-3)",
            background_color=rx.color("gray", 3),
            id="recovery-codes",
        ),
        rx.flex(
            rx.button(rx.icon("download", size=16), "Download as text", variant="soft",
                      on_click=SecurityState.download_codes, id="download-codes"),
            rx.button("I have saved them", on_click=SecurityState.codes_saved, id="codes-saved"),
            spacing="3",
            wrap="wrap",
        ),
        spacing="4",
        width="100%",
    )


def setup_panel() -> rx.Component:
    """Scan the QR code (or type the key), then confirm with a code from the app."""
    return rx.vstack(
        rx.text("1. Scan this QR code with an authenticator app (Aegis, Google Authenticator, 1Password, …).",
                size="3"),
        rx.flex(
            rx.image(src=SecurityState.setup_qr, alt="QR code for your authenticator app", width="13em",
                     height="13em", border_radius="var(--radius-3)", id="totp-qr"),
            rx.vstack(
                rx.text("Can't scan it? Enter this key instead:", size="2", color_scheme="gray"),
                rx.code(SecurityState.setup_secret, size="3", id="totp-secret", word_break="break-all"),
                rx.text("Time-based, 6 digits, every 30 seconds.", size="1", color_scheme="gray"),
                spacing="2",
                max_width="20em",
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            align=rx.breakpoints(initial="start", sm="center"),
            spacing="5",
        ),
        rx.text("2. Enter the 6-digit code the app shows.", size="3"),
        rx.form(
            rx.flex(
                rx.input(name="code", id="totp-confirm-code", placeholder="123 456", auto_complete="one-time-code",
                         input_mode="numeric", max_length=12, required=True, size="3", width="100%",
                         max_width=rx.breakpoints(initial="100%", sm="12em")),
                rx.button("Turn on", type="submit", size="3", id="totp-confirm"),
                rx.button("Cancel", type="button", size="3", variant="soft", color_scheme="gray",
                          on_click=SecurityState.cancel_setup),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            on_submit=lambda data: SecurityState.confirm_setup(data.to(dict)["code"]),
            reset_on_submit=True,
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def enabled_panel() -> rx.Component:
    return rx.vstack(
        rx.text("Signing in asks for a code from your authenticator app after your password. On since ",
                SecurityState.enabled_since, ".", size="3"),
        rx.text(
            rx.cond(SecurityState.codes_left == 1, "1 recovery code left.",
                    SecurityState.codes_left.to_string() + " recovery codes left."),
            size="2", color_scheme=rx.cond(SecurityState.codes_left < 3, "red", "gray"), id="codes-left",
        ),
        rx.divider(),
        rx.heading("New recovery codes", size="3"),
        rx.text("Makes ten new codes; the old ones stop working.", size="2", color_scheme="gray"),
        rx.form(
            rx.flex(
                rx.box(_field("Your password or a current code", "regenerate-proof", name="proof", type="password",
                              auto_complete="current-password", max_length=512, required=True),
                       flex_grow="1", min_width="14em"),
                rx.button(rx.icon("refresh-cw", size=16), "Make new codes", type="submit", size="3", variant="soft",
                          id="regenerate-codes"),
                spacing="3", align="end", wrap="wrap", width="100%",
            ),
            on_submit=lambda data: SecurityState.regenerate_codes(data.to(dict)["proof"]),
            reset_on_submit=True,
            width="100%",
        ),
        rx.divider(),
        rx.heading("Turn off two-factor", size="3"),
        rx.text("Your account will be protected by your password alone.", size="2", color_scheme="gray"),
        rx.form(
            rx.flex(
                rx.box(_field("Your password or a current code", "disable-proof", name="proof", type="password",
                              auto_complete="current-password", max_length=512, required=True),
                       flex_grow="1", min_width="14em"),
                rx.button("Turn off", type="submit", size="3", color_scheme="red", variant="soft",
                          id="disable-two-factor"),
                spacing="3", align="end", wrap="wrap", width="100%",
            ),
            on_submit=lambda data: SecurityState.disable(data.to(dict)["proof"]),
            reset_on_submit=True,
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def disabled_panel() -> rx.Component:
    return rx.vstack(
        rx.text("Protect your account with a second step at sign-in: a 6-digit code from an authenticator app "
                "on your phone. Someone who learns your password still cannot sign in.", size="3"),
        rx.button(rx.icon("smartphone", size=16), "Set up two-factor", size="3", on_click=SecurityState.start_setup,
                  id="start-two-factor"),
        spacing="4",
        width="100%",
        align="start",
    )


def two_factor_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.hstack(
                    rx.icon("smartphone", size=22, color=rx.color("accent", 10), flex_shrink="0"),
                    rx.heading("Two-factor authentication", size=rx.breakpoints(initial="4", sm="5")),
                    align="center",
                    spacing="2",
                ),
                _status_badge(),
                justify="between",
                align="center",
                spacing="2",
                width="100%",
                wrap="wrap",
            ),
            rx.cond(
                SecurityState.new_codes.length() > 0,
                recovery_codes_panel(),
                rx.cond(
                    SecurityState.setup_secret != "",
                    setup_panel(),
                    rx.cond(SecurityState.enabled, enabled_panel(), disabled_panel()),
                ),
            ),
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
    )


@rx.page(route=routes.SECURITY, title=page_title("Security"), on_load=SecurityState.load)
def security() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Security", size="7"),
            required_notice(),
            rx.cond(SecurityState.loaded, two_factor_card(), rx.skeleton(height="12em", width="100%")),
            rx.link(
                rx.hstack(rx.icon("monitor-smartphone", size=16), rx.text("See where you are signed in"),
                          spacing="2", align="center"),
                href=routes.SESSIONS,
            ),
            spacing="4",
            width="100%",
        ),
        max_width="48em",
    )
