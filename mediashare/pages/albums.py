"""/albums and /albums/[album_id]: albums as covers, one album's items in order, and its slideshow."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.albums import SLIDESHOW_SCRIPT, album_grid, album_items, slideshow
from mediashare.components.layout import layout, page_title
from mediashare.components.share_dialog import share_button, share_dialog
from mediashare.state.albums import AlbumsState, AlbumState
from mediashare.state.shares import ShareDialogState


def _create_form(on_submit, placeholder: str, form_id: str) -> rx.Component:
    return rx.form(
        rx.flex(
            rx.input(name="title", placeholder=placeholder, max_length=200, required=True, flex="1",
                     min_width="0", id=f"{form_id}-title"),
            rx.button(rx.icon("plus", size=16), "Create", type="submit", id=f"{form_id}-submit"),
            spacing="2",
            width="100%",
            max_width="28em",
        ),
        on_submit=on_submit,
        reset_on_submit=True,
        id=form_id,
    )


@rx.page(route=routes.ALBUMS, title=page_title("Albums"), on_load=AlbumsState.load)
def albums_page() -> rx.Component:
    return layout(
        rx.heading("Albums", size="6", margin_bottom="0.5em"),
        _create_form(AlbumsState.create, "New album title", "create-album"),
        rx.cond(
            AlbumsState.loaded & (AlbumsState.cards.length() == 0),
            rx.callout("No albums yet. Create one here, or choose photos in the gallery and use "
                       "“Add to album…”.", icon="info", margin_top="1em", id="albums-empty"),
        ),
        rx.box(album_grid(AlbumsState.cards, "album-grid"), margin_top="1em"),
        rx.cond(AlbumsState.suggestions.length() > 0, rx.vstack(
            rx.heading("Suggested events", size="4"),
            rx.text("Photos taken close together that are in no album yet.", size="2", color_scheme="gray"),
            rx.foreach(AlbumsState.suggestions, _suggestion),
            spacing="2", width="100%", margin_top="1.5em", id="suggestions",
        )),
    )


def _suggestion(tile) -> rx.Component:
    return rx.flex(
        rx.flex(rx.foreach(tile.thumb_urls, lambda url: rx.image(src=url, width="3em", height="3em",
                                                                  object_fit="cover", border_radius="4px",
                                                                  loading="lazy")), spacing="1"),
        rx.vstack(rx.text(tile.title, weight="medium", size="2"), rx.text(tile.count, " photos", size="1",
                                                                          color_scheme="gray"), spacing="0"),
        rx.spacer(),
        rx.button("Make album", size="2", variant="soft", on_click=AlbumsState.accept(tile.index),
                  class_name="accept-suggestion"),
        spacing="3", align="center", wrap="wrap", width="100%", class_name="suggestion",
    )


def _details() -> rx.Component:
    return rx.cond(
        AlbumState.editing,
        rx.form(
            rx.vstack(
                rx.input(name="title", default_value=AlbumState.title, max_length=200, required=True,
                         width="100%", id="album-title-input"),
                rx.text_area(name="description", default_value=AlbumState.description, max_length=5000,
                             width="100%", placeholder="What this album is about", id="album-description-input"),
                rx.flex(
                    rx.button("Save", type="submit", id="album-save"),
                    rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                              on_click=AlbumState.set_editing(False)),
                    spacing="2",
                ),
                width="100%",
                max_width="36em",
            ),
            on_submit=AlbumState.save_details,
        ),
        rx.vstack(
            rx.link(rx.hstack(rx.icon("arrow-left", size=14),
                              rx.cond(AlbumState.parent_title != "", AlbumState.parent_title, "Albums"),
                              align="center", spacing="1"),
                    href=AlbumState.parent_href, size="2", id="album-back"),
            rx.flex(
                rx.heading(AlbumState.title, size="6", id="album-title", word_break="break-word"),
                rx.text(AlbumState.count, " item(s)", color_scheme="gray", size="2"),
                spacing="3",
                align="baseline",
                wrap="wrap",
            ),
            rx.cond(AlbumState.description != "", rx.text(AlbumState.description, white_space="pre-wrap",
                                                          id="album-description")),
            rx.flex(
                rx.button(rx.icon("play", size=16), "Slideshow", on_click=AlbumState.open_slideshow,
                          id="start-slideshow"),
                rx.button(rx.icon("pencil", size=16), "Edit", variant="soft", on_click=AlbumState.set_editing(True),
                          id="edit-album"),
                share_button(ShareDialogState.open_for_album(AlbumState.album_id), "share-album"),
                _move_menu(),
                _delete_dialog(),
                spacing="2",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
    )


def _move_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(rx.button(rx.icon("folder-input", size=16), "Move to…", variant="soft", id="move-album")),
        rx.menu.content(
            rx.menu.item("Top level (no parent)", on_click=AlbumState.move_into("top"), id="move-to-top"),
            rx.foreach(AlbumState.targets, lambda target: rx.menu.item(
                target.title, on_click=AlbumState.move_into(target.id.to_string()), class_name="move-target")),
        ),
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(rx.icon("trash-2", size=16), "Delete album", variant="soft",
                                          color_scheme="red", id="delete-album")),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this album?"),
            rx.alert_dialog.description("The photos stay in your gallery; sub-albums move up one level."),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Delete album", color_scheme="red",
                                                 on_click=AlbumState.delete_album, id="confirm-delete-album")),
                spacing="3", justify="end", margin_top="1em",
            ),
        ),
    )


@rx.page(route=routes.ALBUM, title=page_title("Album"), on_load=AlbumState.load)
def album_page() -> rx.Component:
    return layout(
        rx.cond(
            AlbumState.missing,
            rx.callout("That album does not exist.", icon="triangle-alert", color_scheme="red", id="album-missing"),
            rx.vstack(
                _details(),
                rx.cond(AlbumState.subs.length() > 0, rx.heading("Albums inside", size="4", margin_top="0.5em")),
                album_grid(AlbumState.subs, "sub-album-grid"),
                _create_form(AlbumState.create_sub, "New album inside this one", "create-sub-album"),
                rx.cond(AlbumState.tiles.length() == 0,
                        rx.callout("This album is empty. Choose photos in the gallery and use “Add to album…”.",
                                   icon="info", id="album-empty")),
                album_items(),
                spacing="3",
                width="100%",
            ),
        ),
        slideshow(),
        share_dialog(),
        rx.box(on_mount=rx.call_script(SLIDESHOW_SCRIPT), display="none"),
    )
