"""The catalog's pieces: poster tiles, rows that scroll sideways, the poster grid, the player that
reports its position, and the publish/edit dialog (also used by the media viewer)."""

from __future__ import annotations

import reflex as rx

from mediashare.components.media_viewer import AudioPlayer, VideoPlayer
from mediashare.state.catalog import KIND_LABELS, CatalogEditorState, CatalogEntryState
from mediashare.state.catalog_music import MusicQueueState

PLAYER_ID = "catalog-player"


class CatalogVideo(VideoPlayer):
    """<video> that also says when it cannot play its source."""

    on_error: rx.EventHandler[rx.event.no_args_event_spec]


class CatalogAudio(AudioPlayer):
    on_error: rx.EventHandler[rx.event.no_args_event_spec]


def poster(tile, width: str = "10em") -> rx.Component:
    """A 2:3 poster with its title below; a progress bar for "continue watching"."""
    return rx.link(
        rx.vstack(
            rx.box(
                rx.cond(
                    tile.poster_url != "",
                    rx.image(src=tile.poster_url, alt="", width="100%", height="100%", object_fit="cover",
                             loading="lazy"),
                    rx.center(rx.icon(rx.cond(tile.kind == "album", "disc-3",
                                              rx.cond(tile.kind == "music", "music", "clapperboard")), size=40,
                                      color=rx.color("gray", 9)), width="100%", height="100%"),
                ),
                rx.cond(tile.price != "", rx.badge(tile.price, position="absolute", top="0.4em", right="0.4em",
                                                   variant="solid", color_scheme=rx.cond(tile.price == "Free",
                                                                                         "green", "amber"))),
                rx.cond(tile.percent > 0, rx.box(
                    rx.box(width=tile.percent.to_string() + "%", height="100%", background=rx.color("accent", 9)),
                    position="absolute", bottom="0", left="0", width="100%", height="4px",
                    background=rx.color("gray", 6))),
                position="relative", width="100%", aspect_ratio="2 / 3", overflow="hidden",
                border_radius="var(--radius-3)", background=rx.color("gray", 3),
            ),
            rx.text(tile.title, size="2", weight="medium", trim="start", class_name="poster-title",
                    style={"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"},
                    width="100%"),
            rx.text(tile.subtitle, size="1", color_scheme="gray", width="100%",
                    style={"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"}),
            spacing="1",
            width=width,
            flex_shrink="0",
        ),
        href=tile.href,
        underline="none",
        color="inherit",
        class_name="catalog-poster",
    )


def poster_row(row) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading(row.title, size="4"),
            rx.cond(row.playable, rx.button(rx.icon("play", size=14), "Play all", size="1", variant="soft",
                                            on_click=MusicQueueState.play_group(row.key),
                                            class_name="catalog-play-all")),
            spacing="3", align="center",
        ),
        rx.flex(rx.foreach(row.tiles, lambda tile: poster(tile, width=rx.breakpoints(initial="8em", sm="10em"))),
                spacing="3", overflow_x="auto", width="100%", padding_bottom="0.5em",
                style={"scroll_snap_type": "x mandatory"}),
        spacing="2", width="100%", id="catalog-row-" + row.key, class_name="catalog-row",
    )


def poster_grid(tiles, element_id: str) -> rx.Component:
    return rx.grid(
        rx.foreach(tiles, lambda tile: poster(tile, width="100%")),
        columns=rx.breakpoints(initial="2", xs="3", sm="4", md="5", lg="6"),
        spacing="3", width="100%", id=element_id,
    )


def player() -> rx.Component:
    reporting = {
        "on_time_update": CatalogEntryState.save_position.throttle(5000),
        "on_pause": CatalogEntryState.save_position,
        "on_seeked": CatalogEntryState.save_position,
        "on_ended": CatalogEntryState.save_position,
        "on_error": CatalogEntryState.playback_failed,
    }
    return rx.cond(
        CatalogEntryState.media_kind == "audio",
        rx.vstack(
            rx.cond(CatalogEntryState.poster_url != "",
                    rx.image(src=CatalogEntryState.poster_url, alt="", width="12em", border_radius="var(--radius-3)"),
                    rx.icon("music", size=64, color=rx.color("gray", 9))),
            CatalogAudio.create(src=CatalogEntryState.stream_url, controls=True, preload="metadata", id=PLAYER_ID,
                                width="100%", key=CatalogEntryState.stream_url, **reporting),
            align="center", width="100%", padding="1.5em", background=rx.color("gray", 2),
            border_radius="var(--radius-3)",
        ),
        CatalogVideo.create(src=CatalogEntryState.stream_url, controls=True, preload="metadata", plays_inline=True,
                            id=PLAYER_ID, width="100%", max_height="75vh", background="black",
                            key=CatalogEntryState.stream_url, **reporting),
    )


