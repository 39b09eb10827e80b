"""/gallery: the signed-in person's media, newest first, with sort, type filter and bulk actions."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.albums import add_to_album_button, add_to_album_dialog
from mediashare.components.layout import layout
from mediashare.components.media_grid import empty_notice, media_grid, selection_bar
from mediashare.state.gallery import GalleryState

_KINDS = (("all", "All types"), ("image", "Photos"), ("video", "Videos"), ("audio", "Audio"))
_SORTS = (("taken", "Date taken"), ("uploaded", "Date uploaded"))


def _select(label: str, value: rx.Var, options: tuple[tuple[str, str], ...], on_change, id_: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, id=id_),
        rx.select.content(*[rx.select.item(text, value=key) for key, text in options]),
        value=value,
        on_change=on_change,
        size="2",
    )


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.heading("Gallery", size="6"),
        rx.spacer(),
        _select("Sort by", GalleryState.sort, _SORTS, GalleryState.set_sort, "gallery-sort"),
        _select("Type", GalleryState.kind, _KINDS, GalleryState.set_kind, "gallery-kind"),
        rx.link(rx.button(rx.icon("trash-2", size=16), "Trash", variant="soft", color_scheme="gray"),
                href=routes.TRASH, id="trash-link"),
        spacing="2",
        align="center",
        wrap="wrap",
        margin_bottom="1em",
    )


@rx.page(route=routes.GALLERY, title="Gallery · MediaShare", on_load=GalleryState.load)
def gallery() -> rx.Component:
    return layout(
        _toolbar(),
        selection_bar(
            add_to_album_button(),
            rx.button(rx.icon("download", size=16), "Download ZIP", on_click=GalleryState.download_selected,
                      size="2", variant="soft", id="download-selected"),
            rx.button(rx.icon("trash-2", size=16), "Move to trash", on_click=GalleryState.trash_selected,
                      size="2", color_scheme="red", id="trash-selected"),
        ),
        empty_notice("Nothing here yet. Upload photos, videos or audio and they appear here."),
        media_grid(),
        add_to_album_dialog(),
        rx.cond(
            GalleryState.has_more,
            rx.center(rx.button("Load more", on_click=GalleryState.load_more, variant="soft", id="load-more",
                                margin_top="1em")),
        ),
    )
