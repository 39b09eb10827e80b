"""/map: where the photos were taken, as clusters on a map, with the newest photos in view below it
and a date filter. Admins can set a tile server here (empty: the world outline only)."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.photo_map import photo_map
from mediashare.pages.timeline import _tile
from mediashare.state.photo_map import MapState
from mediashare.state.session import SessionState


def _filters() -> rx.Component:
    return rx.flex(
        rx.heading("Map", size="6"),
        rx.text(rx.cond(MapState.located >= 0, MapState.located.to_string() + " photos with a place", ""),
                color_scheme="gray", id="map-located"),
        rx.spacer(),
        rx.hstack(
            rx.input(type="date", value=MapState.since, aria_label="From date", id="map-since",
                     on_change=lambda value: MapState.set_dates(value, MapState.until)),
            rx.text("–", color_scheme="gray"),
            rx.input(type="date", value=MapState.until, aria_label="To date", id="map-until",
                     on_change=lambda value: MapState.set_dates(MapState.since, value)),
            rx.cond((MapState.since != "") | (MapState.until != ""),
                    rx.icon_button(rx.icon("x", size=14), variant="ghost", on_click=MapState.clear_dates,
                                   aria_label="Clear the dates", id="map-clear-dates")),
            spacing="1",
            align="center",
        ),
        rx.cond(SessionState.is_admin, _tiles_dialog()),
        spacing="3",
        align="center",
        wrap="wrap",
        margin_bottom="1em",
    )


def _tiles_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("layers", size=16), "Map tiles", variant="soft", color_scheme="gray",
                                    id="map-tiles-open")),
        rx.dialog.content(
            rx.dialog.title("Map tiles"),
            rx.dialog.description(
                "A tile server drawn under the world outline for everyone, e.g. "
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png (check its usage policy). Leave it empty "
                "to show the outline only: then no one's browser contacts another server.",
                size="2"),
            rx.form(
                rx.input(name="tile_url", default_value=MapState.tile_url_draft, placeholder="https://…/{z}/{x}/{y}.png",
                         id="map-tile-url", max_length=500, margin_y="1em"),
                rx.hstack(
                    rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                    rx.dialog.close(rx.button("Save", type="submit", id="map-tile-save")),
                    justify="end",
                    spacing="2",
                ),
                on_submit=MapState.save_tile_url,
            ),
        ),
    )


@rx.page(route=routes.MAP, title=page_title("Map"), on_load=MapState.load)
def map_page() -> rx.Component:
    return layout(
        _filters(),
        rx.cond(MapState.loaded & (MapState.located == 0),
                rx.callout("None of your photos has a place yet. Photos with GPS data appear here; you can also "
                           "give photos a place from the gallery (More → Place…).", icon="info",
                           id="map-empty", margin_bottom="1em")),
        rx.box(
            photo_map(MapState.clusters, MapState.tile_url, MapState.view_changed, id="photo-map"),
            width="100%",
            height=["60vh", "65vh", "70vh"],
            border_radius="8px",
            overflow="hidden",
            border=f"1px solid {rx.color('gray', 5)}",
            position="relative",
            z_index="0",  # Leaflet's panes stay under the top bar and menus
        ),
        rx.hstack(
            rx.text(rx.cond(MapState.in_view == 1, "1 photo in view", MapState.in_view.to_string() + " photos in view"),
                    weight="medium", id="map-in-view"),
            rx.cond(MapState.in_view > MapState.tiles.length(),
                    rx.text("(the newest ", MapState.tiles.length(), ")", color_scheme="gray", size="2")),
            align="baseline",
            spacing="2",
            margin_top="1em",
            margin_bottom="0.5em",
        ),
        rx.grid(rx.foreach(MapState.tiles, _tile), columns=rx.breakpoints(initial="3", sm="5", md="6", lg="8"),
                spacing=rx.breakpoints(initial="1", sm="2"), width="100%", id="map-photos"),
        max_width="80em",
    )
