"""The Studio render pipeline: one `render(image, ops, scale=...)` for the live preview and the
full-resolution save, so what the user sees is what is saved.

Fast and faithful by construction:
- Runs of per-channel tone ops (levels, brightness, contrast, exposure, gamma, warmth, auto levels,
  grey-world balance, the stretch half of revive, the sepia tint) collapse into **one** lookup
  table applied with a single `cv2.LUT` (tone.py); auto ops read histograms, never float images.
- Geometry (geometry.py) and spatial restoration parameters (restore.py) are in full-resolution
  pixels and scale to the working size; statistics (auto levels, CLAHE tiles) are measured on
  copies of a size fixed by the full-resolution picture, so the preview and the saved render,
  downscaled, agree (≥ 35 dB PSNR; tests/imaging/test_pipeline.py, bench/enhance.py).
- `PreviewRenderer` caches the image after every geometry/restoration op, keyed by the ops prefix,
  so moving a tone slider re-renders only the final lookup from the cached stage.
- OpenCV's thread count is the caller's choice (`cv2.setNumThreads`); nothing here changes it.

Arrays are RGB uint8 H×W×3, EXIF-upright. Returned arrays may be shared with the cache: treat them
as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import cv2
import numpy as np
from PIL import Image
from pillow_heif import register_heif_opener

from mediashare.imaging import derivatives, geometry, restore, tone
from mediashare.imaging.frame import Frame
from mediashare.imaging.ops import Op, Revive, Saturation, Tone, parse_ops

register_heif_opener()  # HEIC originals open here too, whichever module the process imported first

_SPATIAL: dict[type[Op], Callable[[Frame, Op], None]] = {**geometry.OPS, **restore.OPS}


def output_size(original_wh: tuple[int, int], ops: Iterable[Op]) -> tuple[int, int]:
    """(width, height) of the full-resolution render of an `original_wh` picture."""
    width, height = original_wh
    for op in _as_ops(ops):
        width, height = geometry.size_after(op, width, height)
    return width, height


class _Run:
    """Applies ops in order to a frame, buffering per-channel tone ops into one lookup table."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.steps: list[tuple[tone.Step, bool]] = []

    def apply(self, op: Op) -> None:
        step = tone.tone_step(op)
        if step is not None:
            self.steps.append(step)
            return
        if isinstance(op, Revive):
            if op.strength > 0:
                self.steps.append(tone.revive_step(op.strength))
                self.flush()
                self.frame.pixels = tone.saturate(self.frame.pixels, 1.0 + 0.6 * op.strength)
            return
        self.flush()
        frame = self.frame
        if isinstance(op, Saturation):
            frame.pixels = tone.saturate(frame.pixels, 1.0 + op.value / 100.0)
        elif isinstance(op, Tone):
            frame.pixels = tone.grayscale(frame.pixels)
            if op.mode == "sepia":
                self.steps.append(tone.sepia_step())
        else:
            _SPATIAL[type(op)](frame, op)

    def flush(self) -> None:
        """Apply the buffered tone ops as one lookup table."""
        if self.steps:
            steps, self.steps = self.steps, []
            tone.apply(self.frame, steps)

    def result(self) -> np.ndarray:
        self.flush()
        return self.frame.pixels


# Public API -------------------------------------------------------------------------------------


def _as_ops(ops: Iterable[Op] | Iterable[dict]) -> tuple[Op, ...]:
    ops = tuple(ops)
    return parse_ops(list(ops)) if any(isinstance(op, dict) for op in ops) else ops


def _start(image: np.ndarray, scale: float) -> Frame:
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("Expected an RGB uint8 image (H×W×3).")
    if not 0 < scale <= 1.0 + 1e-9:
        raise ValueError("scale must be in (0, 1].")
    height, width = image.shape[:2]
    return Frame(np.ascontiguousarray(image), max(1, round(width / scale)), max(1, round(height / scale)))


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
                    frame, start = Frame(*cached), index + 1
                    break
            run = _Run(frame)
            for index in range(start, len(ops)):
                run.apply(ops[index])
                if _is_stage(ops[index]):
                    self._keep(ops[:index + 1], run.frame)
            return run.result()

    def _keep(self, key: tuple[Op, ...], frame: Frame) -> None:
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
