"""Editing an ops list the way the studio's controls do: sliders set one parameter of one op,
presets replace the adjustments, geometry tools append ops, strokes become an inpaint op.

Ops lists here are plain JSON (what `imaging.ops.dump_ops` gives, what the state keeps and what a
saved version stores); every result is validated by `imaging.ops.parse_ops` before it is used.
Pure functions: no database, no Reflex.
"""

from __future__ import annotations

import math
from typing import Any

from mediashare.errors import ValidationFailed
from mediashare.imaging import ops as ops_module
from mediashare.imaging.presets import PRESETS

Ops = list[dict[str, Any]]

GEOMETRY = frozenset({*(cls.name for cls in ops_module.GEOMETRY_OPS), "inpaint"})
MAX_STROKES = ops_module.MAX_STROKES
MAX_POINTS = ops_module.MAX_INPAINT_POINTS  # over all strokes of one inpaint op
MAX_BRUSH = 200  # working-copy pixels


LABELS = {
    "crop": "Crop", "rotate": "Rotate 90°", "straighten": "Straighten", "flip": "Flip", "brightness": "Brightness",
    "contrast": "Contrast", "exposure": "Exposure", "saturation": "Saturation", "warmth": "Warmth", "gamma": "Gamma",
    "auto_levels": "Auto levels", "auto_white_balance": "Auto white balance", "tone": "Tone", "clahe": "Local contrast",
    "bilateral": "Smooth", "denoise": "Denoise", "sharpen": "Sharpen", "inpaint": "Spots removed",
    "revive": "Revive faded color",
}


def labels(ops: Ops) -> list[str]:
    """What each op of `ops` is called in the list of applied edits."""
    names = []
    for op in ops:
        name = LABELS.get(str(op.get("op")), str(op.get("op")))
        if op.get("op") == "tone":
            name = "Sepia" if op.get("mode") == "sepia" else "Black & white"
        elif op.get("op") == "flip":
            name = "Flip left-right" if op.get("axis") == "horizontal" else "Flip upside down"
        names.append(name)
    return names


def remove(ops: Ops, index: object) -> Ops:
    """`ops` without the op at `index`."""
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(ops):
        raise ValidationFailed("That edit is not in the list.")
    return validated([dict(op) for position, op in enumerate(ops) if position != index])


def slider_key(op: str, param: str) -> str:
    return f"{op}.{param}"


SLIDERS = {slider_key(spec.op, spec.param): spec for spec in ops_module.SLIDERS}


def validated(raw: object) -> Ops:
    """`raw` as a clean JSON ops list (parsed and dumped again); ValidationFailed when it is not one."""
    try:
        return ops_module.dump_ops(ops_module.parse_ops(raw))
    except ValueError as error:
        raise ValidationFailed(f"That edit cannot be applied: {error}") from error


def slider_values(ops: Ops) -> dict[str, float]:
    """The value every slider shows for `ops`: the op's parameter, or the slider's neutral value."""
    values = {key: float(spec.default) for key, spec in SLIDERS.items()}
    for op in ops:
        for name, value in op.items():
            key = slider_key(str(op.get("op")), name)
            if key in values and isinstance(value, int | float) and not isinstance(value, bool):
                values[key] = float(value)
    return values


def number(value: object) -> float:
    """A finite number from a browser (a slider sends [value])."""
    if isinstance(value, list) and len(value) == 1:  # sliders send [value]
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationFailed("That value is not a number.")
    return float(value)


def set_slider(ops: Ops, key: object, value: object) -> Ops:
    """`ops` with slider `key`'s parameter set to `value` (clamped to the slider's range): the last op
    of that kind changes, or a new one is appended; an op back at its identity value is dropped."""
    if not isinstance(key, str) or key not in SLIDERS:
        raise ValidationFailed("That control does not exist.")
    spec = SLIDERS[key]
    clamped = min(max(number(value), float(spec.min)), float(spec.max))
    if float(spec.step).is_integer() and float(spec.min).is_integer():
        clamped = round(clamped)
    try:
        parsed = ops_module.parse_ops(ops)
        return ops_module.dump_ops(ops_module.with_param(parsed, spec.op, spec.param, clamped))
    except ValueError as error:
        raise ValidationFailed(f"That edit cannot be applied: {error}") from error


def apply_preset(ops: Ops, name: object) -> Ops:
    """The geometry of `ops` followed by the preset's adjustments (replacing the current ones)."""
    if not isinstance(name, str) or name not in PRESETS:
        raise ValidationFailed("That preset does not exist.")
    kept = [dict(op) for op in ops if op.get("op") in GEOMETRY]
    return validated(kept + [dict(op) for op in PRESETS[name].ops])


def append(ops: Ops, op: dict[str, Any]) -> Ops:
    """`ops` with one more op at the end (validated)."""
    return validated([*(dict(existing) for existing in ops), op])


def strokes_to_original(raw: object, *, scale: float) -> list[dict[str, Any]]:
    """Brush strokes from the browser ([{points: [[x, y], …], radius: r}] in working-copy pixels of
    the picture shown) in full-resolution pixels (`scale` = full / shown). Bounded in size."""
    if not isinstance(raw, list) or not 0 < len(raw) <= MAX_STROKES:
        raise ValidationFailed("Paint over the spots to remove first.")
    strokes: list[dict[str, Any]] = []
    total = 0
    for stroke in raw:
        if not isinstance(stroke, dict) or not isinstance(stroke.get("points"), list):
            raise ValidationFailed("That brush stroke cannot be read.")
        radius = number(stroke.get("radius"))
        if not 0.5 <= radius <= MAX_BRUSH:
            raise ValidationFailed("That brush size is not valid.")
        points = []
        for point in stroke["points"]:
            if not isinstance(point, list) or len(point) != 2:
                raise ValidationFailed("That brush stroke cannot be read.")
            x, y = number(point[0]), number(point[1])
            if x < 0 or y < 0:
                raise ValidationFailed("That brush stroke is outside the picture.")
            points.append([round(x * scale), round(y * scale)])
        total += len(points)
        if not points or total > MAX_POINTS:
            raise ValidationFailed("That is too much painting for one step; apply it in parts.")
        strokes.append({"points": points, "radius": min(max(1.0, radius * scale), ops_module.STROKE_RADIUS[1])})
    return strokes
