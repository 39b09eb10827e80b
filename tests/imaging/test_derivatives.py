"""Previews and thumbnails: right size, upright, faithful to the original."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from bench.photos import save_with_exif, synthetic_photo
from mediashare.imaging import derivatives


def _jpeg(tmp_path: Path, *, width: int, height: int, orientation: int = 1) -> Path:
    path = tmp_path / f"photo-{width}x{height}-{orientation}.jpg"
    save_with_exif(synthetic_photo(width, height, seed=orientation), path, orientation=orientation)
    return path


def _psnr(a: Image.Image, b: Image.Image) -> float:
    diff = np.asarray(a, np.float64) - np.asarray(b, np.float64)
    return float(10 * np.log10(255.0**2 / np.mean(diff * diff)))


def test_a_12_megapixel_photo_gets_a_1600_preview_and_a_360_square(tmp_path: Path) -> None:
    made = derivatives.make(_jpeg(tmp_path, width=4000, height=3000))
    assert made.preview.size == (1600, 1200)
    assert made.thumbnail.size == (360, 360)
    assert made.preview.mode == made.thumbnail.mode == "RGB"


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied_like_pillows_exif_transpose(tmp_path: Path, orientation: int) -> None:
    path = _jpeg(tmp_path, width=1200, height=800, orientation=orientation)
    made = derivatives.make(path, long_side=600)
    with Image.open(path) as original:
        expected = ImageOps.exif_transpose(original).convert("RGB")
    expected.thumbnail((600, 600), Image.Resampling.LANCZOS)
    assert made.preview.size == expected.size
    assert _psnr(made.preview, expected) > 30  # same picture, same way up


def test_the_preview_is_faithful_to_a_high_quality_full_decode(tmp_path: Path) -> None:
    path = _jpeg(tmp_path, width=4000, height=3000)
    with Image.open(path) as original:
        reference = original.convert("RGB").resize((1600, 1200), Image.Resampling.LANCZOS)
    assert _psnr(derivatives.make(path).preview, reference) >= 40


def test_small_images_are_not_enlarged_and_transparency_becomes_white() -> None:
    image = Image.new("RGBA", (200, 100), (255, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 100, 100))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    buffer.seek(0)
    made = derivatives.make(buffer)
    assert made.preview.size == (200, 100)
    assert made.preview.getpixel((150, 50)) == (255, 255, 255)
    assert made.preview.getpixel((50, 50)) == (0, 0, 255)
    assert made.thumbnail.size == (360, 360)


@pytest.mark.parametrize("fmt", ["WEBP", "JPEG"])
def test_encoding_produces_decodable_web_images(tmp_path: Path, fmt: str) -> None:
    made = derivatives.make(_jpeg(tmp_path, width=800, height=600))
    data = derivatives.encode(made.preview, format=fmt)
    with Image.open(io.BytesIO(data)) as decoded:
        assert decoded.format == fmt and decoded.size == (800, 600)
