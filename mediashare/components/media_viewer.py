"""The detail page's pieces: the picture (WebP with a JPEG fallback), the video/audio player that
reports its position, the metadata panel, and keyboard/swipe navigation between items."""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var

from mediashare.components.share_dialog import share_button, share_dialog
from mediashare.state.media import MediaState, MetaRow
from mediashare.state.shares import ShareDialogState

PLAYER_ID = "media-player"


def _playback(e: Var) -> tuple[Var[float], Var[float]]:
    """(currentTime, duration) of the media element that fired the event."""
    return (
        Var(_js_expr=f"(Number({e}?.target?.currentTime) || 0)", _var_type=float),
        Var(_js_expr=f"(Number.isFinite({e}?.target?.duration) ? {e}.target.duration : 0)", _var_type=float),
    )


class VideoPlayer(rx.el.Video):
    """<video> that reports where it is."""

    on_time_update: rx.EventHandler[_playback]
    on_pause: rx.EventHandler[_playback]
    on_seeked: rx.EventHandler[_playback]
    on_ended: rx.EventHandler[_playback]


class AudioPlayer(rx.el.Audio):
    """<audio> that reports where it is."""

    on_time_update: rx.EventHandler[_playback]
    on_pause: rx.EventHandler[_playback]
    on_seeked: rx.EventHandler[_playback]
    on_ended: rx.EventHandler[_playback]


def _reporting() -> dict:
    return {
        "on_time_update": MediaState.save_position.throttle(5000),  # leading edge; pause/seek send the rest
        "on_pause": MediaState.save_position,
        "on_seeked": MediaState.save_position,
        "on_ended": MediaState.save_position,
    }


NAVIGATION_SCRIPT = """
if (!window.__msMediaNav) {
  window.__msMediaNav = true;
  const go = (id) => { const link = document.getElementById(id); if (link) link.click(); };
  document.addEventListener('keydown', (event) => {
    if (!document.getElementById('media-detail')) return;
    const tag = (event.target && event.target.tagName) || '';
    if (['INPUT', 'TEXTAREA', 'SELECT'].includes(tag) || event.target.isContentEditable) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'ArrowLeft') go('media-previous');
    if (event.key === 'ArrowRight') go('media-next');
  });
  // Leaving the page (a link, ←/→, closing the tab) removes the player without a pause event:
  // save where it was first, through the hidden button (its handler reads the player).
  const saveNow = () => {
    const player = document.getElementById('media-player');
    const button = document.getElementById('media-save-now');
    if (player && button && player.currentTime > 0) button.click();
  };
  document.addEventListener('click', (event) => {
    if (event.target?.closest?.('a[href]')) saveNow();
  }, true);
  window.addEventListener('pagehide', saveNow);
  let start = null;
  document.addEventListener('touchstart', (event) => {
    const t = event.touches[0];
    start = document.getElementById('media-stage')?.contains(event.target) ? {x: t.clientX, y: t.clientY} : null;
  }, {passive: true});
  document.addEventListener('touchend', (event) => {
    if (!start) return;
    const t = event.changedTouches[0];
    const dx = t.clientX - start.x, dy = t.clientY - start.y;
    start = null;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) go(dx > 0 ? 'media-previous' : 'media-next');
  }, {passive: true});
}
"""


def save_now_button() -> rx.Component:
    """Hidden: the navigation script clicks it before the page goes away, to save the position."""
    return rx.el.button(
        id="media-save-now", type="button", aria_hidden="true", tab_index=-1, style={"display": "none"},
        on_click=MediaState.save_position(
            Var(_js_expr=f"(Number(document.getElementById('{PLAYER_ID}')?.currentTime) || 0)", _var_type=float),
            Var(_js_expr=f"(Number(document.getElementById('{PLAYER_ID}')?.duration) || 0)", _var_type=float),
        ),
    )


def resume_script() -> rx.event.EventSpec:
    return rx.call_script(
        f"(() => {{ const p = document.getElementById('{PLAYER_ID}'); if (!p) return;"
        f" p.currentTime = {MediaState.resume_at}; p.play().catch(() => {{}}); }})()"
    )


def stage(*overlay: rx.Component) -> rx.Component:
    """The picture or the player, full width; `overlay` lies over the picture, sized like it."""
    return rx.box(
        rx.match(
            MediaState.kind,
            ("video", rx.cond(MediaState.preparing, preparing_box(), video_stage())),
            ("audio", rx.vstack(
                rx.icon("music", size=64, color=rx.color("gray", 9)),
                AudioPlayer.create(src=MediaState.original_url, controls=True, preload="metadata",
                                   id=PLAYER_ID, width="100%", key=MediaState.item_id, **_reporting()),
                align="center", width="100%", padding="2em",
            )),
            rx.box(
                rx.box(
                    rx.el.picture(
                        rx.cond(MediaState.preview_url != "",
                                rx.el.source(src_set=MediaState.preview_url, type="image/webp")),
                        rx.el.img(src=MediaState.preview_jpeg_url, alt=MediaState.title, id="media-image",
                                  style={"max_width": "100%", "max_height": "75vh", "display": "block",
                                         "object_fit": "contain"}),
                    ),
                    *overlay,  # drawn in percent of the picture (e.g. the face boxes)
                    position="relative",
                    display="inline-block",
                    max_width="100%",
                    line_height="0",
                    id="media-picture",
                ),
                text_align="center",
                width="100%",
            ),
        ),
        id="media-stage",
        width="100%",
        background=rx.color("gray", 2),
        border_radius="var(--radius-3)",
        overflow="hidden",
        style={"touch_action": "pan-y"},
    )


