"""The op schema: untrusted JSON is validated with messages a user can act on, and round-trips."""

from __future__ import annotations

import json

import pytest

from mediashare.imaging.ops import (
    MAX_INPAINT_POINTS,
    MAX_OPS,
    OP_TYPES,
    SLIDERS,
    Brightness,
    Crop,
    Inpaint,
    Sharpen,
    dump_ops,
    parse_ops,
    slider_defaults,
    with_param,
)
from mediashare.imaging.presets import PRESETS

EVERY_OP = [
    {"op": "crop", "x": 10, "y": 20, "w": 300, "h": 200},
    {"op": "rotate", "quarter_turns": 3},
    {"op": "straighten", "angle": -4.5},
    {"op": "flip", "axis": "vertical"},
    {"op": "brightness", "value": -30},
    {"op": "contrast", "value": 25.5},
    {"op": "exposure", "stops": 0.7},
    {"op": "saturation", "value": -100},
    {"op": "warmth", "value": 40},
    {"op": "gamma", "value": 1.8},
    {"op": "auto_levels", "low": 1, "high": 99},
    {"op": "auto_white_balance"},
    {"op": "tone", "mode": "sepia"},
    {"op": "clahe", "clip_limit": 2.5, "tile_size": 8},
    {"op": "bilateral", "diameter": 9, "sigma_color": 40, "sigma_space": 6},
    {"op": "denoise", "strength": 7},
    {"op": "sharpen", "amount": 0.8, "radius": 1.2},
    {"op": "inpaint", "strokes": [{"points": [[5, 5], [50, 60.5]], "radius": 3}]},
    {"op": "revive", "strength": 0.6},
]


def test_every_op_parses_and_round_trips_through_json() -> None:
    assert {raw["op"] for raw in EVERY_OP} == set(OP_TYPES)
    ops = parse_ops(EVERY_OP)
    assert len(ops) == len(EVERY_OP)
    again = parse_ops(json.loads(json.dumps(dump_ops(ops))))
    assert again == ops
    assert hash(again) == hash(ops)  # immutable and hashable: usable as a cache key


def test_numbers_are_typed_after_parsing() -> None:
    crop, brightness = parse_ops([{"op": "crop", "x": 1.0, "y": 2, "w": 3, "h": 4}, {"op": "brightness", "value": 5}])
    assert crop == Crop(x=1, y=2, w=3, h=4) and isinstance(crop.x, int)
    assert brightness == Brightness(value=5.0) and isinstance(brightness.value, float)


