"""Album pieces: album cards, an album's item tiles with move/cover/remove buttons (and native HTML5
drag and drop), the full-screen slideshow, and the gallery's "Add to album…" dialog.

The slideshow's keys (←/→/Esc), swipes and auto-advance are a few lines of browser script that press
the slideshow's own buttons, so every change still goes through AlbumState's handlers. A drop does the
same: the script leaves [item id, target index] in `window.__albumDrop` and presses a hidden button
whose handler reads it back.
"""

from __future__ import annotations

import reflex as rx

from mediashare.state.albums import AlbumItemTile, AlbumPickerState, AlbumState, AlbumTile

SLIDE_SECONDS = 4

SLIDESHOW_SCRIPT = """
(() => {
  if (window.__albumSlideshow) return;
  window.__albumSlideshow = true;
  const press = (id) => { const b = document.getElementById(id); if (b) b.click(); };
  const open = () => document.getElementById('slideshow');
  document.addEventListener('keydown', (e) => {
    if (!open()) return;
    if (e.key === 'ArrowRight') { e.preventDefault(); press('slide-next'); }
    else if (e.key === 'ArrowLeft') { e.preventDefault(); press('slide-previous'); }
    else if (e.key === 'Escape') { e.preventDefault(); press('slide-close'); }
  });
  let startX = null;
  document.addEventListener('touchstart', (e) => { startX = open() ? e.touches[0].clientX : null; },
                            {passive: true});
  document.addEventListener('touchend', (e) => {
    if (startX === null || !open()) return;
    const dx = e.changedTouches[0].clientX - startX;
    startX = null;
    if (Math.abs(dx) > 40) press(dx < 0 ? 'slide-next' : 'slide-previous');
  });
  setInterval(() => {
    const show = open();
    if (show && show.dataset.playing === 'true') press('slide-next');
  }, __INTERVAL__);
  let dragged = null;
  document.addEventListener('dragstart', (e) => {
    const tile = e.target.closest && e.target.closest('.album-item');
    if (!tile) return;
    dragged = tile.dataset.id;
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', dragged);
  });
  document.addEventListener('dragover', (e) => {
    if (dragged && e.target.closest && e.target.closest('.album-item')) e.preventDefault();
  });
  document.addEventListener('drop', (e) => {
    const tile = e.target.closest && e.target.closest('.album-item');
    if (!dragged || !tile) return;
    e.preventDefault();
    if (tile.dataset.id !== dragged) {
      window.__albumDrop = [Number(dragged), Number(tile.dataset.index)];
      press('album-drop');
    }
    dragged = null;
  });
  document.addEventListener('dragend', () => { dragged = null; });
  let lastMore = 0;  // infinite scroll: near the end of the grid, press "Load more"
  const more = () => {
    const button = document.getElementById('album-load-more');
    if (!button || button.disabled || open() || Date.now() - lastMore < 1000) return;
    if (button.getBoundingClientRect().top < window.innerHeight + 600) { lastMore = Date.now(); button.click(); }
  };
  document.addEventListener('scroll', more, {passive: true});
  setInterval(more, 1500);  // a short first page that does not fill the screen
})();
""".replace("__INTERVAL__", str(SLIDE_SECONDS * 1000))


def album_card(tile: AlbumTile) -> rx.Component:
    """An album: its cover (or an empty frame), title and how many items it holds."""
    return rx.link(
        rx.box(
            rx.cond(
                tile.cover_url != "",
                rx.image(src=tile.cover_url, alt=tile.title, loading="lazy", width="100%", height="100%",
                         object_fit="cover"),
                rx.center(rx.icon("book-image", size=32), width="100%", height="100%",
                          color=rx.color("gray", 9)),
            ),
            aspect_ratio="1",
            overflow="hidden",
            border_radius="8px",
            background_color=rx.color("gray", 3),
        ),
        rx.text(tile.title, weight="medium", size="2", trim="both", margin_top="0.35em",
                overflow="hidden", text_overflow="ellipsis", white_space="nowrap"),
        rx.text(tile.count, " item(s)", rx.cond(tile.sub_albums > 0, rx.text.span(" · ", tile.sub_albums,
                                                                                   " album(s)")),
                size="1", color_scheme="gray"),
        href=tile.href,
        underline="none",
        color="inherit",
        class_name="album-card",
        display="block",
        min_width="0",
    )


def album_grid(tiles, grid_id: str) -> rx.Component:
    return rx.grid(
        rx.foreach(tiles, album_card),
        columns=rx.breakpoints(initial="2", sm="3", md="4", lg="5"),
        spacing="3",
        width="100%",
        id=grid_id,
    )


def _small(icon: str, label: str, on_click, *, disabled=False, class_name: str = "") -> rx.Component:
    return rx.icon_button(rx.icon(icon, size=16), on_click=on_click, disabled=disabled, aria_label=label,
                          title=label, size="2", variant="soft", color_scheme="gray", class_name=class_name)


