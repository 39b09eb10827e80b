"""The Studio render pipeline: one `render(image, ops, scale=...)` for the live preview and the
full-resolution save, so what the user sees is what is saved.

Fast and faithful by construction:
- Runs of per-channel tone ops (levels, brightness, contrast, exposure, gamma, warmth, auto levels,
  grey-world balance, the stretch half of revive, the sepia tint) collapse into **one** 256-entry
  lookup table applied with a single `cv2.LUT`. Statistics that auto ops need (percentiles, means)
  come from a histogram of the run's input pushed through the table built so far, so no float
  image and no `np.percentile` are ever made.
- Geometry and spatial parameters are in full-resolution pixels (see ops.py) and are scaled to the
  working size: crop boxes, the straighten warp (one affine map from preview pixels to working
  pixels, sampled like the full render then an area downscale), bilateral diameter and reach,
  sharpen radius, denoise windows, stroke widths. CLAHE tiles are a grid count, so they cover the
  same part of the picture at any size.
- `PreviewRenderer` caches the image after every geometry/restoration op, keyed by the ops prefix,
  so moving a tone slider re-renders only the final lookup from the cached stage.
- OpenCV's thread count is the caller's choice (`cv2.setNumThreads`); nothing here changes it.

Arrays are RGB uint8 H×W×3, EXIF-upright. Returned arrays may be shared with the cache: treat them
as read-only.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import cv2
import numpy as np
from PIL import Image

from mediashare.imaging import derivatives
from mediashare.imaging.ops import (
    AutoLevels,
    AutoWhiteBalance,
    Bilateral,
    Brightness,
    Clahe,
    Contrast,
    Crop,
    Denoise,
    Exposure,
    Flip,
    Gamma,
    Inpaint,
    Op,
    Revive,
    Rotate,
    Saturation,
    Sharpen,
    Straighten,
    Tone,
    Warmth,
    parse_ops,
)

# Pixels of safety between the straightened crop and the rotated picture's edge, so interpolation
# never reads outside it.
_STRAIGHTEN_MARGIN = 1.5
_SEPIA = np.array([1.0, 0.86, 0.66])
_LEVELS = np.arange(256, dtype=np.float64)
_HISTOGRAM_PIXELS = 300_000
# CLAHE: OpenCV's own up to this long side; beyond, tile mappings come from a copy this size.
_CLAHE_DIRECT_SIDE = 1600
_CLAHE_SAMPLE_SIDE = 1200
_CLAHE_BAND_ROWS = 256


# Geometry at full resolution ---------------------------------------------------------------------


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


def _size_after(op: Op, width: int, height: int) -> tuple[int, int]:
    if isinstance(op, Crop):
        x0, y0, x1, y1 = _crop_box(op, width, height)
        return x1 - x0, y1 - y0
    if isinstance(op, Rotate) and op.quarter_turns % 2:
        return height, width
    if isinstance(op, Straighten) and op.angle:
        return _straighten_size(op.angle, width, height)
    return width, height


def output_size(original_wh: tuple[int, int], ops: Iterable[Op]) -> tuple[int, int]:
    """(width, height) of the full-resolution render of an `original_wh` picture."""
    width, height = original_wh
    for op in _as_ops(ops):
        width, height = _size_after(op, width, height)
    return width, height


# Tone: one lookup table per run of per-channel ops ------------------------------------------------


def _srgb_to_linear(values: np.ndarray) -> np.ndarray:
    v = values / 255.0
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def _linear_to_srgb(values: np.ndarray) -> np.ndarray:
    v = np.clip(values, 0.0, 1.0)
    return 255.0 * np.where(v <= 0.0031308, v * 12.92, 1.055 * v ** (1 / 2.4) - 0.055)


def _percentiles(hist: np.ndarray, low: float, high: float) -> tuple[int, int]:
    """The `low` and `high` percentile levels of a 256-bin histogram (nearest rank)."""
    cumulative = np.cumsum(hist)
    total = cumulative[-1]
    lo = int(np.searchsorted(cumulative, total * low / 100.0, side="right"))
    hi = int(np.searchsorted(cumulative, total * high / 100.0, side="left"))
    return min(lo, 255), min(hi, 255)


def _stretch(lut: np.ndarray, hists: np.ndarray, low: float, high: float) -> np.ndarray:
    out = lut.copy()
    for channel in range(3):
        lo, hi = _percentiles(hists[channel], low, high)
        if hi > lo:
            out[channel] = (lut[channel] - lo) * (255.0 / (hi - lo))
    return out


_Step = Callable[[np.ndarray, np.ndarray | None], np.ndarray]


def _tone_step(op: Op) -> tuple[_Step, bool] | None:
    """A per-channel op as (lut → lut, needs the histogram); None for ops that are not per-channel."""
    if isinstance(op, Brightness):
        return (lambda lut, _: lut + op.value * 1.28), False
    if isinstance(op, Contrast):
        factor = 2.0 ** (op.value / 50.0)
        return (lambda lut, _: (lut - 127.5) * factor + 127.5), False
    if isinstance(op, Exposure):
        gain = 2.0 ** op.stops
        return (lambda lut, _: _linear_to_srgb(_srgb_to_linear(lut) * gain)), False
    if isinstance(op, Gamma):
        return (lambda lut, _: 255.0 * (lut / 255.0) ** (1.0 / op.value)), False
    if isinstance(op, Warmth):
        shift = 0.15 * op.value / 100.0
        gains = np.array([1 + shift, 1 + shift / 4, 1 - shift])[:, None]
        return (lambda lut, _: lut * gains), False
    if isinstance(op, AutoLevels):
        return (lambda lut, hists: _stretch(lut, hists, op.low, op.high)), True
    if isinstance(op, AutoWhiteBalance):
        def balance(lut: np.ndarray, hists: np.ndarray) -> np.ndarray:
            means = (hists @ _LEVELS) / np.maximum(hists.sum(axis=1), 1)
            gains = np.clip(means.mean() / np.maximum(means, 1.0), 0.5, 2.0)
            return lut * gains[:, None]
        return balance, True
    return None


class _Frame:
    """The picture being rendered: its pixels at the working size and its size at full resolution."""

    __slots__ = ("full_h", "full_w", "pixels")

    def __init__(self, pixels: np.ndarray, full_w: int, full_h: int) -> None:
        self.pixels, self.full_w, self.full_h = pixels, full_w, full_h

    @property
    def sx(self) -> float:
        return self.pixels.shape[1] / self.full_w

    @property
    def sy(self) -> float:
        return self.pixels.shape[0] / self.full_h

    @property
    def scale(self) -> float:
        return (self.sx + self.sy) / 2


class _Run:
    """Applies ops in order to a frame, buffering per-channel tone ops into one lookup table."""

    def __init__(self, frame: _Frame) -> None:
        self.frame = frame
        self.steps: list[tuple[_Step, bool]] = []

    def apply(self, op: Op) -> None:
        step = _tone_step(op)
        if step is not None:
            self.steps.append(step)
            return
        if isinstance(op, Revive):
            if op.strength > 0:
                strength = op.strength
                self.steps.append((lambda lut, hists: (1 - strength) * lut + strength * _stretch(lut, hists, 1, 99),
                                   True))
                self.flush()
                self.frame.pixels = _saturate(self.frame.pixels, 1.0 + 0.6 * strength)
            return
        self.flush()
        frame = self.frame
        if isinstance(op, Saturation):
            frame.pixels = _saturate(frame.pixels, 1.0 + op.value / 100.0)
        elif isinstance(op, Tone):
            gray = cv2.cvtColor(cv2.cvtColor(frame.pixels, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
            frame.pixels = gray
            if op.mode == "sepia":
                self.steps.append((lambda lut, _: lut * _SEPIA[:, None], False))
        else:
            _SPATIAL[type(op)](frame, op)

    def flush(self) -> None:
        """Apply the buffered tone ops as one lookup table."""
        if not self.steps:
            return
        steps, self.steps = self.steps, []
        lut = np.tile(_LEVELS, (3, 1))
        hists = base = None
        if any(needs for _, needs in steps):
            base = _histograms(self.frame)
        for step, needs in steps:
            if needs:
                assert base is not None
                rounded = np.clip(np.rint(lut), 0, 255).astype(np.intp)
                hists = np.stack([np.bincount(rounded[c], weights=base[c], minlength=256) for c in range(3)])
            lut = np.clip(step(lut, hists), 0.0, 255.0)
        table = np.clip(np.rint(lut), 0, 255).astype(np.uint8)
        if (table[0] == table[1]).all() and (table[0] == table[2]).all():
            table = table[0]  # one table for all channels: ~2× faster than a per-channel one
        else:
            table = np.ascontiguousarray(table.T).reshape(256, 1, 3)
        self.frame.pixels = cv2.LUT(np.ascontiguousarray(self.frame.pixels), table)

    def result(self) -> np.ndarray:
        self.flush()
        return self.frame.pixels


def _histograms(frame: _Frame) -> np.ndarray:
    """3×256 channel histograms of the frame area-averaged over blocks about as large, in
    full-resolution pixels, at every render size (~_HISTOGRAM_PIXELS blocks), so the preview and the
    full render measure the same statistics: pixel noise, averaged away in the preview, would
    otherwise widen the full render's tails. Whole-number block sizes keep the averaging cheap."""
    block = math.sqrt(frame.full_w * frame.full_h / _HISTOGRAM_PIXELS) * frame.scale
    pixels = frame.pixels
    factor = max(1, round(block))
    if factor > 1:
        height, width = pixels.shape[0] // factor, pixels.shape[1] // factor
        if height and width:
            pixels = cv2.resize(pixels[:height * factor, :width * factor], (width, height),
                                interpolation=cv2.INTER_AREA)
    return np.stack([cv2.calcHist([pixels], [c], None, [256], [0, 256]).ravel() for c in range(3)])


