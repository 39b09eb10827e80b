"""Dashboard pieces: a figure card and a chart card (Recharts through rx.recharts), readable at 390 px."""

from __future__ import annotations

import reflex as rx


def stat(label: str, value: rx.Var | str, hint: rx.Component | str, stat_id: str, icon: str = "") -> rx.Component:
    """One headline figure with a line of context under it."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                *([rx.icon(icon, size=16, color=rx.color("accent", 10))] if icon else []),
                rx.text(label, size="2", color_scheme="gray"),
                spacing="2",
                align="center",
            ),
            rx.text(value, size="7", weight="bold", id=stat_id),
            rx.text(hint, size="1", color_scheme="gray"),
            spacing="1",
            min_width="0",
        ),
        width="100%",
    )


def chart_card(title: str, summary: rx.Component, chart: rx.Component, card_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(title, size="4"),
                rx.spacer(),
                summary,
                wrap="wrap",
                width="100%",
                align="baseline",
            ),
            rx.recharts.responsive_container(chart, width="100%", height=220),
            spacing="3",
            width="100%",
        ),
        width="100%",
        min_width="0",
        id=card_id,
    )


def bar_chart(data: rx.Var, x_key: str, bars: list[tuple[str, str, str]], *, stacked: bool = False) -> rx.Component:
    """A bar chart of `data` (a list of dicts) by `x_key`; bars: (data key, legend name, color)."""
    return rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(data_key=x_key, tick_line=False, font_size=11, interval="preserveStartEnd",
                           min_tick_gap=16),
        rx.recharts.y_axis(allow_decimals=False, width=40, font_size=11),
        rx.recharts.graphing_tooltip(),
        *([rx.recharts.legend(icon_size=10, wrapper_style={"fontSize": "12px"})] if len(bars) > 1 else []),
        *[rx.recharts.bar(data_key=key, name=name, fill=color, is_animation_active=False,
                          **({"stack_id": "all"} if stacked else {}))
          for key, name, color in bars],
        data=data,
        margin={"top": 8, "right": 8, "left": 0, "bottom": 0},
    )


def area_chart(data: rx.Var, x_key: str, key: str, name: str, color: str) -> rx.Component:
    return rx.recharts.area_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(data_key=x_key, tick_line=False, font_size=11, interval="preserveStartEnd",
                           min_tick_gap=16),
        rx.recharts.y_axis(allow_decimals=False, width=40, font_size=11),
        rx.recharts.graphing_tooltip(),
        rx.recharts.area(data_key=key, name=name, stroke=color, fill=color, fill_opacity=0.25, type_="monotone",
                         is_animation_active=False),
        data=data,
        margin={"top": 8, "right": 8, "left": 0, "bottom": 0},
    )


def live_badge(live: rx.Var, updated: rx.Var) -> rx.Component:
    """"Live · updated 14:03:09 UTC" while the push loop runs, "Paused" otherwise."""
    return rx.hstack(
        rx.cond(
            live,
            rx.badge(rx.icon("radio", size=12), "Live", color_scheme="green", variant="soft", id="live-badge"),
            rx.badge("Paused", color_scheme="gray", variant="soft", id="live-badge"),
        ),
        rx.text("Updated ", updated, size="1", color_scheme="gray", id="dashboard-updated"),
        spacing="2",
        align="center",
    )