def _field(label: str, name: str, *, width: str = "100%", **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", size="2", weight="medium", html_for=f"catalog-{name}"),
        rx.input(name=name, id=f"catalog-{name}", default_value=CatalogEditorState.values[name],
                 on_blur=lambda value: CatalogEditorState.remember(name, value), width="100%", **props),
        spacing="1", width=width, min_width="0",
    )


def _found(row) -> rx.Component:
    return rx.flex(
        rx.cond(row.poster_url != "",
                rx.image(src=row.poster_url, alt="", width="2.5em", height="3.75em", object_fit="cover",
                         loading="lazy", referrer_policy="no-referrer", border_radius="var(--radius-2)",
                         flex_shrink="0"),
                rx.center(rx.icon("clapperboard", size=18, color=rx.color("gray", 9)), width="2.5em",
                          height="3.75em", flex_shrink="0")),
        rx.vstack(
            rx.text(row.title, size="2", weight="medium", style={"word_break": "break-word"}),
            rx.text(rx.cond(row.year != "", row.year + " · ", ""), row.kind, " · ", row.providers, size="1",
                    color_scheme="gray"),
            spacing="0", flex="1", min_width="0",
        ),
        rx.button("Use", size="1", variant="soft", type="button", on_click=CatalogEditorState.pick_details(row.ref),
                  loading=CatalogEditorState.importing, class_name="catalog-found-use"),
        spacing="2", align="center", width="100%", class_name="catalog-found",
    )


def _find_details() -> rx.Component:
    """Search the metadata providers for the title and fill the form from a result (publishers)."""
    return rx.vstack(
        rx.form(
            rx.flex(
                rx.input(name="find_title", placeholder="Title to look up", default_value=CatalogEditorState.find_title,
                         max_length=200, flex="1 1 12em", min_width="0", id="catalog-find-title"),
                rx.input(name="find_year", placeholder="Year", default_value=CatalogEditorState.find_year,
                         max_length=4, input_mode="numeric", width="5em", id="catalog-find-year"),
                rx.button(rx.icon("search", size=16), "Find details", type="submit", variant="soft",
                          loading=CatalogEditorState.finding, id="catalog-find"),
                spacing="2", wrap="wrap", width="100%",
            ),
            on_submit=CatalogEditorState.find_details,
            key=CatalogEditorState.form_key,
            width="100%",
        ),
        rx.foreach(CatalogEditorState.find_notices,
                   lambda notice: rx.callout(notice, icon="info", color_scheme="amber", size="1", width="100%",
                                             class_name="catalog-find-notice")),
        rx.cond(CatalogEditorState.found.length() > 0, rx.vstack(
            rx.foreach(CatalogEditorState.found, _found),
            spacing="2", width="100%", max_height="16em", overflow_y="auto", id="catalog-found",
        )),
        rx.cond(CatalogEditorState.imported_from != "", rx.flex(
            rx.badge(CatalogEditorState.imported_from, color_scheme="green", id="catalog-imported-from"),
            rx.cond((CatalogEditorState.poster_url != "") | (CatalogEditorState.backdrop_url != ""), rx.fragment(
                rx.text("Poster and backdrop are downloaded when you save.", size="1", color_scheme="gray"),
                rx.button("Keep current pictures", size="1", variant="ghost", type="button",
                          on_click=CatalogEditorState.drop_artwork),
            )),
            spacing="2", wrap="wrap", align="center", width="100%",
        )),
        spacing="2", width="100%", padding="0.75em", background=rx.color("gray", 2),
        border_radius="var(--radius-3)", id="catalog-find-details",
    )


