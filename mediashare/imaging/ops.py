"""The Studio's edit operations: typed, immutable, validated from untrusted JSON, serializable back.

An edit is a list of ops applied **in list order** by `mediashare.imaging.pipeline.render`. JSON form:
`[{"op": "crop", "x": 10, "y": 20, "w": 800, "h": 600}, {"op": "brightness", "value": 12}, ...]`.

Coordinates (crop boxes, inpaint strokes, spatial sizes such as the bilateral diameter or the sharpen
radius) are in **full-resolution pixels of the picture as it is at that point in the list**: for an
op before any geometry op that is the original, EXIF-upright; after a crop, it is the cropped
picture; after a quarter turn, the turned one. `output_size()` in the pipeline gives that size, so
an editor that appends a crop or an inpaint stroke drawn on the current preview converts with
`full = preview_px * output_w / preview_w`. The renderer scales all of them to the working size, so
the preview and the full-resolution render agree.

Every param is required; unknown ops, unknown or missing params, wrong types and out-of-range
values raise `ValueError` whose message is a sentence safe to show a user.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

MAX_OPS = 64
MAX_STROKES = 200
MAX_INPAINT_POINTS = 4000
MAX_COORDINATE = 65535


def _number(low: float, high: float, *, integer: bool = False) -> Any:
    return field(metadata={"low": low, "high": high, "integer": integer})


def _choice(*choices: str) -> Any:
    return field(metadata={"choices": choices})


@dataclass(frozen=True)
class Op:
    """Base of every op; `name` is its JSON tag."""

    name: ClassVar[str] = ""


# Geometry ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Crop(Op):
    """Keep the box (x, y, w, h); clamped to the picture, an empty result is an error."""

    name: ClassVar[str] = "crop"
    x: int = _number(0, MAX_COORDINATE, integer=True)
    y: int = _number(0, MAX_COORDINATE, integer=True)
    w: int = _number(1, MAX_COORDINATE, integer=True)
    h: int = _number(1, MAX_COORDINATE, integer=True)


@dataclass(frozen=True)
class Rotate(Op):
    """Turn by 90° clockwise, `quarter_turns` times."""

    name: ClassVar[str] = "rotate"
    quarter_turns: int = _number(1, 3, integer=True)


@dataclass(frozen=True)
class Straighten(Op):
    """Rotate by `angle` degrees (positive = clockwise) and crop to the largest centred rectangle
    with the same aspect ratio that has no empty corners."""

    name: ClassVar[str] = "straighten"
    angle: float = _number(-45, 45)


@dataclass(frozen=True)
class Flip(Op):
    """Mirror left-right ("horizontal") or top-bottom ("vertical")."""

    name: ClassVar[str] = "flip"
    axis: str = _choice("horizontal", "vertical")


# Tone and colour -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Brightness(Op):
    """Add `value` × 1.28 to every channel (−100 … 100)."""

    name: ClassVar[str] = "brightness"
    value: float = _number(-100, 100)


@dataclass(frozen=True)
class Contrast(Op):
    """Stretch around mid-grey by 2^(value / 50): ×0.25 at −100, ×4 at 100."""

    name: ClassVar[str] = "contrast"
    value: float = _number(-100, 100)


@dataclass(frozen=True)
class Exposure(Op):
    """Multiply linear light by 2^stops."""

    name: ClassVar[str] = "exposure"
    stops: float = _number(-3, 3)


@dataclass(frozen=True)
class Saturation(Op):
    """Scale colourfulness by 1 + value / 100 (−100 is grey)."""

    name: ClassVar[str] = "saturation"
    value: float = _number(-100, 100)


@dataclass(frozen=True)
class Warmth(Op):
    """White balance: positive is warmer (more red, less blue), negative cooler."""

    name: ClassVar[str] = "warmth"
    value: float = _number(-100, 100)


@dataclass(frozen=True)
class Gamma(Op):
    """out = in^(1 / value): above 1 brightens the mid-tones, below 1 darkens them."""

    name: ClassVar[str] = "gamma"
    value: float = _number(0.2, 5.0)


@dataclass(frozen=True)
class AutoLevels(Op):
    """Per channel, stretch the `low`…`high` percentiles to the full 0…255 range."""

    name: ClassVar[str] = "auto_levels"
    low: float = _number(0, 10)
    high: float = _number(90, 100)


@dataclass(frozen=True)
class AutoWhiteBalance(Op):
    """Grey world: scale each channel so the three channel means are equal."""

    name: ClassVar[str] = "auto_white_balance"


@dataclass(frozen=True)
class Tone(Op):
    """Monochrome toning: "grayscale" or "sepia"."""

    name: ClassVar[str] = "tone"
    mode: str = _choice("sepia", "grayscale")


# Restoration ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clahe(Op):
    """Contrast-limited adaptive histogram equalization of lightness; `tile_size` is the number of
    tiles along each side (OpenCV's tileGridSize), so tiles cover the same area at any scale."""

    name: ClassVar[str] = "clahe"
    clip_limit: float = _number(0.5, 10)
    tile_size: int = _number(2, 32, integer=True)


@dataclass(frozen=True)
class Bilateral(Op):
    """Edge-preserving smoothing; `diameter` and `sigma_space` in full-resolution pixels."""

    name: ClassVar[str] = "bilateral"
    diameter: int = _number(1, 25, integer=True)
    sigma_color: float = _number(1, 200)
    sigma_space: float = _number(1, 200)


@dataclass(frozen=True)
class Denoise(Op):
    """Non-local means denoising; `strength` is the filter strength h (higher removes more)."""

    name: ClassVar[str] = "denoise"
    strength: float = _number(1, 30)


@dataclass(frozen=True)
class Sharpen(Op):
    """Unsharp mask: in + amount × (in − blur(in, radius)); `radius` in full-resolution pixels."""

    name: ClassVar[str] = "sharpen"
    amount: float = _number(0, 3)
    radius: float = _number(0.5, 10)


@dataclass(frozen=True)
class Stroke:
    """A painted brush stroke: a polyline of (x, y) points, `radius` pixels wide on each side."""

    points: tuple[tuple[float, float], ...]
    radius: float


@dataclass(frozen=True)
class Inpaint(Op):
    """Remove dust and scratches under the painted strokes by inpainting."""

    name: ClassVar[str] = "inpaint"
    strokes: tuple[Stroke, ...] = field(metadata={"strokes": True})


@dataclass(frozen=True)
class Revive(Op):
    """Faded-colour revival: per-channel stretch and a saturation boost, blended by `strength`."""

    name: ClassVar[str] = "revive"
    strength: float = _number(0, 1)


OP_TYPES: dict[str, type[Op]] = {
    cls.name: cls
    for cls in (Crop, Rotate, Straighten, Flip, Brightness, Contrast, Exposure, Saturation, Warmth, Gamma,
                AutoLevels, AutoWhiteBalance, Tone, Clahe, Bilateral, Denoise, Sharpen, Inpaint, Revive)
}
GEOMETRY_OPS = (Crop, Rotate, Straighten, Flip)
STROKE_RADIUS = (1.0, 200.0)


# Parsing -------------------------------------------------------------------------------------------


def _format(value: float) -> str:
    return f"{value:g}"


def _is_number(value: object) -> bool:
    """An int or a finite float, not a bool (ints may be huge: JSON has no limit)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


def _parse_number(value: object, meta: dict, where: str, param: str) -> float | int:
    low, high = meta["low"], meta["high"]
    if meta["integer"]:
        if not _is_number(value) or value != int(value):
            raise ValueError(f"{where}: '{param}' must be a whole number.")
        value = int(value)
    elif not _is_number(value):
        raise ValueError(f"{where}: '{param}' must be a number.")
    if not low <= value <= high:
        raise ValueError(f"{where}: '{param}' must be between {_format(low)} and {_format(high)}.")
    return value if meta["integer"] else float(value)


def _parse_strokes(value: object, where: str, budget: list[int]) -> tuple[Stroke, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: 'strokes' must be a non-empty list.")
    if len(value) > MAX_STROKES:
        raise ValueError(f"Too many inpaint strokes: at most {MAX_STROKES}.")
    strokes = []
    for number, raw in enumerate(value, start=1):
        label = f"{where}, stroke {number}"
        if not isinstance(raw, dict) or set(raw) != {"points", "radius"}:
            raise ValueError(f"{label} must have exactly 'points' and 'radius'.")
        radius = _parse_number(raw["radius"], {"low": STROKE_RADIUS[0], "high": STROKE_RADIUS[1], "integer": False},
                               label, "radius")
        points = raw["points"]
        if not isinstance(points, list) or not points:
            raise ValueError(f"{label}: 'points' must be a non-empty list of [x, y] pairs.")
        budget[0] += len(points)
        if budget[0] > MAX_INPAINT_POINTS:
            raise ValueError(f"Too many inpaint points: at most {MAX_INPAINT_POINTS} in one edit.")
        parsed = []
        for point in points:
            if not (isinstance(point, list | tuple) and len(point) == 2 and all(_is_number(c) for c in point)
                    and all(0 <= c <= MAX_COORDINATE for c in point)):
                raise ValueError(f"{label}: every point must be [x, y] with 0 ≤ x, y ≤ {MAX_COORDINATE}.")
            parsed.append((float(point[0]), float(point[1])))
        strokes.append(Stroke(points=tuple(parsed), radius=float(radius)))
    return tuple(strokes)


def parse_op(raw: object, *, index: int = 1, _budget: list[int] | None = None) -> Op:
    """One op from its JSON dict; `index` (1-based) only names it in error messages."""
    if not isinstance(raw, dict):
        raise ValueError(f"Edit {index} must be an object with an 'op' name.")
    name = raw.get("op")
    if not isinstance(name, str) or name not in OP_TYPES:
        shown = name if isinstance(name, str) and len(name) <= 40 else "?"
        raise ValueError(f"Edit {index}: unknown operation '{shown}'.")
    cls = OP_TYPES[name]
    where = f"Edit {index} ({name})"
    specs = {spec.name: spec for spec in fields(cls)}
    for key in raw:
        if key != "op" and key not in specs:
            shown = key if isinstance(key, str) and len(key) <= 40 else "?"
            raise ValueError(f"{where} has no parameter '{shown}'.")
    values: dict[str, Any] = {}
    for param, spec in specs.items():
        if param not in raw:
            raise ValueError(f"{where} needs '{param}'.")
        value, meta = raw[param], spec.metadata
        if "choices" in meta:
            if value not in meta["choices"]:
                options = " or ".join(f"'{choice}'" for choice in meta["choices"])
                raise ValueError(f"{where}: '{param}' must be {options}.")
            values[param] = value
        elif "strokes" in meta:
            values[param] = _parse_strokes(value, where, _budget if _budget is not None else [0])
        else:
            values[param] = _parse_number(value, meta, where, param)
    return cls(**values)


def parse_ops(raw: object) -> tuple[Op, ...]:
    """Validate untrusted JSON (a list of `{"op": name, ...params}`) into ops; raises ValueError."""
    if not isinstance(raw, list | tuple):
        raise ValueError("The edit must be a list of operations.")
    if len(raw) > MAX_OPS:
        raise ValueError(f"Too many operations: at most {MAX_OPS} in one edit.")
    budget = [0]
    return tuple(parse_op(item, index=number, _budget=budget) for number, item in enumerate(raw, start=1))


def dump_op(op: Op) -> dict[str, Any]:
    """The JSON dict of one op (parse_op(dump_op(op)) == op)."""
    data: dict[str, Any] = {"op": op.name}
    for spec in fields(op):
        value = getattr(op, spec.name)
        if spec.name == "strokes":
            value = [{"points": [[x, y] for x, y in stroke.points], "radius": stroke.radius} for stroke in value]
        data[spec.name] = value
    return data


def dump_ops(ops: Iterable[Op]) -> list[dict[str, Any]]:
    """JSON-serializable form of `ops`; parse_ops(dump_ops(ops)) == tuple(ops)."""
    return [dump_op(op) for op in ops]


# Sliders -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slider:
    """One editor control for `op`.`param`. `default` is where the slider starts; when `identity`
    is true that value leaves the picture unchanged, so the editor can drop the op there."""

    op: str
    param: str
    label: str
    group: str
    min: float
    max: float
    step: float
    default: float
    identity: bool


SLIDERS: tuple[Slider, ...] = (
    Slider("exposure", "stops", "Exposure", "Light", -3, 3, 0.05, 0, True),
    Slider("brightness", "value", "Brightness", "Light", -100, 100, 1, 0, True),
    Slider("contrast", "value", "Contrast", "Light", -100, 100, 1, 0, True),
    Slider("gamma", "value", "Gamma", "Light", 0.2, 5.0, 0.05, 1.0, True),
    Slider("saturation", "value", "Saturation", "Color", -100, 100, 1, 0, True),
    Slider("warmth", "value", "Warmth", "Color", -100, 100, 1, 0, True),
    Slider("revive", "strength", "Revive faded color", "Color", 0, 1, 0.05, 0, True),
    Slider("clahe", "clip_limit", "Local contrast", "Restore", 0.5, 10, 0.1, 2.0, False),
    Slider("clahe", "tile_size", "Local contrast tiles", "Restore", 2, 32, 1, 8, False),
    Slider("denoise", "strength", "Denoise", "Restore", 1, 30, 1, 6, False),
    Slider("bilateral", "diameter", "Smooth: size", "Restore", 1, 25, 1, 7, False),
    Slider("bilateral", "sigma_color", "Smooth: color range", "Restore", 1, 200, 1, 30, False),
    Slider("bilateral", "sigma_space", "Smooth: reach", "Restore", 1, 200, 1, 5, False),
    Slider("sharpen", "amount", "Sharpen", "Detail", 0, 3, 0.05, 0, True),
    Slider("sharpen", "radius", "Sharpen radius", "Detail", 0.5, 10, 0.1, 1.5, False),
    Slider("straighten", "angle", "Straighten", "Detail", -45, 45, 0.1, 0, True),
)


def slider_defaults(op: str) -> dict[str, float]:
    """Starting values of every slider param of `op` (what a new op of that kind starts with)."""
    return {slider.param: slider.default for slider in SLIDERS if slider.op == op}


def with_param(ops: Sequence[Op], op: str, param: str, value: float) -> tuple[Op, ...]:
    """`ops` with `op`.`param` set to `value`: the last op of that kind is updated in place, or a new
    one (other params from the slider defaults) is appended. An op back at an identity default
    (brightness 0, sharpen amount 0, …) is dropped. Raises ValueError like parse_ops for a bad value."""
    position = next((i for i in range(len(ops) - 1, -1, -1) if ops[i].name == op), None)
    base = dump_op(ops[position]) if position is not None else {"op": op, **slider_defaults(op)}
    base[param] = value
    updated = parse_op(base, index=(position if position is not None else len(ops)) + 1)
    own = [slider for slider in SLIDERS if slider.op == op]
    neutral = any(s.identity and getattr(updated, s.param) == s.default for s in own)
    rest = list(ops)
    if position is None:
        if not neutral:
            rest.append(updated)
    elif neutral:
        del rest[position]
    else:
        rest[position] = updated
    if len(rest) > MAX_OPS:
        raise ValueError(f"Too many operations: at most {MAX_OPS} in one edit.")
    return tuple(rest)