def _saturate(pixels: np.ndarray, factor: float) -> np.ndarray:
    """Blend with the luma: factor 0 is grey, 1 unchanged, above 1 more colourful (saturating)."""
    if factor == 1.0:
        return pixels
    gray = cv2.cvtColor(cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    return cv2.addWeighted(pixels, factor, gray, 1.0 - factor, 0.0)


# Geometry and restoration at the working size ----------------------------------------------------


def _crop(frame: _Frame, op: Crop) -> None:
    x0, y0, x1, y1 = _crop_box(op, frame.full_w, frame.full_h)
    sx, sy = frame.sx, frame.sy
    height, width = frame.pixels.shape[:2]
    px0, py0 = min(round(x0 * sx), width - 1), min(round(y0 * sy), height - 1)
    px1, py1 = max(px0 + 1, round(x1 * sx)), max(py0 + 1, round(y1 * sy))
    frame.pixels = np.ascontiguousarray(frame.pixels[py0:py1, px0:px1])
    frame.full_w, frame.full_h = x1 - x0, y1 - y0


def _rotate(frame: _Frame, op: Rotate) -> None:
    code = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}[op.quarter_turns]
    frame.pixels = cv2.rotate(frame.pixels, code)
    frame.full_w, frame.full_h = _size_after(op, frame.full_w, frame.full_h)


