"""The crop tool: `react-easy-crop` (maintained, touch and pinch-zoom, keyboard) wrapped as a Reflex
component, with aspect presets and a zoom slider.

The crop position and zoom change on every pointer move, so they stay in the browser (React state
made by hooks on the page); only the finished rectangle (`on_crop_complete`, in pixels of the image
shown) goes to the server, which converts it to full-resolution pixels before adding a crop op.
react-easy-crop always keeps a fixed aspect; "Free" lets the ratio itself be chosen with a slider.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import FunctionStringVar

from mediashare.state.studio import StudioState

_CROP = "studioCrop"
_ZOOM = "studioZoom"
MIN_ZOOM, MAX_ZOOM = 1.0, 4.0

# (value sent to the state, label)
ASPECTS = (("free", "Free"), ("original", "Original"), ("1:1", "1:1"), ("4:3", "4:3"), ("3:2", "3:2"),
           ("16:9", "16:9"))


def _area_pixels(_area: rx.Var, pixels: rx.Var) -> tuple[rx.Var]:
    """Of react-easy-crop's (croppedArea, croppedAreaPixels), the pixels: {x, y, width, height}."""
    return (pixels,)


class EasyCrop(rx.NoSSRComponent):
    """react-easy-crop's Cropper: https://github.com/ValentinH/react-easy-crop"""

    library = "react-easy-crop@5.5.6"
    tag = "Cropper"
    is_default = True

    image: rx.Var[str]
    crop: rx.Var[dict]
    zoom: rx.Var[float]
    aspect: rx.Var[float]
    min_zoom: rx.Var[float]
    max_zoom: rx.Var[float]
    zoom_speed: rx.Var[float]
    object_fit: rx.Var[str]
    restrict_position: rx.Var[bool]
    show_grid: rx.Var[bool]

    on_crop_change: rx.EventHandler[lambda crop: [crop]]
    on_zoom_change: rx.EventHandler[lambda zoom: [zoom]]
    on_crop_complete: rx.EventHandler[_area_pixels]

    def add_hooks(self) -> list[str | rx.Var]:
        return [
            f"const [{_CROP}, set_{_CROP}] = useState({{x: 0, y: 0}});",
            f"const [{_ZOOM}, set_{_ZOOM}] = useState(1);",
        ]

    def add_imports(self) -> dict:
        return {"react": [rx.ImportVar(tag="useState")]}


def _js(name: str) -> rx.Var:
    return rx.Var(name)


def cropper() -> rx.Component:
    """The crop area over the current preview, with its aspect presets, zoom and buttons."""
    return rx.vstack(
        rx.box(
            EasyCrop.create(
                image=StudioState.crop_source,
                crop=_js(_CROP),
                zoom=_js(_ZOOM),
                aspect=StudioState.crop_aspect_value,
                min_zoom=MIN_ZOOM,
                max_zoom=MAX_ZOOM,
                object_fit="contain",
                restrict_position=True,
                show_grid=True,
                on_crop_change=FunctionStringVar.create(f"set_{_CROP}"),
                on_zoom_change=FunctionStringVar.create(f"set_{_ZOOM}"),
                on_crop_complete=StudioState.set_crop_box,
            ),
            position="relative",
            width="100%",
            height=rx.breakpoints(initial="50vh", md="62vh"),
            background="black",
            border_radius="8px",
            overflow="hidden",
            id="studio-cropper",
        ),
        rx.hstack(
            *[
                rx.button(label, size="2", variant=rx.cond(StudioState.crop_aspect == value, "solid", "soft"),
                          on_click=StudioState.set_crop_aspect(value), id=f"studio-aspect-{value.replace(':', 'x')}")
                for value, label in ASPECTS
            ],
            wrap="wrap",
            spacing="2",
        ),
        rx.cond(
            StudioState.crop_aspect == "free",
            rx.hstack(
                rx.text("Ratio", size="2", width="5em"),
                rx.slider(default_value=[0.0], min=-1.1, max=1.1, step=0.01, size="3",
                          on_change=StudioState.set_free_ratio.debounce(30), id="studio-free-ratio"),
                rx.text(StudioState.free_ratio_label, size="2", width="4em"),
                width="100%",
                align="center",
            ),
        ),
        rx.hstack(
            rx.text("Zoom", size="2", width="5em"),
            rx.el.input(type="range", min=MIN_ZOOM, max=MAX_ZOOM, step=0.01, value=_js(_ZOOM),
                        on_change=FunctionStringVar.create(f"((value) => set_{_ZOOM}(Number(value)))"),
                        style={"flex": "1", "min_height": "32px", "accent_color": "var(--accent-9)"},
                        aria_label="Zoom", id="studio-zoom"),
            width="100%",
            align="center",
        ),
        rx.hstack(
            rx.button(rx.icon("check", size=16), "Apply crop", on_click=StudioState.apply_crop, id="studio-crop-apply",
                      loading=StudioState.busy, size="3"),
            rx.button("Cancel", variant="soft", color_scheme="gray", on_click=StudioState.set_mode("adjust"),
                      id="studio-crop-cancel", size="3"),
            spacing="2",
        ),
        width="100%",
        spacing="3",
    )
