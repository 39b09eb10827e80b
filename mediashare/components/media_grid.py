"""The media grid: square tiles with lazy thumbnails, a "processing" placeholder, and selection."""

from __future__ import annotations

import reflex as rx

from mediashare.state.gallery import GalleryState, MediaTile

_KIND_ICON = {"image": "image", "video": "film", "audio": "music"}


def _placeholder(tile: MediaTile) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.cond(tile.failed, rx.icon("triangle-alert", size=22), rx.spinner(size="2")),
            rx.text(rx.cond(tile.failed, "No preview", "Processing…"), size="1"),
            align="center",
            spacing="1",
        ),
        class_name="tile-processing",
        width="100%",
        height="100%",
        background_color=rx.color("gray", 3),
        color=rx.color("gray", 11),
    )


def media_tile(tile: MediaTile) -> rx.Component:
    """One item: its thumbnail links to /media/{id}; the round box in the corner selects it."""
    chosen = GalleryState.selected.contains(tile.id)
    return rx.box(
        rx.link(
            rx.cond(
                tile.thumb_url != "",
                rx.image(src=tile.thumb_url, alt=tile.title, loading="lazy", width="100%", height="100%",
                         object_fit="cover", decoding="async"),
                _placeholder(tile),
            ),
            href=tile.href,
            aria_label=tile.title,
            display="block",
            width="100%",
            height="100%",
        ),
        rx.checkbox(
            checked=chosen,
            on_change=lambda _value: GalleryState.toggle(tile.id),
            aria_label="Select " + tile.title,
            class_name="tile-select",
            size="3",
            position="absolute",
            top="0.4em",
            left="0.4em",
            background_color=rx.color("gray", 1),
            border_radius="4px",
        ),
        rx.icon_button(
            rx.icon("star", size=16, fill=rx.cond(tile.favorite, "currentColor", "none")),
            on_click=GalleryState.toggle_favorite(tile.id),
            aria_label=rx.cond(tile.favorite, "Remove from favorites: ", "Add to favorites: ") + tile.title,
            aria_pressed=tile.favorite,
            class_name=rx.cond(tile.favorite, "tile-star tile-star-on", "tile-star"),
            size="1",
            variant="ghost",
            position="absolute",
            bottom="0.35em",
            left="0.35em",
            color=rx.cond(tile.favorite, "#f5b400", "white"),
            style={"filter": "drop-shadow(0 0 2px rgba(0,0,0,0.7))"},
        ),
        rx.cond(
            tile.kind != "image",
            rx.badge(rx.cond(tile.kind == "video", rx.icon("film", size=12), rx.icon("music", size=12)),
                     position="absolute", bottom="0.4em", right="0.4em", variant="solid", color_scheme="gray"),
        ),
        class_name="media-tile",
        # An empty star shows on hover or keyboard focus only; a starred tile always shows its star.
        style={"& .tile-star:not(.tile-star-on)": {"opacity": "0"},
               "&:hover .tile-star, & .tile-star:focus-visible": {"opacity": "1"}},
        background_color=rx.color("gray", 3),
        data_id=tile.id,
        position="relative",
        aspect_ratio="1",
        overflow="hidden",
        border_radius="6px",
        outline=rx.cond(chosen, f"3px solid {rx.color('accent', 9)}", "none"),
        outline_offset="-3px",
    )


def media_grid() -> rx.Component:
    return rx.grid(
        rx.foreach(GalleryState.tiles, media_tile),
        columns=rx.breakpoints(initial="3", sm="4", md="5", lg="6"),
        spacing=rx.breakpoints(initial="1", sm="2"),
        width="100%",
        id="media-grid",
    )


def selection_bar(*actions: rx.Component) -> rx.Component:
    """Shown while items are chosen: how many, the actions, and a way to clear the choice."""
    return rx.cond(
        GalleryState.selected_count > 0,
        rx.flex(
            rx.text(GalleryState.selected_count, " selected", weight="medium", id="selected-count"),
            rx.spacer(),
            *actions,
            rx.button("Select all", variant="ghost", on_click=GalleryState.select_all, size="2", id="select-all"),
            rx.button("Clear", variant="ghost", on_click=GalleryState.clear_selection, size="2"),
            spacing="2",
            align="center",
            wrap="wrap",
            position="sticky",
            top="4.2em",
            z_index="20",
            padding="0.6em",
            border_radius="8px",
            background_color=rx.color("accent", 3),
            margin_bottom="0.75em",
            id="selection-bar",
        ),
    )


def empty_notice(text: str | rx.Var) -> rx.Component:
    return rx.cond(
        GalleryState.loaded,
        rx.cond(GalleryState.tiles.length() == 0, rx.callout(text, icon="info", id="gallery-empty")),
        rx.text(GalleryState.notice, color_scheme="gray"),
    )
