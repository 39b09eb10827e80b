"""/trash: items moved to the trash, restored or deleted for good; kept 30 days, then purged."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.media_grid import empty_notice, media_grid, selection_bar
from mediashare.state.gallery import GalleryState


def _empty_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(rx.icon("trash-2", size=16), "Empty trash", color_scheme="red", variant="soft",
                      disabled=GalleryState.tiles.length() == 0, id="empty-trash"),
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Empty the trash?"),
            rx.alert_dialog.description("Everything in the trash is deleted for good. This cannot be undone."),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Delete for good", color_scheme="red",
                                                 on_click=GalleryState.empty_trash, id="confirm-empty-trash")),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
        ),
    )


@rx.page(route=routes.TRASH, title=page_title("Trash"), on_load=GalleryState.load_trash)
def trash() -> rx.Component:
    return layout(
        rx.flex(
            rx.heading("Trash", size="6"),
            rx.spacer(),
            rx.link(rx.button(rx.icon("images", size=16), "Gallery", variant="soft", color_scheme="gray"),
                    href=routes.GALLERY),
            _empty_dialog(),
            spacing="2",
            align="center",
            wrap="wrap",
            margin_bottom="0.5em",
        ),
        rx.text("Items in the trash are deleted for good after 30 days.", color_scheme="gray", size="2",
                margin_bottom="1em", as_="p"),
        selection_bar(
            rx.button(rx.icon("undo-2", size=16), "Restore", on_click=GalleryState.restore_selected, size="2",
                      id="restore-selected"),
            rx.button(rx.icon("x", size=16), "Delete for good", on_click=GalleryState.delete_selected, size="2",
                      color_scheme="red", variant="soft", id="delete-selected"),
        ),
        empty_notice("The trash is empty."),
        media_grid(),
    )
