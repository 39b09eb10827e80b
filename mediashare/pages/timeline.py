"""/timeline: the library by month and day (sticky headers), with a scrubber of years and months on
the right that jumps to any month (click it, or drag along it and let go); more months load while
scrolling down, and "Show newer" goes back up after a jump."""

from __future__ import annotations

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.timeline import DayGroup, MonthSection, ScrubMonth, ScrubYear, TimelineState, TimelineTile

# Drag along the scrubber and let go on a month (mouse or finger); scrolling near the end loads older
# months. Installed once per tab (document-level listeners, so page changes do not matter).
SCRUBBER_SCRIPT = """
if (!window.__msTimeline) {
  window.__msTimeline = true;
  let down = null, hovered = null, lastAuto = 0;
  const under = (e) => {
    const el = document.elementFromPoint(e.clientX, e.clientY);
    return el && el.closest ? el.closest('#timeline-scrubber [data-jump]') : null;
  };
  const hover = (el) => {
    if (hovered && hovered !== el) hovered.classList.remove('scrub-hover');
    hovered = el; if (el) el.classList.add('scrub-hover');
  };
  document.addEventListener('pointerdown', (e) => {
    const bar = e.target.closest && e.target.closest('#timeline-scrubber');
    down = bar ? (e.target.closest('[data-jump]') || bar) : null;
  });
  document.addEventListener('pointermove', (e) => { if (down) hover(under(e)); });
  document.addEventListener('pointerup', (e) => {
    if (!down) return;
    const start = down, end = under(e); down = null; hover(null);
    if (end && end !== start) end.click();
  });
  window.addEventListener('scroll', () => {
    const more = document.getElementById('timeline-older');
    if (!more || Date.now() - lastAuto < 800) return;
    if (more.getBoundingClientRect().top < window.innerHeight + 800) { lastAuto = Date.now(); more.click(); }
  }, {passive: true});
}
"""


def _tile(tile: TimelineTile) -> rx.Component:
    return rx.link(
        rx.cond(
            tile.thumb_url != "",
            rx.image(src=tile.thumb_url, alt=tile.title, loading="lazy", decoding="async", width="100%",
                     height="100%", object_fit="cover"),
            rx.center(rx.icon(rx.match(tile.kind, ("video", "film"), ("audio", "music"), "image"), size=22),
                      width="100%", height="100%", color=rx.color("gray", 10)),
        ),
        rx.cond(tile.kind == "video",
                rx.badge(rx.icon("film", size=12), position="absolute", bottom="0.4em", right="0.4em",
                         variant="solid", color_scheme="gray")),
        href=tile.href,
        aria_label=tile.title,
        class_name="timeline-tile",
        data_id=tile.id,
        display="block",
        position="relative",
        aspect_ratio="1",
        overflow="hidden",
        border_radius="6px",
        background_color=rx.color("gray", 3),
    )


def _day(day: DayGroup) -> rx.Component:
    return rx.box(
        rx.text(day.label, size="2", weight="medium", color_scheme="gray", class_name="timeline-day",
                position="sticky", top="6.6em", z_index="5", padding_y="0.35em",
                background_color=rx.color("gray", 1)),
        rx.grid(rx.foreach(day.tiles, _tile), columns=rx.breakpoints(initial="3", sm="4", md="5", lg="6"),
                spacing=rx.breakpoints(initial="1", sm="2"), width="100%"),
        margin_bottom="0.75em",
    )


def _month(section: MonthSection) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.heading(section.label, size="5"),
            rx.text(section.count, " items", size="2", color_scheme="gray"),
            align="baseline",
            spacing="3",
            position="sticky",
            top="4.1em",
            z_index="6",
            padding_y="0.5em",
            background_color=rx.color("gray", 1),
            class_name="timeline-month-header",
        ),
        rx.foreach(section.days, _day),
        id="month-" + section.key,
        class_name="timeline-month",
        data_month=section.key,
        scroll_margin_top="4.2em",
        margin_bottom="1.25em",
    )


