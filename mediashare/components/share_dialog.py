"""The "Share" dialog: expiry, password and downloads for a new link, then the link with a copy button."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.state.shares import EXPIRY_OPTIONS, ShareDialogState


def share_button(on_click, element_id: str) -> rx.Component:
    return rx.button(rx.icon("share-2", size=16), "Share", variant="soft", on_click=on_click, id=element_id)


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("Link expires", as_="label", size="2", weight="medium", html_for="share-expiry"),
            rx.select.root(
                rx.select.trigger(id="share-expiry", width="100%"),
                rx.select.content(*[rx.select.item(label, value=key) for key, label in EXPIRY_OPTIONS]),
                value=ShareDialogState.share_expiry,
                on_change=ShareDialogState.set_share_expiry,
            ),
            rx.cond(ShareDialogState.share_expiry == "custom",
                    rx.input(type="date", name="custom_date", id="share-custom-date", required=True, width="100%")),
            rx.text("Password (optional)", as_="label", size="2", weight="medium", html_for="share-password"),
            rx.input(type="password", name="password", id="share-password", placeholder="Leave empty for none",
                     auto_complete="new-password", max_length=128, width="100%"),
            rx.el.label(rx.flex(rx.checkbox(name="allow_download", id="share-allow-download"),
                                rx.text("Allow downloading the originals", size="2"), spacing="2", align="center")),
            rx.text("Shared copies never include the location or camera details.", size="1", color_scheme="gray"),
            rx.cond(ShareDialogState.share_error != "",
                    rx.callout(ShareDialogState.share_error, icon="triangle-alert", color_scheme="red", size="1",
                               id="share-error", width="100%")),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                rx.button(rx.icon("link", size=16), "Create link", type="submit", id="share-create"),
                spacing="2", justify="end", width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=ShareDialogState.create_share,
        width="100%",
    )


def _result() -> rx.Component:
    return rx.vstack(
        rx.text("Anyone with this link can see what you shared, until it expires or you revoke it.", size="2"),
        rx.flex(
            rx.input(value=ShareDialogState.share_url, read_only=True, id="share-url", flex="1", min_width="0"),
            rx.button(rx.icon("copy", size=16), "Copy", id="share-copy",
                      on_click=[rx.set_clipboard(ShareDialogState.share_url), rx.toast.success("Link copied.")]),
            spacing="2", width="100%",
        ),
        rx.flex(
            rx.link("Manage your shared links", href=routes.SHARES, size="2", id="share-manage"),
            rx.spacer(),
            rx.dialog.close(rx.button("Done", variant="soft", id="share-done")),
            width="100%", align="center",
        ),
        spacing="3",
        width="100%",
    )


def share_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(ShareDialogState.share_kind == "album", "Share this album", "Share this item")),
            rx.cond(ShareDialogState.share_url != "", _result(), _form()),
            max_width="28em",
            id="share-dialog",
        ),
        open=ShareDialogState.share_open,
        on_open_change=ShareDialogState.set_share_open,
    )
