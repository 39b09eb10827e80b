"""/account/sessions: where you are signed in, sign any session out, and the devices you used."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import LOGOUT_FORM_ID, layout, page_title
from mediashare.state.sessions import DeviceRow, SessionRow, SessionsState


def _meta(icon: str, text: rx.Var | str) -> rx.Component:
    return rx.hstack(rx.icon(icon, size=14), rx.text(text, size="2"), spacing="1", align="center",
                     color=rx.color("gray", 11))


def session_row(row: SessionRow) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.icon("monitor-smartphone", size=20, color=rx.color("accent", 10), flex_shrink="0"),
                rx.text(row.device, weight="bold", size="3"),
                rx.cond(row.current, rx.badge("This session", color_scheme="green", variant="soft",
                                              class_name="current-session")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.flex(
                _meta("map-pin", row.ip),
                _meta("log-in", "Signed in " + row.signed_in),
                _meta("clock", "Last active " + row.last_active),
                spacing="3",
                wrap="wrap",
            ),
            spacing="1",
            flex_grow="1",
            min_width="0",
        ),
        rx.cond(
            row.current,
            rx.button("Sign out", variant="soft", color_scheme="gray",
                      on_click=rx.call_script(f"document.getElementById('{LOGOUT_FORM_ID}').submit()")),
            rx.button("Sign out", variant="soft", color_scheme="red", on_click=SessionsState.revoke(row.id),
                      class_name="revoke-session"),
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        align=rx.breakpoints(initial="start", sm="center"),
        spacing="3",
        padding_y="0.9em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        class_name="session-row",
    )


def device_row(row: DeviceRow) -> rx.Component:
    return rx.flex(
        rx.icon("laptop", size=20, color=rx.color("gray", 10), flex_shrink="0"),
        rx.vstack(
            rx.text(row.name, weight="medium", size="3"),
            rx.flex(
                _meta("map-pin", row.ip),
                _meta("calendar-plus", "First seen " + row.first_seen),
                _meta("clock", "Last seen " + row.last_seen),
                spacing="3",
                wrap="wrap",
            ),
            spacing="1",
            min_width="0",
        ),
        spacing="3",
        align="start",
        padding_y="0.75em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        class_name="device-row",
    )


def sessions_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading("Active sessions", size="5"),
                rx.spacer(),
                rx.button(rx.icon("log-out", size=16), "Sign out all other sessions", variant="soft",
                          color_scheme="red", on_click=SessionsState.revoke_others,
                          disabled=SessionsState.other_sessions == 0, id="revoke-others"),
                direction=rx.breakpoints(initial="column", sm="row"),
                align=rx.breakpoints(initial="start", sm="center"),
                spacing="3",
                width="100%",
            ),
            rx.text("Every browser signed in to your account. Signing one out ends it at its next click.",
                    size="2", color_scheme="gray"),
            rx.box(rx.foreach(SessionsState.sessions, session_row), width="100%", id="session-list"),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def devices_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Devices", size="5"),
            rx.text("Browsers and machines that have signed in to your account. A new one is announced "
                    "by email and under the bell.", size="2", color_scheme="gray"),
            rx.box(rx.foreach(SessionsState.devices, device_row), width="100%", id="device-list"),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )


@rx.page(route=routes.SESSIONS, title=page_title("Sessions & devices"), on_load=SessionsState.load)
def sessions() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Sessions & devices", size="7"),
            sessions_card(),
            devices_card(),
            spacing="4",
            width="100%",
        ),
        max_width="56em",
    )
