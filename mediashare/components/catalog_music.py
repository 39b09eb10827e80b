"""The catalog's mini-player: the current song, its controls and the queue, kept at the bottom of
every catalog page (the queue lives in MusicQueueState, on the server)."""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var

from mediashare import routes
from mediashare.components.media_viewer import _playback
from mediashare.state.catalog_music import PLAYER_ID, MusicQueueState, QueueTrack


def _paused_spec(e: Var) -> tuple[Var[float], Var[float], Var[bool]]:
    """(currentTime, duration, still on the page): a player taken off the page pauses too."""
    return (*_playback(e), Var(_js_expr=f"Boolean({e}?.target?.isConnected)", _var_type=bool))


class MusicAudio(rx.el.Audio):
    """<audio> that reports where it is, when it pauses and plays, and when it ends."""

    on_time_update: rx.EventHandler[_playback]
    on_seeked: rx.EventHandler[_playback]
    on_ended: rx.EventHandler[_playback]
    on_pause: rx.EventHandler[_paused_spec]
    on_play: rx.EventHandler[rx.event.no_args_event_spec]


_ONE_LINE = {"display": "block", "overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"}


def _queue_line(track: QueueTrack, position) -> rx.Component:
    return rx.flex(
        rx.icon(rx.cond(track.current, "volume-2", "music"), size=14, flex_shrink="0",
                color=rx.cond(track.current, rx.color("accent", 10), rx.color("gray", 9))),
        rx.box(
            rx.text(track.title, size="2", weight=rx.cond(track.current, "bold", "regular"),
                    style={"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"}),
            rx.text(track.subtitle, " · ", track.price, size="1", color_scheme="gray", style=_ONE_LINE),
            flex="1", min_width="0", cursor="pointer", on_click=MusicQueueState.jump(position),
        ),
        rx.icon_button(rx.icon("x", size=14), size="1", variant="ghost", color_scheme="gray",
                       aria_label="Remove from the queue", on_click=MusicQueueState.remove(position),
                       class_name="music-queue-remove"),
        align="center", spacing="2", width="100%", padding_y="0.25em", class_name="music-queue-track",
    )


def mini_player() -> rx.Component:
    """Sticky at the bottom of the page while something is queued. Each catalog page mounts its own:
    mounting asks the server for the queue again, and the player carries on where it was."""
    control = {"size": "2", "variant": "ghost"}
    return rx.fragment(_player(control), on_mount=MusicQueueState.refresh)


