"""Previews and thumbnails, made fast and right.

The fast path: JPEG DCT-domain downscaling (`Image.draft`) decodes a 12 MP photo at 1/2, 1/4 or
1/8 size when that is still at least as large as the preview, so what is left is a shrink by
less than 2, which OpenCV's bicubic does in a fraction of Pillow's Lanczos time at the same
quality after WebP encoding (bench/derivatives.py; larger factors use OpenCV's exact area
average, which cannot alias); EXIF orientation is applied
*after* resizing (rotating 1600 px is cheaper than 4000 px), and the small thumbnail is cut from
the preview rather than from the original. Plain `Image.thumbnail()` decodes the full image for a
1600 px box and is ~2× slower.

Pure: paths or images in, images or bytes out; nothing here knows about the database.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import cv2
import numpy as np
from PIL import Image

PREVIEW_LONG_SIDE = 1600
THUMBNAIL_SIDE = 360

# EXIF orientations that swap width and height.
_TRANSPOSED = {5, 6, 7, 8}
_ORIENTATION_TAG = 0x0112


@dataclass(frozen=True)
class Derivatives:
    """A preview (long side ≤ PREVIEW_LONG_SIDE) and a square thumbnail, upright."""

    preview: Image.Image
    thumbnail: Image.Image


def _fit(width: int, height: int, long_side: int) -> tuple[int, int]:
    """The size of (width, height) scaled so its long side is at most `long_side`."""
    scale = min(1.0, long_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def orientation(image: Image.Image) -> int:
    """The EXIF orientation (1–8; 1 when absent or invalid)."""
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except (AttributeError, OSError, ValueError, SyntaxError):
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB for previews: transparency is flattened onto white, palettes and CMYK converted."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return image.convert("RGB")


def make(source: str | Path | BinaryIO, *, long_side: int = PREVIEW_LONG_SIDE,
         thumb_side: int = THUMBNAIL_SIDE) -> Derivatives:
    """Decode `source` at the smallest sufficient scale and return the upright preview and thumbnail.

    The caller validates the file first (size, pixel count, format); this only renders.
    """
    with Image.open(source) as image:
        turn = orientation(image)
        width, height = image.size
        target = _fit(width, height, long_side)
        if image.format == "JPEG":
            # Ask for at least the target size: draft picks the largest 1/2^k reduction ≥ it.
            image.draft("RGB", target)
        image.load()
        rgb = _to_rgb(image)
    pixels = np.asarray(rgb)
    if rgb.size != target:
        pixels = _shrink(pixels, target)
    pixels = _upright_array(pixels, turn)
    return Derivatives(preview=Image.fromarray(pixels), thumbnail=Image.fromarray(_square(pixels, thumb_side)))


def from_array(pixels: np.ndarray, *, long_side: int = PREVIEW_LONG_SIDE,
               thumb_side: int = THUMBNAIL_SIDE) -> Derivatives:
    """Derivatives of an upright H×W×3 RGB array (a video frame, a generated cover)."""
    height, width = pixels.shape[:2]
    target = _fit(width, height, long_side)
    if (width, height) != target:
        pixels = _shrink(pixels, target)
    pixels = np.ascontiguousarray(pixels)
    return Derivatives(preview=Image.fromarray(pixels), thumbnail=Image.fromarray(_square(pixels, thumb_side)))


def audio_cover(side: int = 800) -> np.ndarray:
    """A neutral square cover for audio: a soft diagonal gradient with a simple note glyph."""
    y, x = np.mgrid[0:side, 0:side].astype(np.float32) / side
    cover = np.empty((side, side, 3), np.float32)
    cover[..., 0] = 70 + 60 * x
    cover[..., 1] = 80 + 40 * y
    cover[..., 2] = 150 + 60 * (1 - x)
    cover = cover.astype(np.uint8)
    white = (245, 245, 250)
    centre, radius = (int(side * 0.42), int(side * 0.66)), int(side * 0.09)
    cv2.circle(cover, centre, radius, white, -1, cv2.LINE_AA)
    stem_x = centre[0] + radius - max(2, side // 80)
    cv2.rectangle(cover, (stem_x, int(side * 0.26)), (stem_x + max(4, side // 40), centre[1]), white, -1)
    cv2.rectangle(cover, (stem_x, int(side * 0.26)), (int(side * 0.64), int(side * 0.26) + max(6, side // 25)),
                  white, -1)
    return cover


def _shrink(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Downscale to `size`: bicubic when the factor is under 2 (sharp, and nothing to alias at that
    factor), OpenCV's area average beyond (exact antialiasing at any factor)."""
    factor = pixels.shape[1] / size[0]
    interpolation = cv2.INTER_CUBIC if factor < 2 else cv2.INTER_AREA
    return cv2.resize(pixels, size, interpolation=interpolation)


def _upright_array(pixels: np.ndarray, value: int) -> np.ndarray:
    """Apply EXIF orientation `value` to an H×W×C array."""
    if value in (2, 4):
        pixels = pixels[:, ::-1] if value == 2 else pixels[::-1]
    elif value == 3:
        pixels = pixels[::-1, ::-1]
    elif value in (5, 6, 7, 8):
        pixels = {
            5: lambda p: np.transpose(p, (1, 0, 2)),
            6: lambda p: np.rot90(p, -1),
            7: lambda p: np.rot90(p[::-1], -1)[::-1, ::-1],
            8: lambda p: np.rot90(p, 1),
        }[value](pixels)
    return np.ascontiguousarray(pixels)


def _square(pixels: np.ndarray, side: int) -> np.ndarray:
    """The centred square of `pixels`, resized to side × side."""
    height, width = pixels.shape[:2]
    edge = min(height, width)
    top, left = (height - edge) // 2, (width - edge) // 2
    crop = pixels[top:top + edge, left:left + edge]
    return _shrink(np.ascontiguousarray(crop), (side, side))


# libwebp's effort: method 1 encodes a 1600 px preview ~3.5× faster than the default 4 (~44 ms
# against ~150 ms on this machine) at the same PSNR (within 0.1 dB) and ~2% more bytes; method 2
# and 3 are slower *and* lose ~0.7 dB (bench/derivatives.py, bench/ingest.py measure it).
WEBP_METHOD = 1


def encode(image: Image.Image, *, format: str = "WEBP", quality: int = 80) -> bytes:
    """Encode for the web: WebP (default) or JPEG (progressive, optimized)."""
    buffer = io.BytesIO()
    if format == "JPEG":
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        image.save(buffer, "WEBP", quality=quality, method=WEBP_METHOD)
    return buffer.getvalue()


def jpeg_from_webp(source: str | Path | BinaryIO, *, quality: int = 90) -> bytes:
    """A JPEG copy of a WebP preview, for the rare browser without WebP (made on first request).

    Quality 90 keeps the second lossy generation close to the first (the preview is already at its
    final size and upright, so this is one decode and one encode, ~40 ms for 1600 px)."""
    with Image.open(source) as image:
        image.load()
        return encode(_to_rgb(image), format="JPEG", quality=quality)
