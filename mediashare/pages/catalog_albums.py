"""/catalog/album/[album_key]: a music album's cover, artist, songs in disc and track order with their
lengths and the total; play it, shuffle it or add it to the mini-player's queue."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.catalog_music import mini_player
from mediashare.components.layout import layout, page_title
from mediashare.pages.not_found import not_found_panel
from mediashare.state.catalog_albums import AlbumTrack, CatalogAlbumState
from mediashare.state.catalog_music import MusicQueueState

_ONE_LINE = {"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"}


def _cover() -> rx.Component:
    return rx.box(
        rx.cond(CatalogAlbumState.cover_url != "",
                rx.image(src=CatalogAlbumState.cover_url, alt="", width="100%", height="100%", object_fit="cover"),
                rx.center(rx.icon("disc-3", size=64, color=rx.color("gray", 9)), width="100%", height="100%")),
        width=rx.breakpoints(initial="9em", sm="12em"), aspect_ratio="1", flex_shrink="0", overflow="hidden",
        border_radius="var(--radius-3)", background=rx.color("gray", 3), id="album-cover",
    )


def _header() -> rx.Component:
    return rx.flex(
        _cover(),
        rx.vstack(
            rx.text("Album", size="1", color_scheme="gray", weight="medium"),
            rx.heading(CatalogAlbumState.title, size="7", id="album-title", style={"word_break": "break-word"}),
            rx.cond(CatalogAlbumState.artist != "",
                    rx.text(CatalogAlbumState.artist, size="4", id="album-artist", style={"word_break": "break-word"})),
            rx.text(CatalogAlbumState.summary, size="2", color_scheme="gray", id="album-summary"),
            rx.flex(
                rx.button(rx.icon("play", size=16), "Play album", size="3",
                          on_click=MusicQueueState.play_album(CatalogAlbumState.album_key, 0), id="album-play"),
                rx.button(rx.icon("shuffle", size=16), "Shuffle", size="3", variant="soft",
                          on_click=MusicQueueState.shuffle_album(CatalogAlbumState.album_key), id="album-shuffle"),
                rx.button(rx.icon("list-plus", size=16), "Add album to queue", size="3", variant="soft",
                          on_click=MusicQueueState.queue_album(CatalogAlbumState.album_key), id="album-queue"),
                spacing="2", wrap="wrap", padding_top="0.5em",
            ),
            spacing="1", min_width="0", flex="1",
        ),
        direction=rx.breakpoints(initial="column", sm="row"), spacing="4", width="100%",
        align=rx.breakpoints(initial="start", sm="end"),
    )


def _track(track: AlbumTrack) -> rx.Component:
    playing = MusicQueueState.now_href == track.href
    small = {"size": "2", "variant": "ghost", "color_scheme": "gray"}
    return rx.fragment(
        rx.cond(track.disc_heading != "",
                rx.heading(track.disc_heading, size="3", padding_top="0.75em", class_name="album-disc")),
        rx.flex(
            rx.text(track.number, size="2", color_scheme="gray", width="1.75em", text_align="right", flex_shrink="0"),
            rx.icon_button(rx.icon(rx.cond(playing, "volume-2", "play"), size=16), size="2", variant="soft",
                           radius="full", aria_label="Play from this song",
                           on_click=MusicQueueState.play_album(CatalogAlbumState.album_key, track.id),
                           class_name="album-track-play"),
            rx.box(
                rx.link(track.title, href=track.href, size="2", weight=rx.cond(playing, "bold", "medium"),
                        display="block", style=_ONE_LINE, class_name="album-track-title"),
                rx.cond((track.artist != "") | (track.price != ""),
                        rx.text(track.artist, rx.cond((track.artist != "") & (track.price != ""), " · ", ""),
                                track.price, size="1", color_scheme="gray", style=_ONE_LINE)),
                flex="1", min_width="0",
            ),
            rx.text(track.duration, size="2", color_scheme="gray", flex_shrink="0", class_name="album-track-length",
                    style={"font_variant_numeric": "tabular-nums"}),
            rx.hstack(
                rx.icon_button(rx.icon("list-start", size=16), aria_label="Play next",
                               on_click=MusicQueueState.play_next(track.id), class_name="album-track-next", **small),
                rx.icon_button(rx.icon("list-plus", size=16), aria_label="Add to queue",
                               on_click=MusicQueueState.add_to_queue(track.id), class_name="album-track-add",
                               **small),
                spacing="1", flex_shrink="0",
            ),
            align="center", spacing="2", width="100%", padding_y="0.35em",
            border_bottom=f"1px solid {rx.color('gray', 4)}", class_name="album-track",
        ),
    )


def _album() -> rx.Component:
    return rx.vstack(
        rx.link(rx.hstack(rx.icon("arrow-left", size=14), "Catalog", align="center", spacing="1"),
                href=routes.CATALOG, size="2"),
        _header(),
        rx.vstack(rx.foreach(CatalogAlbumState.tracks, _track), spacing="0", width="100%", id="album-tracks"),
        spacing="4", width="100%", id="catalog-album",
    )


@rx.page(route=routes.CATALOG_ALBUM, title=page_title("Album"), on_load=CatalogAlbumState.load)
def catalog_album_page() -> rx.Component:
    return layout(rx.cond(CatalogAlbumState.missing, not_found_panel(),
                          rx.cond(CatalogAlbumState.album_key != "", _album())), mini_player())
