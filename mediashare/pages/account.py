"""/account: who you are signed in as."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout
from mediashare.state.account import AccountState


def _row(label: str, value: rx.Var | str) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(value))


@rx.page(route=routes.ACCOUNT, title="Account · MediaShare", on_load=AccountState.load)
def account() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("Your account", size="7"),
            rx.card(
                rx.data_list.root(
                    _row("Name", AccountState.user_name),
                    _row("Username", AccountState.username),
                    _row("Email", AccountState.email),
                    _row("Role", rx.badge(AccountState.user_role, variant="soft")),
                    _row("Email verified", rx.cond(AccountState.verified, "Yes", "Not yet")),
                    _row("Member since", AccountState.member_since),
                    _row("Last sign-in", AccountState.last_login),
                    orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
                ),
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
    )