def _player(control: dict) -> rx.Component:
    return rx.cond(MusicQueueState.active, rx.card(
        rx.vstack(
            rx.flex(
                rx.box(
                    rx.cond(MusicQueueState.now_poster != "",
                            rx.image(src=MusicQueueState.now_poster, alt="", width="100%", height="100%",
                                     object_fit="cover"),
                            rx.center(rx.icon("music", size=20), width="100%", height="100%")),
                    width="2.75em", height="2.75em", flex_shrink="0", overflow="hidden",
                    border_radius="var(--radius-2)", background=rx.color("gray", 4),
                ),
                rx.box(
                    rx.text(  # "Title — Artist" on one line, cut with an ellipsis (phones: the artist below)
                        rx.link(MusicQueueState.now_title, href=MusicQueueState.now_href, weight="bold",
                                id="music-now-title"),
                        rx.cond(MusicQueueState.now_artist != "",
                                rx.el.span(" — ", MusicQueueState.now_artist, id="music-now-artist",
                                           display=rx.breakpoints(initial="none", sm="inline"))),
                        size="2", style=_ONE_LINE,
                    ),
                    rx.text(
                        rx.cond(MusicQueueState.now_artist != "", rx.el.span(
                            MusicQueueState.now_artist, rx.cond(MusicQueueState.now_subtitle != "", " · ", ""),
                            display=rx.breakpoints(initial="inline", sm="none"))),
                        rx.cond(MusicQueueState.now_album_href != "",
                                rx.link(MusicQueueState.now_subtitle, href=MusicQueueState.now_album_href,
                                        color_scheme="gray", id="music-now-album"),
                                MusicQueueState.now_subtitle),
                        size="1", color_scheme="gray", style=_ONE_LINE,
                    ),
                    flex="1", min_width="0",
                ),
                rx.hstack(
                    rx.icon_button(rx.icon("skip-back", size=18), on_click=MusicQueueState.previous_track,
                                   aria_label="Previous song", id="music-previous", **control),
                    rx.icon_button(rx.icon("skip-forward", size=18), on_click=MusicQueueState.next_track,
                                   aria_label="Next song", id="music-next", **control),
                    rx.icon_button(rx.icon("shuffle", size=18), on_click=MusicQueueState.toggle_shuffle,
                                   aria_label="Shuffle", aria_pressed=MusicQueueState.shuffle, id="music-shuffle",
                                   size="2", variant=rx.cond(MusicQueueState.shuffle, "solid", "ghost")),
                    rx.icon_button(rx.icon("list-music", size=18), on_click=MusicQueueState.toggle_queue,
                                   aria_label="Queue", aria_pressed=MusicQueueState.show_queue, id="music-queue-toggle",
                                   size="2", variant=rx.cond(MusicQueueState.show_queue, "soft", "ghost")),
                    rx.icon_button(rx.icon("x", size=18), on_click=MusicQueueState.clear_queue,
                                   aria_label="Stop and clear the queue", color_scheme="gray", id="music-close",
                                   **control),
                    spacing="1", flex_shrink="0",
                ),
                align="center", spacing="3", width="100%", wrap="wrap",
            ),
            rx.cond(
                MusicQueueState.owed > 0,
                rx.callout(
                    rx.flex(
                        rx.text("This song costs ", rx.text.strong(MusicQueueState.owed_text),
                                " per play window.", size="2"),
                        rx.button(rx.icon("play", size=14), "Pay ", MusicQueueState.owed_text, " and play", size="1",
                                  on_click=MusicQueueState.pay_and_play, id="music-pay"),
                        rx.button("Skip", size="1", variant="soft", color_scheme="gray",
                                  on_click=MusicQueueState.next_track),
                        rx.cond(MusicQueueState.pay_error != "",
                                rx.link("Top up credits", href=routes.TOP_UP, size="2")),
                        spacing="2", align="center", wrap="wrap",
                    ),
                    icon="coins", color_scheme=rx.cond(MusicQueueState.pay_error != "", "red", "amber"), size="1",
                    width="100%", id="music-owed",
                ),
                rx.cond(MusicQueueState.stream_url != "", MusicAudio.create(
                    src=MusicQueueState.stream_url, controls=True, preload="auto", id=PLAYER_ID, width="100%",
                    key=MusicQueueState.stream_url,
                    on_time_update=MusicQueueState.save_position.throttle(5000),
                    on_seeked=MusicQueueState.save_position, on_ended=MusicQueueState.ended,
                    on_pause=MusicQueueState.paused, on_play=MusicQueueState.resumed,
                )),
            ),
            rx.cond(MusicQueueState.show_queue, rx.vstack(
                rx.text("Queue", size="2", weight="bold"),
                rx.vstack(rx.foreach(MusicQueueState.tracks, _queue_line), spacing="0", width="100%",
                          max_height="40vh", overflow_y="auto"),
                spacing="1", width="100%", id="music-queue",
            )),
            spacing="2", width="100%",
        ),
        position="sticky", bottom="0.5em", z_index="5", width="100%", margin_top="1.5em",
        box_shadow="var(--shadow-4)", id="music-mini-player",
    ))


def queue_buttons(entry_id) -> rx.Component:
    """On a song's page: play it in the mini-player, play it next, or add it to the queue."""
    return rx.hstack(
        rx.button(rx.icon("play", size=16), "Play", size="3", on_click=MusicQueueState.play_now(entry_id),
                  id="music-play"),
        rx.button(rx.icon("list-start", size=16), "Play next", size="3", variant="soft",
                  on_click=MusicQueueState.play_next(entry_id), id="music-play-next"),
        rx.button(rx.icon("list-plus", size=16), "Add to queue", size="3", variant="soft",
                  on_click=MusicQueueState.add_to_queue(entry_id), id="music-add-to-queue"),
        spacing="2", wrap="wrap",
    )
