"""Finding faces in a picture: an array in, boxes out (normalized 0..1 of the picture's width and height).

The detector is the frontal-face LBP cascade that ships inside scikit-image
(`skimage.data.lbp_frontal_face_cascade_filename()`, trained by OpenCV), run by
`skimage.feature.Cascade`. OpenCV 5 (our pinned opencv-python-headless) no longer ships its Haar
cascades nor `cv2.CascadeClassifier`, so the same kind of detector comes from scikit-image instead.

Tuned to be quiet rather than eager: a suggestion the user has to dismiss costs more than a face
they tag by hand. The picture is analysed at most ANALYSIS_SIDE pixels on its long side, faces
smaller than MIN_FACE of the short side are ignored, a face needs MIN_NEIGHBOURS overlapping hits,
and overlapping boxes are merged (the larger survives).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import cv2
import numpy as np

ANALYSIS_SIDE = 1024
MIN_FACE = 0.06  # of the short side
MIN_PIXELS = 24  # the cascade's window
SCALE_FACTOR = 1.2
MIN_NEIGHBOURS = 6
MAX_FACES = 30
_OVERLAP = 0.3  # intersection over the smaller box: the same face

_local = threading.local()  # one Cascade per thread (it is not documented as thread-safe)


@dataclass(frozen=True)
class Box:
    """A face: left, top, width and height as fractions (0..1) of the picture's width and height."""

    x: float
    y: float
    w: float
    h: float


def _cascade():
    cascade = getattr(_local, "cascade", None)
    if cascade is None:
        from skimage.data import lbp_frontal_face_cascade_filename
        from skimage.feature import Cascade

        cascade = _local.cascade = Cascade(lbp_frontal_face_cascade_filename())
    return cascade


def _gray(image: np.ndarray) -> np.ndarray:
    """8-bit grayscale of an RGB(A) or gray array, as float 0..1 (what the cascade expects)."""
    array = np.asarray(image)
    if array.dtype != np.uint8:
        scale = 255.0 if array.size and float(np.nanmax(array)) <= 1.0 else 1.0
        array = np.clip(np.nan_to_num(array.astype(np.float64)) * scale, 0, 255).astype(np.uint8)
    if array.ndim == 3:
        if array.shape[2] == 4:
            array = array[..., :3]
        array = cv2.cvtColor(np.ascontiguousarray(array), cv2.COLOR_RGB2GRAY) if array.shape[2] == 3 else array[..., 0]
    if array.ndim != 2:
        raise ValueError("expected a 2-D gray or 3-D colour image")
    return array.astype(np.float64) / 255.0


def _merge(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Drop boxes that mostly overlap a larger one (the cascade reports a face at several scales)."""
    kept: list[tuple[int, int, int, int]] = []
    for box in sorted(boxes, key=lambda b: b[2] * b[3], reverse=True):
        x, y, w, h = box
        if all(_overlap((x, y, w, h), other) < _OVERLAP for other in kept):
            kept.append(box)
    return kept


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    smaller = min(a[2] * a[3], b[2] * b[3]) or 1
    return ix * iy / smaller


def detect(image: np.ndarray) -> list[Box]:
    """The faces in `image` (H×W gray, H×W×3 RGB or RGBA; uint8 or floats 0..1), biggest first."""
    gray = _gray(image)
    height, width = gray.shape
    if min(height, width) < MIN_PIXELS:
        return []
    scale = min(1.0, ANALYSIS_SIDE / max(height, width))
    if scale < 1.0:
        gray = cv2.resize(gray, (max(1, round(width * scale)), max(1, round(height * scale))),
                          interpolation=cv2.INTER_AREA)
    rows, cols = gray.shape
    smallest = max(MIN_PIXELS, int(min(rows, cols) * MIN_FACE))
    if min(rows, cols) < smallest:
        return []
    found = _cascade().detect_multi_scale(img=np.ascontiguousarray(gray), scale_factor=SCALE_FACTOR, step_ratio=1,
                                          min_size=(smallest, smallest), max_size=(rows, cols),
                                          min_neighbor_number=MIN_NEIGHBOURS)
    boxes = _merge([(int(f["c"]), int(f["r"]), int(f["width"]), int(f["height"])) for f in found])
    result = []
    for x, y, w, h in boxes[:MAX_FACES]:
        left, top = max(0.0, x / cols), max(0.0, y / rows)
        result.append(Box(x=round(left, 4), y=round(top, 4), w=round(min(1.0 - left, w / cols), 4),
                          h=round(min(1.0 - top, h / rows), 4)))
    return result


def crop(image: np.ndarray, box: Box, *, side: int = 256, margin: float = 0.25) -> np.ndarray:
    """A square crop around `box` (with `margin` of its size around it, clamped to the picture),
    resized to at most `side` pixels."""
    height, width = image.shape[:2]
    cx, cy = (box.x + box.w / 2) * width, (box.y + box.h / 2) * height
    half = max(box.w * width, box.h * height) * (1 + 2 * margin) / 2
    half = max(4.0, min(half, max(width, height) / 2))
    left, top = int(max(0, cx - half)), int(max(0, cy - half))
    right, bottom = int(min(width, cx + half)), int(min(height, cy + half))
    region = image[top:max(bottom, top + 1), left:max(right, left + 1)]
    longest = max(region.shape[:2])
    if longest > side:
        factor = side / longest
        region = cv2.resize(region, (max(1, round(region.shape[1] * factor)), max(1, round(region.shape[0] * factor))),
                            interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(region)
