"""Posters and backdrops: downloaded through the SSRF guard and checked with Pillow before anyone keeps them."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image

from mediashare.errors import FetchFailed
from mediashare.services.safe_fetch import FetchPolicy, fetch

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 8K × 5K; real posters and backdrops are far smaller
MIN_SIDE = 16


@dataclass(frozen=True)
class DownloadedImage:
    data: bytes
    width: int
    height: int
    content_type: str  # what the bytes really are (from Pillow), not what the server said


def fetch_image(url: str, *, policy: FetchPolicy, max_bytes: int = MAX_IMAGE_BYTES,
                max_pixels: int = MAX_PIXELS) -> DownloadedImage:
    """The image at `url`, or FetchRefused/FetchFailed: only JPEG, PNG or WebP that Pillow fully decodes,
    within `max_bytes` and `max_pixels` (checked from the header before decoding)."""
    result = fetch(url, policy=policy, expect=IMAGE_TYPES, max_bytes=max_bytes)
    if result.status != 200:
        raise FetchFailed(f"The image could not be downloaded (the server answered {result.status}).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(result.body)) as image:
                kind = _FORMATS.get(image.format or "")
                if kind is None:
                    raise FetchFailed(f"The image is {image.format or 'of an unknown kind'}, not JPEG, PNG or WebP.")
                width, height = image.size
                if width * height > max_pixels:
                    raise FetchFailed(f"The image is {width} × {height} pixels, more than the "
                                      f"{max_pixels:,} allowed.")
                if min(width, height) < MIN_SIDE:
                    raise FetchFailed(f"The image is only {width} × {height} pixels.")
                image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except FetchFailed:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise FetchFailed("The downloaded file is not a valid image.") from error
    return DownloadedImage(data=result.body, width=width, height=height, content_type=kind)
