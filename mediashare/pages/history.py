"""/history: what you viewed or played lately, and the videos and audio to continue."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.state.media import HistoryRow, HistoryState


def _thumb(row: HistoryRow) -> rx.Component:
    return rx.box(
        rx.cond(row.thumb_url != "",
                rx.image(src=row.thumb_url, alt="", width="100%", height="100%", object_fit="cover"),
                rx.center(rx.icon("music", size=28, color=rx.color("gray", 9)), height="100%")),
        width="4.5em", height="4.5em", flex_shrink="0", overflow="hidden", border_radius="var(--radius-2)",
        background=rx.color("gray", 3),
    )


def history_row(row: HistoryRow) -> rx.Component:
    return rx.link(
        rx.flex(
            _thumb(row),
            rx.vstack(
                rx.text(row.title, weight="medium", size="3", style={"word_break": "break-word"}),
                rx.text("Viewed " + row.viewed, size="1", color_scheme="gray"),
                rx.cond(row.progress != "", rx.vstack(
                    rx.progress(value=row.percent, max=100, width="100%", max_width="16em"),
                    rx.text(row.progress, size="1", color_scheme="gray"),
                    spacing="1", width="100%",
                )),
                spacing="1",
                min_width="0",
                flex_grow="1",
            ),
            spacing="3",
            align="center",
            width="100%",
            padding_y="0.6em",
            border_bottom=f"1px solid {rx.color('gray', 4)}",
        ),
        href=row.href,
        underline="none",
        color="inherit",
        width="100%",
        class_name="history-row",
    )


@rx.page(route=routes.HISTORY, title=page_title("History"), on_load=HistoryState.load)
def history() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading("History", size="7"),
            rx.cond(
                HistoryState.unfinished.length() > 0,
                rx.card(
                    rx.vstack(
                        rx.heading("Continue watching", size="4"),
                        rx.foreach(HistoryState.unfinished, history_row),
                        spacing="1", width="100%",
                    ),
                    width="100%", id="continue-watching",
                ),
            ),
            rx.card(
                rx.vstack(
                    rx.heading("Recently viewed", size="4"),
                    rx.cond(HistoryState.recent.length() > 0,
                            rx.foreach(HistoryState.recent, history_row),
                            rx.text("Nothing yet: items you open appear here.", color_scheme="gray")),
                    spacing="1", width="100%",
                ),
                width="100%", id="recently-viewed",
            ),
            spacing="4",
            width="100%",
        )
    )
