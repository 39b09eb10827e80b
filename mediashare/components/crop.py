"""The crop tool: `react-image-crop` (maintained, touch, keyboard-accessible handles, free-form or
fixed aspect) wrapped as a Reflex component, with aspect presets and a zoom slider.

The crop rectangle changes on every pointer move, so it stays in the browser (React state in a
small wrapper component); only the finished rectangle (`onComplete`) goes to the server, as integer
pixels of the preview image shown (its natural size, whatever size it is drawn at), and the server
converts it to full-resolution pixels before adding a crop op.

- "Free" has no aspect: each corner and edge moves on its own. It starts on the whole picture.
- A preset (1:1, 4:3, 3:2, 16:9, the original's ratio) locks the ratio while resizing; choosing it
  starts on the largest centred rectangle of that ratio.
- Zoom enlarges the picture inside a scrolling box (scroll or swipe the scroll bars to reach any
  part); the rectangle is kept in percent of the picture, so zooming never moves it.
- Keyboard: the selection and its eight handles are focusable; arrow keys move the selection or
  the focused handle (Shift ×10, Ctrl/Cmd ×100).
"""

from __future__ import annotations

import reflex as rx

from mediashare.state.studio import StudioState

MIN_ZOOM, MAX_ZOOM = 1.0, 4.0
HANDLE_ROOM = 16  # px of black around the picture, so the corner handles can be grabbed (a finger too)
LIBRARY = "react-image-crop@11.1.2"

# (value sent to the state, label)
ASPECTS = (("free", "Free"), ("original", "Original"), ("1:1", "1:1"), ("4:3", "4:3"), ("3:2", "3:2"),
           ("16:9", "16:9"))


def _pixels(pixels: rx.Var[dict]) -> tuple[rx.Var[dict]]:
    """The finished rectangle {x, y, width, height} in whole pixels of the preview image."""
    return (pixels,)


_WRAPPER = """
function studioStartCrop(width, height, aspect) {
  if (!aspect) return {unit: "%", x: 0, y: 0, width: 100, height: 100};
  let w = 100, h = 100;
  if (width / height > aspect) { w = (aspect * height / width) * 100; } else { h = (width / aspect / height) * 100; }
  return {unit: "%", x: (100 - w) / 2, y: (100 - h) / 2, width: w, height: h};
}

function StudioCropper({image, aspect, onCropComplete, zoomLabel}) {
  const [crop, setCrop] = useState(undefined);
  const [zoom, setZoom] = useState(1);
  const [box, setBox] = useState({w: 0, h: 0});
  const [natural, setNatural] = useState({w: 0, h: 0});
  const boxRef = useRef(null);
  const imgRef = useRef(null);
  const report = (percent) => {
    const img = imgRef.current;
    if (!img || !img.naturalWidth || !percent || !onCropComplete) return;
    const W = img.naturalWidth, H = img.naturalHeight;
    const left = Math.max(0, Math.min(W - 1, Math.round(percent.x * W / 100)));
    const top = Math.max(0, Math.min(H - 1, Math.round(percent.y * H / 100)));
    const right = Math.max(left + 1, Math.min(W, Math.round((percent.x + percent.width) * W / 100)));
    const bottom = Math.max(top + 1, Math.min(H, Math.round((percent.y + percent.height) * H / 100)));
    onCropComplete({x: left, y: top, width: right - left, height: bottom - top});
  };
  const start = () => {
    const img = imgRef.current;
    if (!img || !img.naturalWidth) return;
    setNatural({w: img.naturalWidth, h: img.naturalHeight});
    const next = studioStartCrop(img.naturalWidth, img.naturalHeight, aspect);
    setCrop(next);
    report(next);
  };
  useEffect(() => { if (imgRef.current && imgRef.current.complete) start(); }, [aspect, image]);
  useEffect(() => {
    const el = boxRef.current;
    if (!el) return undefined;
    const measure = () => setBox({w: el.clientWidth, h: el.clientHeight});
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const room = {w: Math.max(1, box.w - 2 * PAD), h: Math.max(1, box.h - 2 * PAD)};  // handles stay inside
  const fit = natural.w && box.w && box.h ? Math.min(room.w / natural.w, room.h / natural.h) : 0;
  const imgStyle = fit
    ? {display: "block", maxWidth: "none", width: natural.w * fit * zoom + "px", height: natural.h * fit * zoom + "px"}
    : {display: "block", maxWidth: "100%", maxHeight: "100%"};
  return createElement("div", {style: {display: "flex", flexDirection: "column", width: "100%", height: "100%"}},
    createElement("div", {ref: boxRef, id: "studio-crop-scroll",
                          style: {flex: "1 1 auto", minHeight: 0, overflow: "auto", display: "flex"}},
      createElement("div", {style: {margin: "auto", padding: PAD + "px", lineHeight: 0}},
        createElement(ReactCrop, {crop, aspect: aspect || undefined, keepSelection: true, ruleOfThirds: true,
            minWidth: 12, minHeight: 12,
            onChange: (_pixels, percent) => setCrop(percent),
            onComplete: (_pixels, percent) => report(percent)},
          createElement("img", {ref: imgRef, src: image, alt: "The photo to crop", draggable: false,
                                onLoad: start, style: imgStyle})))),
    createElement("div", {style: {flex: "0 0 auto", display: "flex", alignItems: "center", gap: "8px",
                                  padding: "6px 12px", color: "white", fontSize: "13px"}},
      createElement("label", {htmlFor: "studio-zoom"}, zoomLabel || "Zoom"),
      createElement("input", {type: "range", min: MIN_ZOOM, max: MAX_ZOOM, step: 0.01, value: zoom,
        id: "studio-zoom", onChange: (event) => setZoom(Number(event.target.value)),
        style: {flex: "1 1 auto", minHeight: "32px", accentColor: "var(--accent-9)"}})));
}
"""


class ImageCrop(rx.Component):
    """react-image-crop's ReactCrop (https://github.com/dominictobias/react-image-crop) inside a
    small wrapper that keeps the rectangle and zoom in React state and shows a zoom slider."""

    tag = "StudioCropper"

    image: rx.Var[str]
    aspect: rx.Var[float]  # width / height; 0 for a free-form crop
    zoom_label: rx.Var[str]

    on_crop_complete: rx.EventHandler[_pixels]

    def add_imports(self) -> dict:
        return {
            "react": [rx.ImportVar(tag="useState"), rx.ImportVar(tag="useEffect"), rx.ImportVar(tag="useRef"),
                      rx.ImportVar(tag="createElement")],
            LIBRARY: [rx.ImportVar(tag="ReactCrop", is_default=True)],
            "": "react-image-crop/dist/ReactCrop.css",
        }

    def add_custom_code(self) -> list[str]:
        return [_WRAPPER.replace("MIN_ZOOM", str(MIN_ZOOM)).replace("MAX_ZOOM", str(MAX_ZOOM))
                .replace("PAD", str(HANDLE_ROOM))]


def cropper() -> rx.Component:
    """The crop area over the current preview, with its aspect presets, zoom and buttons."""
    return rx.vstack(
        rx.box(
            ImageCrop.create(image=StudioState.crop_source, aspect=StudioState.crop_aspect_value,
                             zoom_label="Zoom", on_crop_complete=StudioState.set_crop_box),
            position="relative",
            width="100%",
            height=rx.breakpoints(initial="55vh", md="66vh"),
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
        rx.text(rx.cond(StudioState.crop_aspect == "free",
                        "Drag any corner or edge; arrow keys move the selected handle.",
                        "The ratio stays fixed while you drag a corner."),
                size="1", color_scheme="gray"),
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