def album_item(tile: AlbumItemTile) -> rx.Component:
    """An item of the album: thumbnail (drag it to reorder), and buttons that phones can use."""
    is_cover = AlbumState.cover_id == tile.id
    return rx.box(
        rx.link(
            rx.cond(
                tile.thumb_url != "",
                rx.image(src=tile.thumb_url, alt=tile.title, loading="lazy", width="100%", height="100%",
                         object_fit="cover", draggable=False),
                rx.center(rx.icon("image", size=24), width="100%", height="100%"),
            ),
            href=tile.href,
            aria_label=tile.title,
            display="block",
            aspect_ratio="1",
            overflow="hidden",
            border_radius="6px",
            background_color=rx.color("gray", 3),
        ),
        rx.cond(is_cover, rx.badge(rx.icon("star", size=12), "Cover", position="absolute", top="0.4em",
                                   left="0.4em", variant="solid", class_name="cover-badge")),
        rx.flex(
            _small("arrow-left", "Move earlier", AlbumState.move(tile.id, tile.index - 1),
                   disabled=tile.index == 0, class_name="move-earlier"),
            _small("arrow-right", "Move later", AlbumState.move(tile.id, tile.index + 1),
                   disabled=tile.last, class_name="move-later"),
            _small("star", "Set as cover", AlbumState.set_cover(tile.id), disabled=is_cover,
                   class_name="set-cover"),
            _small("x", "Remove from album", AlbumState.remove(tile.id), class_name="remove-item"),
            justify="between",
            margin_top="0.3em",
            spacing="1",
        ),
        class_name="album-item",
        data_id=tile.id,
        data_index=tile.index,
        draggable=True,
        position="relative",
        min_width="0",
        cursor="grab",
    )


def album_items() -> rx.Component:
    return rx.fragment(
        rx.grid(
            rx.foreach(AlbumState.tiles, album_item),
            columns=rx.breakpoints(initial="2", sm="3", md="4", lg="5"),
            spacing="3",
            width="100%",
            id="album-items",
        ),
        rx.button("drop", id="album-drop", display="none",
                  on_click=rx.call_script("window.__albumDrop || []", callback=AlbumState.drop)),
        rx.cond(
            AlbumState.has_more,
            rx.flex(
                rx.text("Showing ", AlbumState.tiles.length(), " of ", AlbumState.count, size="2",
                        color_scheme="gray", id="album-shown"),
                rx.button(rx.icon("chevrons-down", size=16), "Load more", variant="soft",
                          on_click=AlbumState.load_more, id="album-load-more"),
                direction="column", align="center", gap="2", width="100%", padding_y="1em",
            ),
        ),
    )


def slideshow() -> rx.Component:
    """Full screen: the preview, previous/next, play/pause and close; keys, swipes and a timer too."""
    button = {"size": "3", "variant": "soft", "color_scheme": "gray", "high_contrast": True}
    return rx.cond(
        AlbumState.slide >= 0,
        rx.box(
            rx.center(
                rx.image(src=AlbumState.slide_url, alt=AlbumState.slide_title, max_width="100%",
                         max_height="100%", object_fit="contain", id="slide-image"),
                width="100%",
                height="100%",
            ),
            rx.flex(
                rx.text(AlbumState.slide + 1, " / ", AlbumState.slide_count, color="white", id="slide-position"),
                rx.spacer(),
                rx.icon_button(rx.icon("chevron-left"), on_click=AlbumState.previous_slide, aria_label="Previous",
                               id="slide-previous", **button),
                rx.icon_button(rx.cond(AlbumState.playing, rx.icon("pause"), rx.icon("play")),
                               on_click=AlbumState.toggle_play,
                               aria_label=rx.cond(AlbumState.playing, "Pause", "Play"), id="slide-play", **button),
                rx.icon_button(rx.icon("chevron-right"), on_click=AlbumState.next_slide, aria_label="Next",
                               id="slide-next", **button),
                rx.icon_button(rx.icon("x"), on_click=AlbumState.close_slideshow, aria_label="Close slideshow",
                               id="slide-close", **button),
                position="absolute",
                bottom="0",
                left="0",
                right="0",
                padding="0.75em",
                spacing="2",
                align="center",
                background="linear-gradient(transparent, rgba(0,0,0,0.6))",
            ),
            id="slideshow",
            data_playing=rx.cond(AlbumState.playing, "true", "false"),
            position="fixed",
            top="0",
            left="0",
            width="100vw",
            height="100dvh",
            z_index="1000",
            background_color="black",
            role="dialog",
            aria_label="Slideshow",
        ),
    )


def add_to_album_dialog() -> rx.Component:
    """The gallery's "Add to album…": the person's albums, or a new album, for the chosen items."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Add to album"),
            rx.form(
                rx.flex(
                    rx.input(name="title", placeholder="New album title", max_length=200, required=True,
                             id="new-album-title", flex="1", min_width="0"),
                    rx.button("Create", type="submit", id="new-album-create"),
                    spacing="2",
                ),
                on_submit=AlbumPickerState.add_to_new,
                reset_on_submit=True,
            ),
            rx.cond(AlbumPickerState.choices.length() > 0,
                    rx.text("Or add to one of your albums:", size="2", margin_top="1em")),
            rx.scroll_area(
                rx.vstack(
                    rx.foreach(AlbumPickerState.choices, lambda choice: rx.button(
                        rx.icon("book-image", size=16), choice.title, variant="soft", width="100%",
                        justify="start", class_name="album-choice",
                        on_click=AlbumPickerState.add_to(choice.id))),
                    spacing="2",
                    width="100%",
                ),
                max_height="50vh",
                margin_top="0.5em",
            ),
            rx.flex(rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                    justify="end", margin_top="1em"),
            max_width="min(28em, 94vw)",
        ),
        open=AlbumPickerState.picker_open,
        on_open_change=AlbumPickerState.set_picker_open,
    )


def add_to_album_button() -> rx.Component:
    return rx.button(rx.icon("book-plus", size=16), "Add to album…", on_click=AlbumPickerState.open_picker,
                     size="2", variant="soft", id="add-to-album")
