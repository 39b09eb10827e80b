"""Geometry ops: crop, quarter turns, flip and straighten, in full-resolution coordinates scaled to
the working size, so the preview shows exactly the part of the picture the saved render keeps."""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np

from mediashare.imaging.frame import Frame
from mediashare.imaging.ops import Crop, Flip, Op, Rotate, Straighten

# Pixels of safety between the straightened crop and the rotated picture's edge, so interpolation
# never reads outside it.
_STRAIGHTEN_MARGIN = 1.5


def _crop_box(op: Crop, width: int, height: int) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of the crop clamped to a width × height picture; empty is an error."""
    x0, y0 = min(op.x, width), min(op.y, height)
    x1, y1 = min(op.x + op.w, width), min(op.y + op.h, height)
    if x1 <= x0 or y1 <= y0:
        raise ValueError("The crop box lies outside the picture.")
    return x0, y0, x1, y1


def _straighten_size(angle: float, width: int, height: int) -> tuple[int, int]:
    """The largest centred width:height rectangle inside the picture rotated by `angle` degrees."""
    radians = math.radians(abs(angle))
    cos, sin = math.cos(radians), math.sin(radians)
    inner_w, inner_h = max(1.0, width - 2 * _STRAIGHTEN_MARGIN), max(1.0, height - 2 * _STRAIGHTEN_MARGIN)
    factor = min(inner_w / (width * cos + height * sin), inner_h / (width * sin + height * cos))
    return max(1, math.floor(factor * width)), max(1, math.floor(factor * height))


def size_after(op: Op, width: int, height: int) -> tuple[int, int]:
    """The full-resolution size of a width × height picture after `op`."""
    if isinstance(op, Crop):
        x0, y0, x1, y1 = _crop_box(op, width, height)
        return x1 - x0, y1 - y0
    if isinstance(op, Rotate) and op.quarter_turns % 2:
        return height, width
    if isinstance(op, Straighten) and op.angle:
        return _straighten_size(op.angle, width, height)
    return width, height


def _crop(frame: Frame, op: Crop) -> None:
    x0, y0, x1, y1 = _crop_box(op, frame.full_w, frame.full_h)
    sx, sy = frame.sx, frame.sy
    height, width = frame.pixels.shape[:2]
    px0, py0 = min(round(x0 * sx), width - 1), min(round(y0 * sy), height - 1)
    px1, py1 = max(px0 + 1, round(x1 * sx)), max(py0 + 1, round(y1 * sy))
    frame.pixels = np.ascontiguousarray(frame.pixels[py0:py1, px0:px1])
    frame.full_w, frame.full_h = x1 - x0, y1 - y0


def _rotate(frame: Frame, op: Rotate) -> None:
    code = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}[op.quarter_turns]
    frame.pixels = cv2.rotate(frame.pixels, code)
    frame.full_w, frame.full_h = size_after(op, frame.full_w, frame.full_h)


def _flip(frame: Frame, op: Flip) -> None:
    frame.pixels = cv2.flip(frame.pixels, 1 if op.axis == "horizontal" else 0)


def _straighten(frame: Frame, op: Straighten) -> None:
    if not op.angle:
        return
    full_w, full_h = frame.full_w, frame.full_h
    out_w, out_h = _straighten_size(op.angle, full_w, full_h)
    sx_in, sy_in = frame.sx, frame.sy
    size = (max(1, round(out_w * sx_in)), max(1, round(out_h * sy_in)))
    sx_out, sy_out = size[0] / out_w, size[1] / out_h
    # Output pixel index → continuous full-res output point → rotate back → working input index.
    radians = math.radians(op.angle)
    cos, sin = math.cos(radians), math.sin(radians)
    rotation = np.array([[cos, sin], [-sin, cos]])
    into_input = np.diag([sx_in, sy_in]) @ rotation
    linear = into_input @ np.diag([1 / sx_out, 1 / sy_out])
    offset = (into_input @ (np.array([0.5 / sx_out, 0.5 / sy_out]) - [out_w / 2, out_h / 2])
              + [full_w / 2 * sx_in, full_h / 2 * sy_in] - 0.5)
    matrix = np.hstack([linear, offset[:, None]])
    frame.pixels = cv2.warpAffine(frame.pixels, matrix, size, flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                                  borderMode=cv2.BORDER_REPLICATE)
    frame.full_w, frame.full_h = out_w, out_h


OPS: dict[type[Op], Callable[[Frame, Op], None]] = {Crop: _crop, Rotate: _rotate, Flip: _flip, Straighten: _straighten}
