"""The photo-booth quad: four frames of one size composed into one 2×2 image.

Arrays are uint8 H×W×3 in the caller's channel order (the camera service uses RGB); `color` is in
the same order. Layout with border width `b` and frames W×H:

    width  = 2·W + 3·b
    height = 2·H + 3·b (+ strip)

frames in reading order (1 2 / 3 4), the border around and between them, and an optional strip of
text (a caption and/or a date) under the grid, on the border color.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

MAX_BORDER = 200
MAX_CAPTION = 80


def strip_height(frame_height: int) -> int:
    """The caption strip's height for frames `frame_height` tall."""
    return max(32, frame_height // 6)


def quad(frames: Sequence[np.ndarray], *, border: int = 0, color: tuple[int, int, int] = (255, 255, 255),
         caption: str = "", date: str = "") -> np.ndarray:
    """The 2×2 composition of four equally sized frames; raises ValueError (a sentence) otherwise."""
    if len(frames) != 4:
        raise ValueError("A photo-booth picture needs exactly four shots.")
    first = frames[0]
    if first.ndim != 3 or first.shape[2] != 3 or first.dtype != np.uint8:
        raise ValueError("Expected colour images (H×W×3, 8 bits).")
    if any(frame.shape != first.shape or frame.dtype != np.uint8 for frame in frames):
        raise ValueError("The four shots must have the same size.")
    if not isinstance(border, int) or not 0 <= border <= MAX_BORDER:
        raise ValueError(f"The border must be from 0 to {MAX_BORDER} pixels wide.")
    if len(color) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in color):
        raise ValueError("The border colour must be three values from 0 to 255.")
    height, width = first.shape[:2]
    text = " · ".join(part for part in (caption.strip()[:MAX_CAPTION], date.strip()[:40]) if part)
    strip = strip_height(height) if text else 0
    out = np.empty((2 * height + 3 * border + strip, 2 * width + 3 * border, 3), dtype=np.uint8)
    out[:] = np.asarray(color, dtype=np.uint8)
    for index, frame in enumerate(frames):
        row, column = divmod(index, 2)
        top = border + row * (height + border)
        left = border + column * (width + border)
        out[top:top + height, left:left + width] = frame
    if text:
        _draw_strip(out, top=2 * height + 3 * border, height=strip, text=text, color=color)
    return out


def quadrant(image: np.ndarray, index: int, *, frame_size: tuple[int, int], border: int = 0) -> np.ndarray:
    """Cell `index` (0..3) of a `quad` made of frames `frame_size` (width, height): the frame as placed."""
    width, height = frame_size
    row, column = divmod(index, 2)
    top = border + row * (height + border)
    left = border + column * (width + border)
    return image[top:top + height, left:left + width]


def _draw_strip(out: np.ndarray, *, top: int, height: int, text: str, color: tuple[int, int, int]) -> None:
    """Centred text in the strip, dark on a light color and light on a dark one."""
    canvas = Image.fromarray(out[top:top + height])
    draw = ImageDraw.Draw(canvas)
    font = _font(max(10, height * 3 // 5))
    while font.size > 10 and draw.textlength(text, font=font) > canvas.width * 0.95:  # type: ignore[union-attr]
        font = _font(font.size - 2)  # type: ignore[union-attr]
    light = sum(color) / 3 >= 128
    draw.text((canvas.width / 2, height / 2), text, font=font, anchor="mm",
              fill=(20, 20, 20) if light else (240, 240, 240))
    out[top:top + height] = np.asarray(canvas)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)