def _scrub_month(month: ScrubMonth) -> rx.Component:
    return rx.button(
        rx.text(month.short, size="1"),
        rx.text(month.count, size="1", color_scheme="gray", display=["none", "none", "inline"]),
        on_click=TimelineState.jump(month.year, month.month),
        variant=rx.cond(month.shown, "soft", "ghost"),
        color_scheme=rx.cond(month.shown, "accent", "gray"),
        size="1",
        width="100%",
        justify="between",
        data_jump=month.key,
        class_name="scrub-month",
        aria_label="Jump to " + month.short + " " + month.year.to_string(),
        display=["none", "flex"],
        padding_x="0.35em",
        height="1.5em",
    )


def _scrub_year(year: ScrubYear) -> rx.Component:
    return rx.box(
        rx.button(
            rx.text(year.year, size="1", weight="bold"),
            on_click=TimelineState.jump(year.months[0].year, year.months[0].month),
            variant="ghost",
            color_scheme="gray",
            high_contrast=True,
            size="1",
            width="100%",
            data_jump="year-" + year.year.to_string(),
            class_name="scrub-year",
            aria_label="Jump to " + year.year.to_string() + " (" + year.count.to_string() + " items)",
            padding_x="0.35em",
        ),
        rx.foreach(year.months, _scrub_month),
        width="100%",
    )


def _scrubber() -> rx.Component:
    return rx.box(
        rx.foreach(TimelineState.years, _scrub_year),
        id="timeline-scrubber",
        on_mount=rx.call_script(SCRUBBER_SCRIPT),
        aria_label="Timeline scrubber: jump to a year or month",
        role="navigation",
        position="fixed",
        right=["0.15em", "0.5em"],
        top="5.2em",
        bottom="0.75em",
        width=["3.4em", "4.6em", "6em"],
        overflow_y="auto",
        z_index="15",
        padding="0.25em",
        border_radius="8px",
        background_color=rx.color("gray", 2),
        border=f"1px solid {rx.color('gray', 4)}",
        style={"touch-action": "none", "scrollbar-width": "thin", "user-select": "none",
               "& .scrub-hover": {"background_color": rx.color("accent", 5)}},
    )


@rx.page(route=routes.TIMELINE, title=page_title("Timeline"),
         on_load=TimelineState.load)
def timeline_page() -> rx.Component:
    return layout(
        rx.box(id="timeline-top", scroll_margin_top="6em"),
        rx.box(
            rx.flex(
                rx.heading("Timeline", size="6"),
                rx.cond(TimelineState.loaded, rx.text(TimelineState.total, " items", color_scheme="gray",
                                                      id="timeline-total")),
                rx.spacer(),
                rx.link(rx.button(rx.icon("map", size=16), "Map", variant="soft", color_scheme="gray"),
                        href=routes.MAP),
                align="center",
                spacing="3",
                margin_bottom="1em",
            ),
            rx.cond(
                TimelineState.loaded,
                rx.cond(TimelineState.total == 0,
                        rx.callout("Nothing here yet. Upload photos and videos and they appear here by the "
                                   "month they were taken.", icon="info", id="timeline-empty")),
                rx.text(TimelineState.notice, color_scheme="gray"),
            ),
            rx.cond(TimelineState.has_newer,
                    rx.center(rx.button(rx.icon("arrow-up", size=16), "Show newer", variant="soft",
                                        on_click=TimelineState.load_newer, id="timeline-newer"),
                              margin_bottom="1em")),
            rx.foreach(TimelineState.sections, _month),
            rx.cond(TimelineState.has_older,
                    rx.center(rx.button("Show older", variant="soft", on_click=TimelineState.load_older,
                                        id="timeline-older"), margin_top="1em")),
            id="timeline",
            padding_right=["3.5em", "5em", "6.5em"],
        ),
        _scrubber(),
        max_width="80em",
    )