def _flip(frame: _Frame, op: Flip) -> None:
    frame.pixels = cv2.flip(frame.pixels, 1 if op.axis == "horizontal" else 0)


def _straighten(frame: _Frame, op: Straighten) -> None:
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


_local = threading.local()


def _clahe_for(clip_limit: float, grid: tuple[int, int]) -> cv2.CLAHE:
    """A reused CLAHE object per thread (OpenCV's keeps scratch buffers, so it is not shared)."""
    cache = getattr(_local, "clahe", None)
    if cache is None:
        cache = _local.clahe = {}
    key = (clip_limit, grid)
    if key not in cache:
        if len(cache) > 16:
            cache.clear()
        cache[key] = cv2.createCLAHE(clipLimit=clip_limit, tileGridSize=grid)
    return cache[key]


def _clahe(frame: _Frame, op: Clahe) -> None:
    """CLAHE on luma (Y of YCrCb: 8× cheaper to convert than Lab, same lightness for this purpose).

    Up to preview sizes this is OpenCV's CLAHE (a reused object). Larger pictures take their tile
    mappings from an area-downscaled copy of preview size and apply them at full resolution, so the
    saved render equalizes exactly what the preview equalized (tile histograms of a 12 MP photo
    are dominated by pixel noise the preview never sees)."""
    ycrcb = cv2.cvtColor(frame.pixels, cv2.COLOR_RGB2YCrCb)
    luma = np.ascontiguousarray(ycrcb[..., 0])
    height, width = luma.shape
    if max(height, width) <= _CLAHE_DIRECT_SIDE:
        ycrcb[..., 0] = _clahe_for(op.clip_limit, _clahe_grid(op, width, height)).apply(luma)
    else:
        ycrcb[..., 0] = _clahe_large(luma, op)
    frame.pixels = cv2.cvtColor(ycrcb, cv2.COLOR_YCrCb2RGB)


