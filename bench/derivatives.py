"""Preview + thumbnail throughput of our Pillow fast path against pyvips (libvips), same run.

    .venv/bin/python bench/derivatives.py [--quick] [--megapixels 12|24] [--count N]

Both make the same pair from each JPEG (1600 px long side WebP q80 + 360 px square WebP q80,
EXIF-upright), in one worker process per core with library threads set to 1. Quality: PSNR of each
preview against a high-quality reference (full decode, Lanczos, no draft). Target: ratio
(ours / pyvips images per second) ≥ 1.0 with our PSNR within 1 dB of pyvips'. Last line: JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault("VIPS_CONCURRENCY", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENCV_FOR_THREADS_NUM", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from PIL import Image, ImageOps

from bench.photos import generate
from mediashare.imaging import derivatives


def ours(path: str) -> tuple[bytes, bytes]:
    made = derivatives.make(path)
    return derivatives.encode(made.preview), derivatives.encode(made.thumbnail)


def vips(path: str) -> tuple[bytes, bytes]:
    import pyvips

    preview = pyvips.Image.thumbnail(path, derivatives.PREVIEW_LONG_SIDE, height=derivatives.PREVIEW_LONG_SIDE)
    preview = preview.copy_memory()  # reuse the decoded preview for the thumbnail
    thumb = preview.thumbnail_image(derivatives.THUMBNAIL_SIDE, height=derivatives.THUMBNAIL_SIDE, crop="centre")
    return preview.webpsave_buffer(Q=80), thumb.webpsave_buffer(Q=80)


def reference(path: Path) -> Image.Image:
    with Image.open(path) as image:
        upright = ImageOps.exif_transpose(image).convert("RGB")
    size = derivatives._fit(*upright.size, derivatives.PREVIEW_LONG_SIDE)
    return upright.resize(size, Image.Resampling.LANCZOS)


def psnr(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        b = b.resize(a.size, Image.Resampling.LANCZOS)
    diff = np.asarray(a, np.float64) - np.asarray(b, np.float64)
    mse = float(np.mean(diff * diff))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


def throughput(function, paths: list[str], workers: int) -> float:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(function, paths[:workers]))  # warm up each worker (imports, codec init)
        start = time.perf_counter()
        list(pool.map(function, paths))
        return len(paths) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--megapixels", type=int, default=12, choices=(12, 24))
    parser.add_argument("--count", type=int)
    parser.add_argument("--photos", type=Path, help="folder to keep generated photos in (reused)")
    args = parser.parse_args()
    count = args.count or (8 if args.quick else 40)
    workers = os.cpu_count() or 1
    folder = args.photos or Path(tempfile.gettempdir()) / "mediashare-bench-photos"
    sources = generate(folder, count=min(count, 6), megapixels=args.megapixels)
    paths = [str(sources[i % len(sources)]) for i in range(count)]

    figures: dict[str, object] = {"megapixels": args.megapixels, "images": count, "workers": workers}
    figures["ours_images_per_s"] = round(throughput(ours, paths, workers), 2)
    figures["pyvips_images_per_s"] = round(throughput(vips, paths, workers), 2)
    figures["ratio"] = round(figures["ours_images_per_s"] / figures["pyvips_images_per_s"], 2)

    ours_psnr, vips_psnr = [], []
    for source in sources[:3]:
        truth = reference(source)
        ours_psnr.append(psnr(truth, Image.open(io.BytesIO(ours(str(source))[0])).convert("RGB")))
        vips_psnr.append(psnr(truth, Image.open(io.BytesIO(vips(str(source))[0])).convert("RGB")))
    figures["ours_psnr_db"] = round(float(np.mean(ours_psnr)), 2)
    figures["pyvips_psnr_db"] = round(float(np.mean(vips_psnr)), 2)
    figures["psnr_gap_db"] = round(figures["pyvips_psnr_db"] - figures["ours_psnr_db"], 2)
    figures["meets_target"] = figures["ratio"] >= 1.0 and figures["psnr_gap_db"] <= 1.0
    for name, value in figures.items():
        print(f"{name:>20}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