@pytest.mark.parametrize(("raw", "message"), [
    ({"op": "brightness"}, "The edit must be a list of operations."),
    (["brightness"], "Edit 1 must be an object with an 'op' name."),
    ([{"op": "blur", "value": 3}], "Edit 1: unknown operation 'blur'."),
    ([{"value": 3}], "Edit 1: unknown operation '?'."),
    ([{"op": "flip", "axis": "vertical"}, {"op": "brightness"}], "Edit 2 (brightness) needs 'value'."),
    ([{"op": "brightness", "value": 101}], "Edit 1 (brightness): 'value' must be between -100 and 100."),
    ([{"op": "gamma", "value": 0.1}], "Edit 1 (gamma): 'value' must be between 0.2 and 5."),
    ([{"op": "brightness", "value": "10"}], "Edit 1 (brightness): 'value' must be a number."),
    ([{"op": "brightness", "value": True}], "Edit 1 (brightness): 'value' must be a number."),
    ([{"op": "brightness", "value": float("nan")}], "Edit 1 (brightness): 'value' must be a number."),
    ([{"op": "brightness", "value": 10**400}], "Edit 1 (brightness): 'value' must be between -100 and 100."),
    ([{"op": "crop", "x": 10**400, "y": 0, "w": 1, "h": 1}], "Edit 1 (crop): 'x' must be between 0 and 65535."),
    ([{"op": "inpaint", "strokes": [{"points": [[10**400, 1]], "radius": 2}]}],
     "Edit 1 (inpaint), stroke 1: every point must be [x, y] with 0 ≤ x, y ≤ 65535."),
    ([{"op": "brightness", "value": 3, "extra": 1}], "Edit 1 (brightness) has no parameter 'extra'."),
    ([{"op": "rotate", "quarter_turns": 1.5}], "Edit 1 (rotate): 'quarter_turns' must be a whole number."),
    ([{"op": "rotate", "quarter_turns": 4}], "Edit 1 (rotate): 'quarter_turns' must be between 1 and 3."),
    ([{"op": "crop", "x": 0, "y": 0, "w": 0, "h": 10}], "Edit 1 (crop): 'w' must be between 1 and 65535."),
    ([{"op": "flip", "axis": "diagonal"}], "Edit 1 (flip): 'axis' must be 'horizontal' or 'vertical'."),
    ([{"op": "tone", "mode": "cyan"}], "Edit 1 (tone): 'mode' must be 'sepia' or 'grayscale'."),
    ([{"op": "inpaint", "strokes": []}], "Edit 1 (inpaint): 'strokes' must be a non-empty list."),
    ([{"op": "inpaint", "strokes": [{"points": [[1, 2, 3]], "radius": 2}]}],
     "Edit 1 (inpaint), stroke 1: every point must be [x, y] with 0 ≤ x, y ≤ 65535."),
    ([{"op": "inpaint", "strokes": [{"points": [[1, 2]], "radius": 500}]}],
     "Edit 1 (inpaint), stroke 1: 'radius' must be between 1 and 200."),
    ([{"op": "brightness", "value": 1}] * (MAX_OPS + 1), f"Too many operations: at most {MAX_OPS} in one edit."),
])
def test_bad_input_is_rejected_with_a_specific_message(raw: object, message: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_ops(raw)
    assert str(error.value) == message


def test_too_many_inpaint_points_across_ops_is_rejected() -> None:
    half = MAX_INPAINT_POINTS // 2 + 1
    stroke = {"points": [[1, 1]] * half, "radius": 2}
    parse_ops([{"op": "inpaint", "strokes": [stroke]}])
    with pytest.raises(ValueError, match="Too many inpaint points"):
        parse_ops([{"op": "inpaint", "strokes": [stroke]}, {"op": "inpaint", "strokes": [stroke]}])


def test_presets_are_valid_ops_lists() -> None:
    assert set(PRESETS) == {"restore_old_photo", "faded_color", "black_and_white", "denoise"}
    assert PRESETS["restore_old_photo"].label == "Restore old photo"
    assert [op["op"] for op in PRESETS["restore_old_photo"].ops] == ["auto_levels", "clahe", "bilateral", "sharpen"]
    for preset in PRESETS.values():
        assert parse_ops(json.loads(json.dumps(preset.ops))) == preset.parsed
    PRESETS["denoise"].ops.clear()  # a caller mutating its copy does not change the preset
    assert PRESETS["denoise"].ops


def test_every_slider_default_is_a_valid_value_of_its_op() -> None:
    for slider in SLIDERS:
        assert slider.min <= slider.default <= slider.max
        assert slider.group in {"Light", "Color", "Restore", "Detail"}
        params = {**slider_defaults(slider.op), slider.param: slider.default}
        if slider.op == "sharpen":
            params["amount"] = 1
        parse_ops([{"op": slider.op, **params}])


def test_with_param_updates_in_place_appends_and_drops_neutral_ops() -> None:
    ops = parse_ops([{"op": "brightness", "value": 10}, {"op": "flip", "axis": "horizontal"}])
    ops = with_param(ops, "brightness", "value", 20)
    assert ops[0] == Brightness(value=20.0)
    ops = with_param(ops, "sharpen", "amount", 0.5)
    assert ops[-1] == Sharpen(amount=0.5, radius=slider_defaults("sharpen")["radius"])
    assert [op.name for op in with_param(ops, "brightness", "value", 0)] == ["flip", "sharpen"]
    with pytest.raises(ValueError, match="between -100 and 100"):
        with_param(ops, "brightness", "value", 500)
    assert isinstance(parse_ops(EVERY_OP)[17], Inpaint)
