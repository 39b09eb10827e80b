"""The studio's pieces: the preview stage (with hold-to-compare and split view), the brush canvas
for dust and scratches, and the grouped controls built from `imaging.ops.SLIDERS`."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import no_args_event_spec

from mediashare import routes
from mediashare.imaging.ops import SLIDERS
from mediashare.imaging.presets import PRESETS
from mediashare.services.studio_edits import slider_key
from mediashare.state.studio import StudioState, VersionRow

GROUPS = ("Light", "Color", "Restore", "Detail")
SLIDER_DEBOUNCE_MS = 35
_TOUCH_SLIDER = {"--slider-thumb-size": "24px", "padding_y": "6px"}  # a thumb a finger can hold
_MAX_HEIGHT = rx.breakpoints(initial="38vh", md="min(70vh, 900px)")  # phones keep room for the controls
_IMAGE_STYLE = {"max_width": "100%", "width": "auto", "height": "auto",
                "display": "block", "user_select": "none", "-webkit-user-drag": "none", "touch_action": "none"}

# Painting over the preview: strokes are collected in pixels of the picture (not of the screen) in
# window.__studioStrokes and sent to the server only when applied.
BRUSH_SCRIPT = """
(() => {
  const canvas = document.getElementById('studio-brush-canvas');
  const img = document.getElementById('studio-preview');
  if (!canvas || !img || canvas.dataset.ready) return;
  canvas.dataset.ready = '1';
  window.__studioStrokes = [];
  const fit = () => { canvas.width = img.clientWidth; canvas.height = img.clientHeight; redraw(); };
  const ctx = canvas.getContext('2d');
  const scale = () => img.naturalWidth / Math.max(1, img.clientWidth);
  const redraw = () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = 'rgba(255, 60, 60, 0.55)';
    for (const stroke of window.__studioStrokes) {
      const r = stroke.radius / scale();
      for (const [x, y] of stroke.points) { ctx.beginPath(); ctx.arc(x / scale(), y / scale(), r, 0, 7); ctx.fill(); }
    }
  };
  let current = null;
  const at = (event) => {
    const box = canvas.getBoundingClientRect();
    return [Math.max(0, (event.clientX - box.left) * scale()), Math.max(0, (event.clientY - box.top) * scale())];
  };
  const size = () => Number(document.getElementById('studio-brush-size')?.value || 12);
  canvas.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    current = {points: [at(event)], radius: size() * scale() / 2};
    window.__studioStrokes.push(current);
    redraw();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!current) return;
    const point = at(event), last = current.points[current.points.length - 1];
    if (Math.hypot(point[0] - last[0], point[1] - last[1]) < current.radius / 2) return;
    const total = window.__studioStrokes.reduce((n, s) => n + s.points.length, 0);
    if (total >= 3900) return;
    current.points.push(point);
    redraw();
  });
  const end = () => { current = null; };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  window.__studioClearStrokes = () => { window.__studioStrokes = []; redraw(); };
  new ResizeObserver(fit).observe(img);
  fit();
})();
"""


class _Picture(rx.el.img.__self__):  # type: ignore[name-defined,misc]
    """An <img> that reports a failed load (the preview route forgot that seq: render again)."""

    on_error: rx.EventHandler[no_args_event_spec]


class _HoldButton(rx.button.__self__):  # type: ignore[name-defined,misc]
    """A button that reports press and release for mouse, pen and touch alike (pointer events)."""

    on_pointer_down: rx.EventHandler[no_args_event_spec]
    on_pointer_up: rx.EventHandler[no_args_event_spec]
    on_pointer_leave: rx.EventHandler[no_args_event_spec]
    on_pointer_cancel: rx.EventHandler[no_args_event_spec]


def _picture(src: rx.Var, element_id: str, **style) -> rx.Component:
    height = style.pop("max_height", _MAX_HEIGHT)
    return _Picture.create(src=src, id=element_id, alt="Preview", on_error=StudioState.rerender,
                           style={**_IMAGE_STYLE, **style}, max_height=height, draggable=False)


def _split_view() -> rx.Component:
    return rx.box(
        _picture(StudioState.before_url, "studio-before"),
        _picture(StudioState.preview_url, "studio-preview",
                 position="absolute", top="0", left="0", width="100%", height="100%", max_width="none",
                 max_height="none", object_fit="contain",
                 clip_path=f"inset(0 0 0 {StudioState.split_at}%)"),
        rx.box(position="absolute", top="0", bottom="0", left=f"{StudioState.split_at}%", width="2px",
               background="white", box_shadow="0 0 3px rgba(0,0,0,.6)", pointer_events="none"),
        position="relative",
        display="inline-block",
    )


def _brush_view() -> rx.Component:
    return rx.box(
        _picture(StudioState.preview_url, "studio-preview"),
        rx.el.canvas(id="studio-brush-canvas",
                     style={"position": "absolute", "inset": "0", "width": "100%", "height": "100%",
                            "cursor": "crosshair", "touch_action": "none"}),
        position="relative",
        display="inline-block",
        on_mount=rx.call_script(BRUSH_SCRIPT),
    )


def stage() -> rx.Component:
    """The picture: the live preview, or the unedited one while "Hold to compare" is pressed."""
    return rx.vstack(
        rx.center(
            rx.cond(
                StudioState.mode == "brush",
                _brush_view(),
                rx.cond(StudioState.split, _split_view(),
                        rx.box(_picture(StudioState.shown_url, "studio-preview"), position="relative")),
            ),
            width="100%",
            min_height="240px",
            background=rx.color("gray", 3),
            border_radius="8px",
            padding="2",
            position="relative",
        ),
        rx.cond(
            StudioState.split,
            rx.hstack(
                rx.text("Before", size="1"),
                rx.slider(default_value=[50], min=0, max=100, step=1, size="3", on_change=StudioState.set_split_at,
                          id="studio-split-slider", aria_label="Split position", style=_TOUCH_SLIDER),
                rx.text("After", size="1"),
                width="100%",
                align="center",
            ),
        ),
        rx.hstack(
            _HoldButton.create(rx.icon("eye", size=16), "Hold to compare", variant="soft", size="3",
                               on_pointer_down=StudioState.hold(True), on_pointer_up=StudioState.hold(False),
                               on_pointer_leave=StudioState.hold(False), on_pointer_cancel=StudioState.hold(False),
                               on_context_menu=rx.prevent_default, id="studio-hold",
                               style={"touch_action": "none", "user_select": "none"}),
            rx.button(rx.icon("columns-2", size=16), rx.cond(StudioState.split, "Hide split", "Split view"),
                      variant=rx.cond(StudioState.split, "solid", "soft"), size="3",
                      on_click=StudioState.set_split(~StudioState.split), id="studio-split"),
            rx.cond(StudioState.busy, rx.spinner(size="3")),
            wrap="wrap",
            spacing="2",
            align="center",
        ),
        width="100%",
        spacing="3",
    )


def _slider(spec) -> rx.Component:
    key = slider_key(spec.op, spec.param)
    element_id = f"studio-slider-{spec.op}-{spec.param}".replace("_", "-")
    return rx.vstack(
        rx.hstack(
            rx.text(spec.label, size="2", weight="medium"),
            rx.spacer(),
            rx.text(StudioState.values[key].to_string(), size="1", color_scheme="gray",
                    id=f"{element_id}-value"),
            width="100%",
        ),
        rx.slider(
            key=f"{key}-" + StudioState.revision.to_string(),
            default_value=[StudioState.values[key]],
            min=spec.min,
            max=spec.max,
            step=spec.step,
            size="3",
            on_change=lambda value: StudioState.slide(key, value).debounce(SLIDER_DEBOUNCE_MS),
            on_value_commit=lambda value: StudioState.commit_slide(key, value),
            id=element_id,
            aria_label=spec.label,
            style=_TOUCH_SLIDER,
        ),
        width="100%",
        spacing="1",
        padding_y="1",
    )


def _group(title: str, *children: rx.Component, **props) -> rx.Component:
    return rx.vstack(rx.heading(title, size="3"), *children, width="100%", spacing="2",
                     padding_bottom="3", border_bottom=f"1px solid {rx.color('gray', 5)}", **props)


def presets() -> rx.Component:
    return _group(
        "Presets",
        rx.flex(
            *[rx.button(preset.label, variant="soft", size="3", on_click=StudioState.apply_preset(name),
                        id=f"studio-preset-{name.replace('_', '-')}", disabled=StudioState.busy)
              for name, preset in PRESETS.items()],
            wrap="wrap",
            gap="2",
        ),
    )


def geometry() -> rx.Component:
    straighten = [spec for spec in SLIDERS if spec.op == "straighten"]
    return _group(
        "Crop and rotate",
        rx.flex(
            rx.button(rx.icon("crop", size=16), "Crop", size="3", variant="soft",
                      on_click=StudioState.set_mode("crop"), id="studio-crop"),
            rx.button(rx.icon("rotate-cw", size=16), "Rotate", size="3", variant="soft",
                      on_click=StudioState.rotate, id="studio-rotate", aria_label="Rotate 90° clockwise"),
            rx.button(rx.icon("flip-horizontal-2", size=16), "Flip horizontally", size="3", variant="soft",
                      on_click=StudioState.flip("horizontal"), id="studio-flip-h", title="Mirror left and right"),
            rx.button(rx.icon("flip-vertical-2", size=16), "Flip vertically", size="3", variant="soft",
                      on_click=StudioState.flip("vertical"), id="studio-flip-v", title="Turn upside down (mirror)"),
            wrap="wrap",
            gap="2",
        ),
        *[_slider(spec) for spec in straighten],
    )


def brush_tools() -> rx.Component:
    return _group(
        "Dust and scratches",
        rx.cond(
            StudioState.mode == "brush",
            rx.vstack(
                rx.text("Paint over spots and scratches, then remove them.", size="2", color_scheme="gray"),
                rx.hstack(
                    rx.text("Brush", size="2", width="4em"),
                    rx.el.input(type="range", min=4, max=60, step=1, default_value="12", id="studio-brush-size",
                                aria_label="Brush size", style={"flex": "1", "min_height": "32px"}),
                    width="100%",
                    align="center",
                ),
                rx.flex(
                    rx.button(rx.icon("eraser", size=16), "Remove painted spots", size="3",
                              on_click=rx.call_script("window.__studioStrokes || []",
                                                      callback=StudioState.apply_strokes),
                              loading=StudioState.busy, id="studio-brush-apply"),
                    rx.button("Clear", size="3", variant="soft", color_scheme="gray",
                              on_click=rx.call_script("window.__studioClearStrokes && window.__studioClearStrokes()"),
                              id="studio-brush-clear"),
                    rx.button("Done", size="3", variant="soft", on_click=StudioState.set_mode("adjust"),
                              id="studio-brush-done"),
                    wrap="wrap",
                    gap="2",
                ),
                width="100%",
            ),
            rx.button(rx.icon("paintbrush", size=16), "Paint spots to remove", size="3", variant="soft",
                      on_click=StudioState.set_mode("brush"), id="studio-brush"),
        ),
    )


def adjustments() -> rx.Component:
    """Every slider of imaging.ops.SLIDERS, grouped (straighten lives with the geometry tools)."""
    return rx.fragment(
        *[
            _group(group, *[_slider(spec) for spec in SLIDERS if spec.group == group and spec.op != "straighten"])
            for group in GROUPS
        ]
    )


def _version(row: VersionRow) -> rx.Component:
    return rx.hstack(
        rx.box(
            rx.cond(row.thumb_url != "",
                    rx.image(src=row.thumb_url, alt=row.label, width="64px", height="64px", object_fit="cover",
                             border_radius="6px"),
                    rx.center(rx.icon("hourglass", size=20), width="64px", height="64px",
                              background=rx.color("gray", 3), border_radius="6px")),
            flex_shrink="0",
        ),
        rx.vstack(
            rx.hstack(rx.text(row.label, weight="bold", size="2"),
                      rx.cond(row.current, rx.badge("Shown", color_scheme="green")), align="center"),
            rx.text(row.created, size="1", color_scheme="gray"),
            rx.cond(row.status == "pending",
                    rx.vstack(rx.progress(value=row.progress, max=100, width="100%"),
                              rx.text("Rendering… ", row.progress, "%", size="1"), width="100%", spacing="1"),
                    rx.cond(row.status == "failed", rx.text(row.error, size="1", color_scheme="red"),
                            rx.text(row.details, size="1", color_scheme="gray"))),
            rx.flex(
                rx.button("Edit from here", size="1", variant="soft", on_click=StudioState.open_version(row.id)),
                rx.cond((row.status == "ready") & ~row.current,
                        rx.button("Show in gallery", size="1", variant="soft",
                                  on_click=StudioState.show_version(row.id))),
                rx.cond(row.download_url != "",
                        rx.link(rx.button(rx.icon("download", size=14), size="1", variant="soft",
                                          aria_label="Download"), href=row.download_url, download=True)),
                rx.icon_button(rx.icon("trash-2", size=14), size="1", variant="soft", color_scheme="red",
                               on_click=StudioState.delete_version(row.id), aria_label="Delete this version"),
                wrap="wrap",
                gap="1",
            ),
            spacing="1",
            width="100%",
            min_width="0",
        ),
        width="100%",
        align="start",
        class_name="studio-version",
    )


def history() -> rx.Component:
    """Saved versions, newest first, and the original."""
    return _group(
        "Versions",
        rx.hstack(
            rx.text("Original", weight="bold", size="2"),
            rx.cond(StudioState.original_is_shown, rx.badge("Shown", color_scheme="green"),
                    rx.button("Show the original", size="1", variant="soft", on_click=StudioState.show_original,
                              id="studio-show-original")),
            align="center",
            width="100%",
        ),
        rx.cond(StudioState.versions.length() == 0,
                rx.text("Nothing saved yet: Save keeps the edit as a new version; the original never changes.",
                        size="2", color_scheme="gray")),
        rx.foreach(StudioState.versions, _version),
        id="studio-history",
    )


def save_button() -> rx.Component:
    """Save; when saving is priced the button says what it uses and what the user has."""
    label = rx.cond(StudioState.save_price > 0,
                    "Save (uses " + StudioState.save_price.to_string() + " credits; you have "
                    + StudioState.credit_balance.to_string() + ")",
                    "Save")
    return rx.vstack(
        rx.button(rx.icon("save", size=16), label, size="3", on_click=StudioState.save,
                  loading=StudioState.saving, disabled=StudioState.edits == 0, id="studio-save"),
        rx.cond(StudioState.save_price > StudioState.credit_balance,
                rx.link("Not enough credits: top up", href=routes.TOP_UP, size="2", id="studio-top-up")),
        spacing="1",
        align="stretch",
    )


def applied() -> rx.Component:
    """The edit as a list of chips, in the order applied; × takes one out."""
    return rx.cond(
        StudioState.edits > 0,
        _group(
            "Applied",
            rx.flex(
                rx.foreach(
                    StudioState.applied,
                    lambda name, index: rx.badge(
                        name,
                        rx.icon_button(rx.icon("x", size=12), size="1", variant="ghost", color_scheme="gray",
                                       on_click=StudioState.remove_edit(index), aria_label="Remove this edit",
                                       class_name="studio-remove-edit"),
                        size="2", variant="surface", class_name="studio-applied",
                    ),
                ),
                wrap="wrap",
                gap="2",
            ),
            id="studio-applied",
        ),
    )