def preparing_box() -> rx.Component:
    """Shown instead of the player while the playable version of the video is being made."""
    return rx.center(
        rx.vstack(
            rx.icon("loader-circle", size=40, class_name="animate-spin", color=rx.color("gray", 11)),
            rx.text(f"Preparing a playable version… {MediaState.prepare_percent}%", size="3", weight="medium",
                    id="media-preparing-text"),
            rx.progress(value=MediaState.prepare_percent, max=100, width="min(320px, 80vw)", id="media-preparing"),
            rx.text("This video's format does not play in browsers; it will start here by itself when ready. "
                    "The original can be downloaded meanwhile.", size="2", color=rx.color("gray", 11),
                    text_align="center", max_width="420px"),
            align="center", spacing="3", padding="2em",
        ),
        width="100%", min_height="240px",
    )


def video_stage() -> rx.Component:
    """The player (the playable version when there is one), a quality choice, and a note after a failure."""
    return rx.vstack(
        VideoPlayer.create(
            src=MediaState.video_url, poster=MediaState.poster_url, controls=True, preload="metadata",
            plays_inline=True, id=PLAYER_ID, width="100%", max_height="75vh", background="black",
            key=MediaState.item_id, **_reporting(),
        ),
        rx.cond(
            MediaState.playback_note != "",
            rx.callout(
                rx.flex(
                    rx.text(MediaState.playback_note),
                    rx.cond(MediaState.can_retry,
                            rx.button("Try again", size="1", variant="soft", on_click=MediaState.retry_playable,
                                      id="media-retry-playable")),
                    spacing="2", align="center", wrap="wrap",
                ),
                icon="triangle-alert", color_scheme="amber", width="100%", id="media-playback-note",
            ),
        ),
        rx.cond(
            MediaState.qualities.length() > 0,
            rx.hstack(
                rx.text("Quality", size="2", color=rx.color("gray", 11)),
                rx.select(MediaState.qualities, value=MediaState.quality, on_change=MediaState.choose_quality,
                          size="1", id="media-quality"),
                spacing="2", align="center", padding_x="0.5em", padding_bottom="0.5em",
            ),
        ),
        spacing="2", width="100%",
    )


def _nav_button(href: rx.Var, icon: str, label: str, element_id: str) -> rx.Component:
    return rx.cond(
        href != "",
        rx.link(rx.icon_button(rx.icon(icon), variant="soft", aria_label=label, as_child=False),
                href=href, id=element_id, aria_label=label),
        rx.icon_button(rx.icon(icon), variant="soft", disabled=True, aria_label=label),
    )


def navigation() -> rx.Component:
    return rx.hstack(
        _nav_button(MediaState.previous_href, "chevron-left", "Previous item", "media-previous"),
        _nav_button(MediaState.next_href, "chevron-right", "Next item", "media-next"),
        spacing="2",
    )


def meta_row(row: MetaRow) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(row.label, min_width="7em"),
        rx.data_list.value(rx.text(row.value, style={"word_break": "break-all"}), class_name="meta-value"),
    )


def metadata_panel(*actions: rx.Component) -> rx.Component:
    """The item's details; `actions` (buttons to correct them) sit beside the heading."""
    return rx.card(
        rx.vstack(
            rx.flex(rx.heading("Details", size="4"), rx.spacer(), *actions, spacing="2", align="center",
                    wrap="wrap", width="100%"),
            rx.data_list.root(rx.foreach(MediaState.meta, meta_row), orientation="vertical", size="2",
                              id="media-metadata"),
            rx.cond(
                MediaState.map_url != "",
                rx.link(rx.hstack(rx.icon("map-pin", size=16), rx.text("Show on OpenStreetMap"), spacing="1"),
                        href=MediaState.map_url, is_external=True, id="media-map-link", rel="noopener noreferrer"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def details_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("Title", as_="label", size="2", weight="medium", html_for="media-title-input"),
            rx.input(name="title", default_value=MediaState.title, max_length=200, id="media-title-input",
                     width="100%"),
            rx.text("Description", as_="label", size="2", weight="medium", html_for="media-description-input"),
            rx.text_area(name="description", default_value=MediaState.description, max_length=5000,
                         id="media-description-input", rows="4", width="100%"),
            rx.hstack(
                rx.button("Save", type="submit", id="media-save"),
                rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                          on_click=MediaState.set_editing(False)),
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=MediaState.save_details,
        key=MediaState.item_id,
        width="100%",
    )


def share_control() -> rx.Component:
    """"Share" for the item shown: a link anyone can open (see the Shared links page)."""
    return rx.fragment(share_button(ShareDialogState.open_for_item(MediaState.item_id), "media-share"),
                       share_dialog())
