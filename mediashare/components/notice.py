"""The callout that shows a form route's notice (success, error or info) at the top of a page."""

from __future__ import annotations

import reflex as rx

from mediashare.state.notice import NoticeState


def notice_callout() -> rx.Component:
    kind = NoticeState.notice_kind
    return rx.cond(
        NoticeState.notice_text != "",
        rx.callout.root(
            rx.callout.icon(
                rx.match(kind, ("success", rx.icon("circle-check")), ("error", rx.icon("triangle-alert")),
                         rx.icon("info"))
            ),
            rx.callout.text(NoticeState.notice_text),
            color_scheme=rx.match(kind, ("success", "green"), ("error", "red"), "blue"),
            role=rx.cond(kind == "error", "alert", "status"),
            id="notice",
            width="100%",
        ),
    )