def _genre_picker() -> rx.Component:
    return rx.vstack(
        rx.text("Genres", size="2", weight="medium"),
        rx.flex(
            rx.foreach(CatalogEditorState.genre_choices, lambda choice: rx.badge(
                choice.name, size="2", as_="button", type="button", cursor="pointer",
                variant=rx.cond(CatalogEditorState.genre_ids.contains(choice.id), "solid", "outline"),
                aria_pressed=CatalogEditorState.genre_ids.contains(choice.id),
                on_click=CatalogEditorState.toggle_genre(choice.id), class_name="catalog-genre-choice")),
            spacing="2", wrap="wrap", width="100%", max_height="8em", overflow_y="auto",
        ),
        spacing="1", width="100%", id="catalog-genre-picker",
    )


def editor_dialog() -> rx.Component:
    """Publish an item, or edit its entry: title, kind (episodes: series, season, number; music: artist,
    album, disc and track), year, plot,
    cast, rating, runtime, age rating, price, optional poster/backdrop pictures (item ids)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(CatalogEditorState.heading),
            rx.dialog.description("Admins publish to everyone; resellers to their own customers.", size="2",
                                  color_scheme="gray"),
            _find_details(),
            rx.form(
                rx.vstack(
                    _field("Title", "title", required=True, max_length=200),
                    rx.flex(
                        rx.vstack(
                            rx.text("Kind", size="2", weight="medium"),
                            rx.select.root(
                                rx.select.trigger(id="catalog-kind", width="100%"),
                                rx.select.content(*[rx.select.item(label, value=value)
                                                    for value, label in KIND_LABELS.items()]),
                                value=CatalogEditorState.kind, on_change=CatalogEditorState.set_kind,
                            ),
                            spacing="1", width="10em",
                        ),
                        _field("Year", "year", width="7em", input_mode="numeric", max_length=4),
                        _field("Price (credits)", "price", width="9em", input_mode="numeric", max_length=7),
                        spacing="3", wrap="wrap", width="100%",
                    ),
                    rx.cond(CatalogEditorState.kind == "episode", rx.flex(
                        _field("Series", "series_title", width="16em", max_length=200),
                        _field("Season", "season", width="6em", input_mode="numeric"),
                        _field("Episode", "episode", width="6em", input_mode="numeric"),
                        spacing="3", wrap="wrap", width="100%",
                    )),
                    rx.cond(CatalogEditorState.kind == "music", rx.flex(
                        _field("Artist", "artist", width="16em", max_length=200),
                        _field("Album", "album", width="16em", max_length=200),
                        _field("Disc", "disc_number", width="5em", input_mode="numeric", max_length=2),
                        _field("Track", "track_number", width="5em", input_mode="numeric", max_length=3),
                        spacing="3", wrap="wrap", width="100%", id="catalog-music-fields",
                    )),
                    _field("Original title", "original_title", max_length=200),
                    rx.vstack(
                        rx.text("Plot", as_="label", size="2", weight="medium", html_for="catalog-plot"),
                        rx.text_area(name="plot", id="catalog-plot", rows="4", max_length=5000, width="100%",
                                     default_value=CatalogEditorState.values["plot"],
                                     on_blur=lambda value: CatalogEditorState.remember("plot", value)),
                        spacing="1", width="100%",
                    ),
                    _field("Cast (names, separated by commas)", "cast"),
                    rx.flex(
                        _field("Rating (0–10)", "rating", width="8em", input_mode="decimal"),
                        _field("Runtime (min)", "runtime_minutes", width="8em", input_mode="numeric"),
                        _field("Age rating", "age_rating", width="8em", max_length=16),
                        spacing="3", wrap="wrap", width="100%",
                    ),
                    _genre_picker(),
                    rx.flex(
                        _field("Poster picture (item id, optional)", "poster_media_id", width="14em",
                               input_mode="numeric"),
                        _field("Backdrop picture (item id, optional)", "backdrop_media_id", width="14em",
                               input_mode="numeric"),
                        spacing="3", wrap="wrap", width="100%",
                    ),
                    rx.text("Without a poster, the video's own frame is shown. Price 0 means free; a priced "
                            "title is paid once per play window.", size="1", color_scheme="gray"),
                    rx.flex(
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
                        rx.button(rx.icon("send", size=16), CatalogEditorState.heading, type="submit",
                                  id="catalog-editor-submit"),
                        spacing="2", justify="end", width="100%",
                    ),
                    spacing="3", width="100%",
                ),
                on_submit=CatalogEditorState.submit,
                key=CatalogEditorState.form_key,
                width="100%",
            ),
            max_width="40em",
            id="catalog-editor",
        ),
        open=CatalogEditorState.open,
        on_open_change=CatalogEditorState.set_open,
    )
