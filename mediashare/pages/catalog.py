"""/catalog, /catalog/[entry_id] and /catalog/manage: browse and watch what admins and resellers
published, and manage one's own published entries."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.catalog import editor_dialog, player, poster_grid, poster_row
from mediashare.components.catalog_music import mini_player, queue_buttons
from mediashare.components.layout import layout, page_title
from mediashare.pages.not_found import not_found_panel
from mediashare.state.catalog import (
    KIND_LABELS,
    CatalogEditorState,
    CatalogEntryState,
    CatalogManageState,
    CatalogState,
    ManagedTile,
)
from mediashare.state.catalog_history import CatalogHistoryState, HistoryLine
from mediashare.state.catalog_music import MusicQueueState
from mediashare.state.session import SessionState


def _filters() -> rx.Component:
    return rx.flex(
        rx.form(
            rx.flex(
                rx.input(rx.input.slot(rx.icon("search", size=16)), name="query", placeholder="Search titles",
                         default_value=CatalogState.query, max_length=200, flex="1", min_width="0",
                         id="catalog-search", type="search"),
                rx.button("Search", type="submit", variant="soft"),
                spacing="2", width="100%",
            ),
            on_submit=CatalogState.search,
            flex="1 1 16em",
            min_width="0",
        ),
        rx.select.root(
            rx.select.trigger(placeholder="All kinds", id="catalog-kind-filter"),
            rx.select.content(rx.select.item("All kinds", value="all"),
                              *[rx.select.item(label, value=value) for value, label in KIND_LABELS.items()]),
            value=rx.cond(CatalogState.kind != "", CatalogState.kind, "all"),
            on_change=CatalogState.set_kind,
        ),
        rx.select.root(
            rx.select.trigger(placeholder="Any year", id="catalog-year-filter"),
            rx.select.content(rx.select.item("Any year", value="all"),
                              rx.foreach(CatalogState.years, lambda year: rx.select.item(year, value=year))),
            value=rx.cond(CatalogState.year != "", CatalogState.year, "all"),
            on_change=CatalogState.set_year,
        ),
        rx.cond(CatalogState.genre_options.length() > 0, rx.select.root(
            rx.select.trigger(placeholder="All genres", id="catalog-genre-filter"),
            rx.select.content(rx.select.item("All genres", value="all"),
                              rx.foreach(CatalogState.genre_options,
                                         lambda option: rx.select.item(option.name, value=option.id))),
            value=rx.cond(CatalogState.genre != "", CatalogState.genre, "all"),
            on_change=CatalogState.set_genre,
        )),
        rx.cond(CatalogState.filtering, rx.button("Clear", variant="ghost", on_click=CatalogState.clear_filters)),
        spacing="2", wrap="wrap", width="100%", align="center",
    )


def _home() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading("Catalog", size="7"),
            rx.spacer(),
            rx.link(rx.button(rx.icon("history", size=16), "History", variant="soft"),
                    href=routes.CATALOG_HISTORY, id="catalog-history-link"),
            rx.cond(SessionState.is_reseller | SessionState.is_admin,
                    rx.link(rx.button(rx.icon("list-video", size=16), "Manage", variant="soft"),
                            href=routes.CATALOG_MANAGE, id="catalog-manage-link")),
            width="100%", align="center", spacing="2",
        ),
        _filters(),
        rx.cond(
            CatalogState.filtering,
            rx.vstack(rx.cond(CatalogState.albums.length() > 0, rx.vstack(
                          rx.heading("Albums", size="4"), poster_grid(CatalogState.albums, "catalog-album-grid"),
                          width="100%")),
                      rx.text(CatalogState.grid.length(), " title(s)", size="2", color_scheme="gray"),
                      poster_grid(CatalogState.grid, "catalog-grid"), width="100%"),
            rx.vstack(rx.foreach(CatalogState.rows, poster_row),
                      rx.cond(CatalogState.grid.length() > 0, rx.vstack(
                          rx.heading("Everything", size="4"), poster_grid(CatalogState.grid, "catalog-grid"),
                          width="100%")),
                      spacing="5", width="100%"),
        ),
        rx.cond(CatalogState.loaded & (CatalogState.grid.length() == 0),
                rx.callout(rx.cond(CatalogState.filtering, "Nothing matches these filters.",
                                   "Nothing has been published for you yet."),
                           icon="info", id="catalog-empty")),
        spacing="4", width="100%",
    )


def _series() -> rx.Component:
    return rx.vstack(
        rx.link(rx.hstack(rx.icon("arrow-left", size=14), "Catalog", align="center", spacing="1"),
                href=routes.CATALOG, size="2"),
        rx.heading(CatalogState.series, size="7", id="series-title"),
        rx.foreach(CatalogState.seasons, lambda season: rx.vstack(
            rx.heading(season.title, size="4"), poster_grid(season.tiles, "season-grid"), width="100%",
            class_name="season")),
        rx.cond(CatalogState.loaded & (CatalogState.seasons.length() == 0),
                rx.callout("No episodes of this series are published for you.", icon="info")),
        spacing="4", width="100%",
    )


@rx.page(route=routes.CATALOG, title=page_title("Catalog"), on_load=CatalogState.load)
def catalog_page() -> rx.Component:
    return layout(rx.cond(CatalogState.series != "", _series(), _home()), mini_player())


def _confirm_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Play ", CatalogEntryState.title),
            rx.alert_dialog.description(
                "This costs ", rx.text.strong(CatalogEntryState.price_text),
                " and opens a play window: watch as often as you like until it closes. Your balance: ",
                rx.text.strong(CatalogEntryState.balance), " credits.",
            ),
            rx.cond(CatalogEntryState.play_error != "", rx.callout(
                rx.vstack(rx.text(CatalogEntryState.play_error),
                          rx.link("Top up credits", href=routes.TOP_UP, id="catalog-top-up"), spacing="1"),
                icon="triangle-alert", color_scheme="red", margin_top="1em", id="catalog-play-error")),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray",
                                                 on_click=CatalogEntryState.cancel_play)),
                rx.button(rx.icon("play", size=16), "Pay ", CatalogEntryState.price_text, " and play",
                          on_click=CatalogEntryState.start_play, id="catalog-confirm-play"),
                spacing="2", justify="end", margin_top="1em",
            ),
            id="catalog-confirm",
        ),
        open=CatalogEntryState.confirming,
    )


def _detail() -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.cond(
                CatalogEntryState.playing,
                player(),
                rx.box(
                    rx.cond(CatalogEntryState.backdrop_url != "",
                            rx.image(src=CatalogEntryState.backdrop_url, alt="", width="100%", height="100%",
                                     object_fit="cover", opacity="0.55")),
                    rx.center(
                        rx.cond(CatalogEntryState.kind == "music",
                                rx.icon_button(rx.icon("play", size=36), size="4", radius="full", aria_label="Play",
                                               on_click=MusicQueueState.play_now(CatalogEntryState.entry_id)),
                                rx.icon_button(rx.icon("play", size=36), size="4", radius="full", aria_label="Play",
                                               on_click=CatalogEntryState.ask_play)),
                        position="absolute", inset="0",
                    ),
                    position="relative", width="100%", aspect_ratio="16 / 9", max_height="60vh",
                    background="black", overflow="hidden",
                ),
            ),
            width="100%", border_radius="var(--radius-3)", overflow="hidden", id="catalog-stage",
        ),
        rx.flex(
            rx.vstack(
                rx.cond(CatalogEntryState.series_link != "",
                        rx.link(CatalogEntryState.series_title, href=CatalogEntryState.series_link, size="2",
                                id="catalog-series-link")),
                rx.heading(CatalogEntryState.title, size="7", id="catalog-title", style={"word_break": "break-word"}),
                rx.cond(CatalogEntryState.original_title != "",
                        rx.text(CatalogEntryState.original_title, size="2", color_scheme="gray", font_style="italic")),
                rx.cond(CatalogEntryState.episode_label != "", rx.text(CatalogEntryState.episode_label, size="2")),
                rx.cond(CatalogEntryState.artist != "",
                        rx.text(CatalogEntryState.artist, size="4", id="catalog-artist")),
                rx.cond(CatalogEntryState.album != "", rx.flex(
                    rx.icon("disc-3", size=14),
                    rx.cond(CatalogEntryState.album_link != "",
                            rx.link(CatalogEntryState.album, href=CatalogEntryState.album_link, size="2",
                                    id="catalog-album-link"),
                            rx.text(CatalogEntryState.album, size="2")),
                    rx.cond(CatalogEntryState.track_label != "",
                            rx.text("· ", CatalogEntryState.track_label, size="2", color_scheme="gray")),
                    spacing="1", align="center", wrap="wrap", id="catalog-album-line",
                )),
                rx.flex(rx.foreach(CatalogEntryState.facts, lambda fact: rx.badge(fact, variant="soft")),
                        spacing="2", wrap="wrap", id="catalog-facts"),
                spacing="1", min_width="0", flex="1",
            ),
            rx.vstack(
                rx.flex(
                    rx.cond(
                        CatalogEntryState.kind == "music",
                        queue_buttons(CatalogEntryState.entry_id),
                        rx.button(rx.icon("play", size=16), rx.cond(CatalogEntryState.playing, "Playing", "Play"),
                                  on_click=CatalogEntryState.ask_play, disabled=CatalogEntryState.playing, size="3",
                                  id="catalog-play"),
                    ),
                    rx.button(rx.icon(rx.cond(CatalogEntryState.on_list, "check", "plus"), size=16), "My list",
                              variant=rx.cond(CatalogEntryState.on_list, "solid", "soft"), size="3",
                              aria_pressed=CatalogEntryState.on_list, on_click=CatalogEntryState.toggle_list,
                              id="catalog-my-list"),
                    rx.icon_button(rx.icon("heart", size=18, fill=rx.cond(CatalogEntryState.favorite,
                                                                          "currentColor", "none")),
                                   variant=rx.cond(CatalogEntryState.favorite, "solid", "soft"), size="3",
                                   color_scheme="pink", aria_pressed=CatalogEntryState.favorite,
                                   aria_label="Favorite", on_click=CatalogEntryState.toggle_favorite,
                                   id="catalog-favorite"),
                    spacing="2", wrap="wrap",
                ),
                rx.badge(CatalogEntryState.price_text, rx.cond(CatalogEntryState.price > 0, " per play window", ""),
                         color_scheme=rx.cond(CatalogEntryState.price > 0, "amber", "green"), size="2",
                         id="catalog-price"),
                rx.cond(CatalogEntryState.window_label != "",
                        rx.text(CatalogEntryState.window_label, size="1", color_scheme="gray", id="catalog-window")),
                spacing="2", align=rx.breakpoints(initial="start", sm="end"),
            ),
            direction=rx.breakpoints(initial="column", sm="row"), spacing="4", width="100%",
        ),
        rx.cond(CatalogEntryState.plot != "",
                rx.text(CatalogEntryState.plot, white_space="pre-wrap", id="catalog-plot-text")),
        rx.cond(CatalogEntryState.genres.length() > 0, rx.flex(
            rx.foreach(CatalogEntryState.genres, lambda name: rx.badge(name, variant="surface", size="2")),
            spacing="2", wrap="wrap", id="catalog-genres",
        )),
        rx.cond(CatalogEntryState.cast.length() > 0, rx.vstack(
            rx.heading("Cast", size="3"),
            rx.flex(rx.foreach(CatalogEntryState.cast, lambda name: rx.badge(name, variant="outline", size="2")),
                    spacing="2", wrap="wrap"),
            spacing="2", id="catalog-cast",
        )),
        _confirm_dialog(),
        spacing="4", width="100%", id="catalog-detail",
    )


@rx.page(route=routes.CATALOG_ENTRY, title=page_title("Catalog"),
         on_load=CatalogEntryState.load)
def catalog_entry_page() -> rx.Component:
    return layout(rx.cond(CatalogEntryState.missing, not_found_panel(),
                          rx.cond(CatalogEntryState.entry_id > 0, _detail())), mini_player())


def _history_line(line: HistoryLine) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.link(rx.box(
                rx.cond(line.poster_url != "",
                        rx.image(src=line.poster_url, alt="", width="100%", height="100%", object_fit="cover",
                                 loading="lazy"),
                        rx.center(rx.icon(rx.cond(line.kind == "music", "music", "clapperboard"), size=22),
                                  width="100%", height="100%")),
                width="3.5em", height="5.25em", overflow="hidden", border_radius="var(--radius-2)",
                background=rx.color("gray", 3)), href=line.href, flex_shrink="0"),
            rx.vstack(
                rx.link(line.title, href=line.href, weight="medium", class_name="history-title"),
                rx.text(line.subtitle, size="1", color_scheme="gray"),
                rx.text(line.played, rx.cond(line.plays != "", " · " + line.plays, ""), size="1",
                        color_scheme="gray"),
                rx.flex(
                    rx.box(rx.box(width=line.percent.to_string() + "%", height="100%",
                                  background=rx.color("accent", 9)),
                           width="6em", height="4px", background=rx.color("gray", 5), border_radius="2px",
                           overflow="hidden"),
                    rx.text(line.progress, size="1", class_name="history-progress"),
                    spacing="2", align="center",
                ),
                spacing="1", flex="1", min_width="0",
            ),
            rx.icon_button(rx.icon("trash-2", size=16), variant="ghost", color_scheme="gray",
                           aria_label="Remove from history", on_click=CatalogHistoryState.forget(line.id),
                           class_name="history-forget"),
            spacing="3", align="center", width="100%",
        ),
        width="100%", class_name="history-line",
    )


@rx.page(route=routes.CATALOG_HISTORY, title=page_title("Watch history"),
         on_load=CatalogHistoryState.load)
def catalog_history_page() -> rx.Component:
    return layout(
        rx.vstack(
            rx.link(rx.hstack(rx.icon("arrow-left", size=14), "Catalog", align="center", spacing="1"),
                    href=routes.CATALOG, size="2"),
            rx.flex(
                rx.heading("Watch history", size="6"),
                rx.spacer(),
                rx.cond(CatalogHistoryState.lines.length() > 0, rx.alert_dialog.root(
                    rx.alert_dialog.trigger(rx.button(rx.icon("trash-2", size=14), "Clear all", variant="soft",
                                                      color_scheme="red", id="history-clear-all")),
                    rx.alert_dialog.content(
                        rx.alert_dialog.title("Clear your watch history?"),
                        rx.alert_dialog.description("Every title leaves this list and “Continue watching”; "
                                                    "where you stopped is forgotten."),
                        rx.flex(
                            rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                            rx.alert_dialog.action(rx.button("Clear all", color_scheme="red",
                                                             on_click=CatalogHistoryState.forget_all,
                                                             id="history-clear-confirm")),
                            spacing="2", justify="end", margin_top="1em",
                        ),
                    ),
                )),
                width="100%", align="center",
            ),
            rx.cond(CatalogHistoryState.loaded & (CatalogHistoryState.lines.length() == 0),
                    rx.callout("Nothing played yet. What you watch or listen to in the catalog shows up here.",
                               icon="info", id="history-empty")),
            rx.vstack(rx.foreach(CatalogHistoryState.lines, _history_line), spacing="2", width="100%",
                      id="history-lines"),
            spacing="3", width="100%", id="catalog-history",
        ),
        mini_player(),
    )


def _managed(tile: ManagedTile) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.box(rx.cond(tile.thumb_url != "", rx.image(src=tile.thumb_url, alt="", width="100%", height="100%",
                                                          object_fit="cover"),
                           rx.center(rx.icon("clapperboard", size=28), width="100%", height="100%")),
                   width="4.5em", height="4.5em", flex_shrink="0", overflow="hidden",
                   border_radius="var(--radius-2)", background=rx.color("gray", 3)),
            rx.vstack(
                rx.link(tile.title, href=rx.cond(tile.published, tile.href, tile.media_href), weight="medium"),
                rx.text(tile.subtitle, " · ", tile.price, " · by ", tile.publisher, size="1", color_scheme="gray"),
                rx.badge(rx.cond(tile.published, "Published", "Not published"),
                         color_scheme=rx.cond(tile.published, "green", "gray")),
                spacing="1", min_width="0", flex="1",
            ),
            rx.flex(
                rx.button(rx.icon("pencil", size=14), rx.cond(tile.published, "Edit", "Publish again"), size="2",
                          variant="soft", on_click=CatalogEditorState.open_for_entry(tile.id),
                          class_name="catalog-edit"),
                rx.cond(tile.published, rx.button(rx.icon("eye-off", size=14), "Unpublish", size="2", variant="soft",
                                                  color_scheme="red", on_click=CatalogManageState.unpublish(tile.id),
                                                  class_name="catalog-unpublish")),
                spacing="2", wrap="wrap",
            ),
            spacing="3", align="center", wrap="wrap", width="100%",
        ),
        width="100%", class_name="catalog-managed",
    )


@rx.page(route=routes.CATALOG_MANAGE, title=page_title("Manage catalog"), on_load=CatalogManageState.load)
def catalog_manage_page() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("My published titles", size="6"),
            rx.text("Publish a video or song from its page in your gallery (“Publish to catalog”). "
                    "Admins publish to everyone; resellers to their own customers.", size="2",
                    color_scheme="gray"),
            rx.cond(CatalogManageState.loaded & (CatalogManageState.entries.length() == 0),
                    rx.callout("Nothing published yet.", icon="info")),
            rx.foreach(CatalogManageState.entries, _managed),
            editor_dialog(),
            spacing="3", width="100%", id="catalog-manage",
        ),
    )
