"""The crop tool: `react-easy-crop` (maintained, touch and pinch-zoom, keyboard) wrapped as a Reflex
component, with aspect presets and a zoom slider.

The crop position and zoom change on every pointer move, so they stay in the browser (React state
in a small wrapper component); only the finished rectangle (`on_crop_complete`, in pixels of the image
shown) goes to the server, which converts it to full-resolution pixels before adding a crop op.
react-easy-crop always keeps a fixed aspect; "Free" lets the ratio itself be chosen with a slider.
"""

from __future__ import annotations

import reflex as rx

from mediashare.state.studio import StudioState

MIN_ZOOM, MAX_ZOOM = 1.0, 4.0

# (value sent to the state, label)
ASPECTS = (("free", "Free"), ("original", "Original"), ("1:1", "1:1"), ("4:3", "4:3"), ("3:2", "3:2"),
           ("16:9", "16:9"))


def _area_pixels(_area: rx.Var[dict], pixels: rx.Var[dict]) -> tuple[rx.Var[dict]]:
    """Of react-easy-crop's (croppedArea, croppedAreaPixels), the pixels: {x, y, width, height}."""
    return (pixels,)


_WRAPPER = """
function StudioCropper({image, aspect, onCropComplete, zoomLabel}) {
  const [crop, setCrop] = useState({x: 0, y: 0});
  const [zoom, setZoom] = useState(1);
  return createElement(Fragment, null,
    createElement("div", {style: {position: "relative", width: "100%", height: "100%"}},
      createElement(Cropper, {image, aspect, crop, zoom, minZoom: MIN_ZOOM, maxZoom: MAX_ZOOM, objectFit: "contain",
        showGrid: true, restrictPosition: true, onCropChange: setCrop, onZoomChange: setZoom,
        onCropComplete: (area, pixels) => onCropComplete && onCropComplete(area, pixels)})),
    createElement("input", {type: "range", min: MIN_ZOOM, max: MAX_ZOOM, step: 0.01, value: zoom,
      "aria-label": zoomLabel || "Zoom", id: "studio-zoom",
      onChange: (event) => setZoom(Number(event.target.value)),
      style: {position: "absolute", left: "5%", right: "5%", bottom: "10px", width: "90%", minHeight: "32px",
              accentColor: "var(--accent-9)", zIndex: 2}}));
}
"""


class EasyCrop(rx.Component):
    """react-easy-crop's Cropper (https://github.com/ValentinH/react-easy-crop) inside a small
    wrapper that keeps the crop position and zoom in React state and shows a zoom slider."""

    tag = "StudioCropper"

    image: rx.Var[str]
    aspect: rx.Var[float]
    zoom_label: rx.Var[str]

    on_crop_complete: rx.EventHandler[_area_pixels]

    def add_imports(self) -> dict:
        return {
            "react": [rx.ImportVar(tag="useState"), rx.ImportVar(tag="createElement"),
                      rx.ImportVar(tag="Fragment")],
            "react-easy-crop@5.5.6": [rx.ImportVar(tag="Cropper", is_default=True)],
        }

    def add_custom_code(self) -> list[str]:
        return [_WRAPPER.replace("MIN_ZOOM", str(MIN_ZOOM)).replace("MAX_ZOOM", str(MAX_ZOOM))]


def cropper() -> rx.Component:
    """The crop area over the current preview, with its aspect presets, zoom and buttons."""
    return rx.vstack(
        rx.box(
            EasyCrop.create(image=StudioState.crop_source, aspect=StudioState.crop_aspect_value,
                            zoom_label="Zoom", on_crop_complete=StudioState.set_crop_box),
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
            rx.button(rx.icon("check", size=16), "Apply crop", on_click=StudioState.apply_crop, id="studio-crop-apply",
                      loading=StudioState.busy, size="3"),
            rx.button("Cancel", variant="soft", color_scheme="gray", on_click=StudioState.set_mode("adjust"),
                      id="studio-crop-cancel", size="3"),
            spacing="2",
        ),
        width="100%",
        spacing="3",
    )
