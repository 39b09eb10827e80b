"""Realistic test photos for benchmarks: gradients, hard edges, fine texture, sensor noise, EXIF.

    .venv/bin/python bench/photos.py OUT_DIR --count 4 --megapixels 12
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

_SIZES = {12: (4000, 3000), 24: (6000, 4000)}


def synthetic_photo(width: int, height: int, seed: int) -> Image.Image:
    """A photo-like RGB image: sky-like gradient, shapes with hard edges, texture and noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.empty((height, width, 3), np.float32)
    base[..., 0] = 60 + 120 * (x / width) + 30 * np.sin(y / 140.0 + seed)
    base[..., 1] = 90 + 100 * (y / height) + 25 * np.cos(x / 210.0)
    base[..., 2] = 170 - 80 * (y / height) + 20 * np.sin((x + y) / 330.0)
    for _ in range(14):  # hard-edged shapes (buildings, objects)
        x0, y0 = int(rng.integers(0, width - 200)), int(rng.integers(0, height - 200))
        w, h = int(rng.integers(100, width // 4)), int(rng.integers(100, height // 4))
        base[y0:y0 + h, x0:x0 + w] = rng.uniform(20, 235, 3)
    stripes = 18 * np.sin(x / 2.7) * np.sin(y / 3.1)  # fine texture (foliage, fabric)
    base += stripes[..., None] * (y > height * 0.6)[..., None]
    base += rng.normal(0, 6, base.shape)  # sensor noise
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")


def faded_print(width: int, height: int, seed: int) -> np.ndarray:
    """A scanned old print as an RGB array, fast at any size: a synthetic photo upscaled from a
    quarter of the size, faded (low contrast, lifted blacks, a yellow cast) with film grain."""
    small = np.asarray(synthetic_photo(max(800, width // 4), max(600, height // 4), seed))
    base = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    grain = np.zeros(base.shape, np.int8)
    cv2.setRNGSeed(seed)
    cv2.randn(grain, 0, 5)
    faded = cv2.convertScaleAbs(cv2.add(base, grain, dtype=cv2.CV_8U), alpha=0.45)
    return cv2.add(faded, np.full(faded.shape, (95, 85, 60), np.uint8))


def save_with_exif(image: Image.Image, path: Path, *, orientation: int = 1, quality: int = 90) -> None:
    exif = Image.Exif()
    exif[0x010F] = "BenchCam"  # Make
    exif[0x0110] = "Model 12"  # Model
    exif[0x0112] = orientation
    exif[0x0132] = "2024:06:01 12:30:00"  # DateTime
    image.save(path, "JPEG", quality=quality, exif=exif)


def generate(folder: Path, *, count: int, megapixels: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    width, height = _SIZES[megapixels]
    paths = []
    for index in range(count):
        path = folder / f"photo-{megapixels}mp-{index}.jpg"
        if not path.exists():
            save_with_exif(synthetic_photo(width, height, index), path, orientation=6 if index % 3 == 2 else 1)
        paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=4)
    parser.add_argument("--megapixels", type=int, choices=sorted(_SIZES), default=12)
    arguments = parser.parse_args()
    for written in generate(arguments.out, count=arguments.count, megapixels=arguments.megapixels):
        print(written)