def _clahe_grid(op: Clahe, width: int, height: int) -> tuple[int, int]:
    return max(1, min(op.tile_size, width // 4)), max(1, min(op.tile_size, height // 4))


def _clahe_large(luma: np.ndarray, op: Clahe) -> np.ndarray:
    """CLAHE of a large luma plane with tile mappings measured on a preview-size copy."""
    height, width = luma.shape
    factor = _CLAHE_SAMPLE_SIDE / max(height, width)
    sample = cv2.resize(luma, (max(1, round(width * factor)), max(1, round(height * factor))),
                        interpolation=cv2.INTER_AREA)
    sample_h, sample_w = sample.shape
    grid_x, grid_y = _clahe_grid(op, sample_w, sample_h)
    # Tile histograms, clipped at OpenCV's limit with the excess spread evenly, then cumulated.
    tile_x = (np.arange(sample_w) * grid_x // sample_w).astype(np.int32)
    tile_y = (np.arange(sample_h) * grid_y // sample_h).astype(np.int32)
    index = ((tile_y[:, None] * grid_x + tile_x[None, :]) * 256 + sample).ravel()
    hist = np.bincount(index, minlength=grid_x * grid_y * 256).reshape(grid_y, grid_x, 256).astype(np.float64)
    area = hist.sum(axis=2, keepdims=True)
    limit = np.maximum(np.floor(op.clip_limit * area / 256), 1)
    excess = np.maximum(hist - limit, 0).sum(axis=2, keepdims=True)
    hist = np.minimum(hist, limit) + excess / 256
    luts = (np.cumsum(hist, axis=2) * (255.0 / np.maximum(area, 1))).astype(np.float32)
    # Bilinear between the four nearest tile centres, exact in the luma value: one remap over a
    # table whose row is the tile row and whose column is value × grid_x + tile column.
    table = np.ascontiguousarray(luts.transpose(0, 2, 1).reshape(grid_y, 256 * grid_x))
    centre_x = np.clip((np.arange(width, dtype=np.float32) + 0.5) * (grid_x / width) - 0.5, 0, grid_x - 1)
    centre_y = np.clip((np.arange(height, dtype=np.float32) + 0.5) * (grid_y / height) - 0.5, 0, grid_y - 1)
    out = np.empty_like(luma)
    for top in range(0, height, _CLAHE_BAND_ROWS):  # in bands: the float maps stay a few MB
        rows = slice(top, min(top + _CLAHE_BAND_ROWS, height))
        map_x = luma[rows].astype(np.float32)
        map_x *= grid_x
        map_x += centre_x[None, :]
        map_y = np.repeat(centre_y[rows, None], width, axis=1)
        band = cv2.remap(table, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        out[rows] = cv2.convertScaleAbs(band)  # values are ≥ 0: rounds and saturates to uint8
    return out


def _bilateral(frame: _Frame, op: Bilateral) -> None:
    scale = frame.scale
    diameter = round(op.diameter * scale)
    if diameter < 2:
        return  # a 1-pixel neighbourhood: the filter is the identity at this size
    frame.pixels = cv2.bilateralFilter(frame.pixels, diameter, op.sigma_color, op.sigma_space * scale)


def _odd(value: float, minimum: int) -> int:
    return max(minimum, round(value) // 2 * 2 + 1)


def _denoise(frame: _Frame, op: Denoise) -> None:
    """Non-local means on luma (5 px patches, 11 px search; a third of the cost of OpenCV's 7/21) and
    a light blur of chroma: as clean as OpenCV's colour NLM with the same windows (PSNR against the
    noise-free picture) at 40% of its cost, since grain is mostly luminance. Still seconds at 12 MP:
    fine for the save job; the preview, already averaged, gets a proportionally weaker filter."""
    scale = frame.scale
    strength = op.strength * scale  # the preview's area averaging has already removed that much noise
    if strength < 0.5:
        return
    ycrcb = cv2.cvtColor(frame.pixels, cv2.COLOR_RGB2YCrCb)
    luma = cv2.fastNlMeansDenoising(np.ascontiguousarray(ycrcb[..., 0]), None, strength,
                                    _odd(5 * scale, 3), _odd(11 * scale, 5))
    chroma = np.ascontiguousarray(ycrcb[..., 1:])
    if 2.0 * scale >= 0.3:
        chroma = cv2.GaussianBlur(chroma, (0, 0), 2.0 * scale)
    frame.pixels = cv2.cvtColor(np.dstack([luma, chroma]), cv2.COLOR_YCrCb2RGB)


def _sharpen(frame: _Frame, op: Sharpen) -> None:
    sigma = op.radius * frame.scale
    if op.amount <= 0 or sigma < 0.2:
        return
    blurred = cv2.GaussianBlur(frame.pixels, (0, 0), sigma)
    frame.pixels = cv2.addWeighted(frame.pixels, 1.0 + op.amount, blurred, -op.amount, 0.0)


def _inpaint(frame: _Frame, op: Inpaint) -> None:
    sx, sy, scale = frame.sx, frame.sy, frame.scale
    mask = np.zeros(frame.pixels.shape[:2], np.uint8)
    shift = 4  # sub-pixel precision of the rasterized strokes
    for stroke in op.strokes:
        thickness = max(1, round(2 * stroke.radius * scale))
        points = np.array([[((x + 0.5) * sx - 0.5) * 16, ((y + 0.5) * sy - 0.5) * 16] for x, y in stroke.points],
                          np.int32)
        if len(points) == 1:
            cv2.circle(mask, tuple(int(v) for v in points[0]), max(1, thickness // 2) * 16, 255, -1, cv2.LINE_8, shift)
        else:
            cv2.polylines(mask, [points], False, 255, thickness, cv2.LINE_8, shift)
    if mask.any():
        frame.pixels = cv2.inpaint(frame.pixels, mask, max(1.0, 3.0 * scale), cv2.INPAINT_TELEA)


_SPATIAL: dict[type[Op], Callable[[_Frame, Op], None]] = {
    Crop: _crop, Rotate: _rotate, Flip: _flip, Straighten: _straighten,
    Clahe: _clahe, Bilateral: _bilateral, Denoise: _denoise, Sharpen: _sharpen, Inpaint: _inpaint,
}


# Public API -------------------------------------------------------------------------------------


def _as_ops(ops: Iterable[Op] | Iterable[dict]) -> tuple[Op, ...]:
    ops = tuple(ops)
    return parse_ops(list(ops)) if any(isinstance(op, dict) for op in ops) else ops


def _start(image: np.ndarray, scale: float) -> _Frame:
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("Expected an RGB uint8 image (H×W×3).")
    if not 0 < scale <= 1.0 + 1e-9:
        raise ValueError("scale must be in (0, 1].")
    height, width = image.shape[:2]
    return _Frame(np.ascontiguousarray(image), max(1, round(width / scale)), max(1, round(height / scale)))


def render(image: np.ndarray, ops: Sequence[Op], *, scale: float = 1.0) -> np.ndarray:
    """Apply `ops` in order to an upright RGB uint8 image that is `scale` × the original's size."""
    run = _Run(_start(image, scale))
    for op in _as_ops(ops):
        run.apply(op)
    return run.result()


def _is_stage(op: Op) -> bool:
    """True for the ops after which PreviewRenderer keeps the image (not the cheap tone ops)."""
    return type(op) in _SPATIAL


class PreviewRenderer:
    """Renders ops on one working copy like `render()`, caching the image after every geometry and
    restoration op (keyed by the ops prefix), so changing a later tone op re-renders only the rest.

    Keep tone sliders after the geometry and restoration ops in the list (`ops.with_param` appends
    new ops at the end) and a slider move costs one lookup table, not the whole pipeline. One
    instance per editing session; `render` is thread-safe (calls on one instance are serialized)."""

    def __init__(self, working: np.ndarray, scale: float, *, max_stages: int = 12) -> None:
        self.working, self.scale = _start(working, scale).pixels, scale
        self._stages: OrderedDict[tuple[Op, ...], tuple[np.ndarray, int, int]] = OrderedDict()
        self._max_stages = max_stages
        self._lock = threading.Lock()

    def render(self, ops: Sequence[Op]) -> np.ndarray:
        ops = _as_ops(ops)
        with self._lock:
            frame, start = _start(self.working, self.scale), 0
            for index in range(len(ops) - 1, -1, -1):
                cached = self._stages.get(ops[:index + 1]) if _is_stage(ops[index]) else None
                if cached is not None:
                    self._stages.move_to_end(ops[:index + 1])
                    frame, start = _Frame(*cached), index + 1
                    break
            run = _Run(frame)
            for index in range(start, len(ops)):
                run.apply(ops[index])
                if _is_stage(ops[index]):
                    self._keep(ops[:index + 1], run.frame)
            return run.result()

    def _keep(self, key: tuple[Op, ...], frame: _Frame) -> None:
        if not np.may_share_memory(frame.pixels, self.working):
            frame.pixels.flags.writeable = False  # shared with later renders: fail loudly on mutation
        self._stages[key] = (frame.pixels, frame.full_w, frame.full_h)
        self._stages.move_to_end(key)
        while len(self._stages) > self._max_stages:
            self._stages.popitem(last=False)


def encode_jpeg(image: np.ndarray, quality: int = 80) -> bytes:
    """Baseline JPEG of an RGB image (fast enough for a live preview)."""
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("Could not encode the image as JPEG.")
    return data.tobytes()


def load_oriented(source: str | Path | BinaryIO, *, max_side: int | None = None) -> np.ndarray:
    """Decode to an EXIF-upright RGB uint8 array; with `max_side`, no larger than that on its long
    side (JPEG decodes at a reduced DCT scale first, then an area downscale)."""
    with Image.open(source) as image:
        turn = derivatives.orientation(image)
        width, height = image.size
        if max_side and max(width, height) > max_side:
            target = derivatives._fit(width, height, max_side)
            if image.format == "JPEG":
                image.draft("RGB", target)
        else:
            target = (width, height)
        image.load()
        pixels = np.asarray(derivatives._to_rgb(image))
    if (pixels.shape[1], pixels.shape[0]) != target:
        pixels = cv2.resize(pixels, target, interpolation=cv2.INTER_AREA)
    return derivatives._upright_array(pixels, turn)


def oriented_size(source: str | Path | BinaryIO) -> tuple[int, int]:
    """(width, height) of the EXIF-upright original, read from the header only."""
    with Image.open(source) as image:
        width, height = image.size
        return (height, width) if derivatives.orientation(image) in {5, 6, 7, 8} else (width, height)
