"""Tone and colour: per-channel ops become steps on a 256-entry table applied once with `cv2.LUT`.

A step maps the table built so far (3×256 floats) to a new one; steps that need statistics (auto
levels, grey world, revive) get the channel histograms of the run's input pushed through that table,
so no float image and no `np.percentile` are ever made. Cross-channel ops (saturation, grey) are
plain OpenCV blends.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np

from mediashare.imaging.frame import Frame
from mediashare.imaging.ops import AutoLevels, AutoWhiteBalance, Brightness, Contrast, Exposure, Gamma, Op, Warmth

_SEPIA = np.array([1.0, 0.86, 0.66])
_LEVELS = np.arange(256, dtype=np.float64)
_HISTOGRAM_PIXELS = 300_000


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


Step = Callable[[np.ndarray, np.ndarray | None], np.ndarray]


def tone_step(op: Op) -> tuple[Step, bool] | None:
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


def histograms(frame: Frame) -> np.ndarray:
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


def saturate(pixels: np.ndarray, factor: float) -> np.ndarray:
    """Blend with the luma: factor 0 is grey, 1 unchanged, above 1 more colourful (saturating)."""
    if factor == 1.0:
        return pixels
    gray = cv2.cvtColor(cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    return cv2.addWeighted(pixels, factor, gray, 1.0 - factor, 0.0)


def apply(frame: Frame, steps: list[tuple[Step, bool]]) -> None:
    """Apply tone steps (in order) to the frame as one lookup table."""
    lut = np.tile(_LEVELS, (3, 1))
    hists = base = None
    if any(needs for _, needs in steps):
        base = histograms(frame)
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
    frame.pixels = cv2.LUT(np.ascontiguousarray(frame.pixels), table)


def revive_step(strength: float) -> tuple[Step, bool]:
    """The per-channel half of revive: a 1–99 percentile stretch blended by `strength`."""
    return (lambda lut, hists: (1 - strength) * lut + strength * _stretch(lut, hists, 1, 99)), True


def sepia_step() -> tuple[Step, bool]:
    """Tint a grey picture brown (red ≥ green ≥ blue)."""
    return (lambda lut, _: lut * _SEPIA[:, None]), False


def grayscale(pixels: np.ndarray) -> np.ndarray:
    """Luma in all three channels."""
    return cv2.cvtColor(cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
