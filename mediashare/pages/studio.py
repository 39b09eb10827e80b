"""/studio/[media_id]: edit a photo with a live preview — picture on the left, controls on the
right (below it at phone width)."""

import reflex as rx

from mediashare import routes
from mediashare.components.crop import cropper
from mediashare.components.layout import layout, page_title
from mediashare.components.studio import (
    adjustments,
    applied,
    brush_tools,
    geometry,
    history,
    presets,
    save_button,
    stage,
)
from mediashare.pages.not_found import not_found_panel
from mediashare.state.studio import StudioState


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.hstack(
            rx.link(rx.icon_button(rx.icon("arrow-left", size=18), variant="ghost", aria_label="Back to the photo"),
                    href=StudioState.back_href, id="studio-back"),
            rx.vstack(
                rx.heading(StudioState.title, size="5", id="studio-title", style={"word_break": "break-word"}),
                rx.text(StudioState.original_label, size="1", color_scheme="gray"),
                spacing="0",
                min_width="0",
            ),
            align="center",
            min_width="0",
            flex_grow="1",
        ),
        rx.hstack(
            rx.icon_button(rx.icon("undo-2", size=18), variant="soft", size="3", on_click=StudioState.undo,
                           disabled=~StudioState.can_undo, aria_label="Undo", id="studio-undo"),
            rx.icon_button(rx.icon("redo-2", size=18), variant="soft", size="3", on_click=StudioState.redo,
                           disabled=~StudioState.can_redo, aria_label="Redo", id="studio-redo"),
            rx.button(rx.icon("rotate-ccw", size=16), "Reset", variant="soft", color_scheme="gray", size="3",
                      on_click=StudioState.reset_all, disabled=StudioState.edits == 0, id="studio-reset"),
            save_button(),
            spacing="2",
            wrap="wrap",
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        gap="3",
        width="100%",
    )


def _controls() -> rx.Component:
    return rx.vstack(
        presets(),
        applied(),
        geometry(),
        adjustments(),
        brush_tools(),
        history(),
        width="100%",
        spacing="4",
        id="studio-controls",
    )


def _editor() -> rx.Component:
    return rx.vstack(
        _toolbar(),
        rx.grid(
            rx.box(rx.cond(StudioState.mode == "crop", cropper(), stage()), min_width="0", id="studio-stage",
                   position=rx.cond(StudioState.mode == "crop", "static", "sticky"), top="60px", z_index="2",
                   align_self="start", background="var(--color-background)",
                   padding_bottom="2"),
            rx.box(_controls(), min_width="0"),
            columns=rx.breakpoints(initial="1", md="minmax(0, 1fr) 22em"),
            gap="5",
            width="100%",
        ),
        spacing="4",
        width="100%",
        id="studio",
    )


@rx.page(route=routes.STUDIO, title=page_title("Studio"), on_load=StudioState.load)
def studio() -> rx.Component:
    return layout(rx.cond(StudioState.missing, not_found_panel(), rx.cond(StudioState.media_id > 0, _editor())),
                  max_width="90em")
