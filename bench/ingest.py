"""End-to-end ingest throughput (receive, hash, validate, EXIF, store, both derivatives) against
libvips making the same derivatives, in the same run.

    .venv/bin/python bench/ingest.py [--quick] [--count N] [--megapixels 12|24]
    .venv/bin/python bench/ingest.py --rss 1000     # memory over a long ingest, ours only

Ours: every photo goes through the service layer (ingest.Receiver in 1 MB chunks, ingest.store),
then the derivatives job that the service queued, in one worker process per core with library
threads set to 1. pyvips
makes the same pair (1600 px WebP + 360 px square WebP) from the same files, same pool size.
Both sides run in alternating rounds over the same files, so a load that comes and goes on this
shared machine hits both alike. Prints both throughputs, the ratio (target ≥ 1.0), the preview PSNR
of each against a full-decode Lanczos reference (target: ours within 1 dB of pyvips), the mean
preview size of each (we encode WebP at libwebp method 1, pyvips at its default effort 4), and
the peak RSS of a worker.
Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
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
from PIL import Image
from sqlmodel import select

from bench.derivatives import psnr, reference, vips
from bench.photos import generate

CHUNK = 1024 * 1024


def _ingest_one(path: str) -> int:
    """Receive and store one photo as the bench user (in a worker: its own DB session)."""
    from mediashare import db
    from mediashare.models import User
    from mediashare.services import auth, ingest

    with db.session_scope() as session:
        user = session.get(User, 1)
        name = Path(path).name
        with ingest.Receiver(ingest.storage(), filename=name, limit=ingest.limit_for(session, name)) as receiver, \
                open(path, "rb") as source:
            while chunk := source.read(CHUNK):
                receiver.write(chunk)
        outcome = ingest.store(session, actor=user, owner_id=user.id, received=receiver.result,  # type: ignore[arg-type]
                               client=auth.Client(ip="127.0.0.1", user_agent="bench"))
    return outcome.media_id


def _ours(path: str) -> int:
    """One photo end to end: the upload service stores it and queues its derivatives job (the
    in-process pool, as in the embedded setup), and we wait for that job to finish."""
    from mediashare import db
    from mediashare.jobs import queue
    from mediashare.models import MediaItem, MediaStatus

    media_id = _ingest_one(path)
    queue.drain_local()
    with db.session_scope() as session:
        status = session.get(MediaItem, media_id).status
    if status is not MediaStatus.READY:
        raise RuntimeError(f"{path}: derivatives ended {status}")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _warm(path: str) -> None:
    """Import everything and open a database connection, so timing starts with warm workers."""
    from mediashare import db
    from mediashare.jobs import media  # noqa: F401
    from mediashare.services import ingest  # noqa: F401

    with db.session_scope() as session:
        session.exec(select(1))  # type: ignore[call-overload]
    vips(path)


def _timed(pool: ProcessPoolExecutor, function, paths: list[str]) -> tuple[float, list]:
    start = time.perf_counter()
    results = list(pool.map(function, paths))
    return time.perf_counter() - start, results


def _interleaved(pool: ProcessPoolExecutor, paths: list[str], workers: int) -> tuple[float, float, int, int]:
    """Both sides' throughput, measured in alternating rounds over the same files.

    This machine is shared: a load that comes and goes would favour whichever side ran in the quiet
    part. Rounds of a few images each, with the order swapped every round, put both under the same
    load. Returns (ours images/s, pyvips images/s, our worker's peak RSS in KB, pyvips' mean
    preview bytes)."""
    ours_time = vips_time = 0.0
    peak = vips_bytes = 0
    size = max(2, workers * 2)
    rounds = [paths[i:i + size] for i in range(0, len(paths), size)]
    for number, batch in enumerate(rounds):
        sides = [("ours", _ours), ("vips", vips)]
        for name, function in sides if number % 2 == 0 else sides[::-1]:
            elapsed, results = _timed(pool, function, batch)
            if name == "ours":
                ours_time += elapsed
                peak = max([peak, *results])
            else:
                vips_time += elapsed
                vips_bytes += sum(len(preview) for preview, _thumb in results)
    return len(paths) / ours_time, len(paths) / vips_time, peak, vips_bytes // len(paths)


def _unique_copy(source: bytes, number: int, folder: Path) -> str:
    """`source` with a JPEG comment segment naming `number` after SOI: the same decode work, new
    bytes (so a new SHA-256, not a duplicate)."""
    comment = f"bench copy {number}".encode()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    path = folder / f"copy-{number}.jpg"
    path.write_bytes(source[:2] + segment + source[2:])
    return str(path)


def _rss_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _long_ingest(paths: list[str], count: int) -> list[tuple[int, int]]:
    """Ingest `count` unique photos in this one process; (images done, RSS KB) every 50 images."""
    sources = [Path(path).read_bytes() for path in paths]
    samples = [(0, _rss_kb())]
    with tempfile.TemporaryDirectory() as folder:
        for number in range(count):
            copy = _unique_copy(sources[number % len(sources)], number, Path(folder))
            _ours(copy)
            os.unlink(copy)
            if (number + 1) % 50 == 0:
                samples.append((number + 1, _rss_kb()))
    return samples


def _rss_run(paths: list[str], count: int) -> dict[str, object]:
    """One worker process ingests `count` photos; RSS growth from the first 50 to the end."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        start = time.perf_counter()
        samples = pool.submit(_long_ingest, paths, count).result()
        elapsed = time.perf_counter() - start
    for done, rss in samples:
        print(f"  after {done:>5} images: RSS {rss / 1024:7.1f} MB")
    settled = samples[1][1] if len(samples) > 1 else samples[0][1]
    growth = (samples[-1][1] - settled) / 1024
    return {"rss_images": count, "rss_seconds": round(elapsed, 1),
            "rss_start_mb": round(samples[0][1] / 1024, 1), "rss_after_50_mb": round(settled / 1024, 1),
            "rss_end_mb": round(samples[-1][1] / 1024, 1), "rss_peak_mb": round(max(r for _, r in samples) / 1024, 1),
            "rss_growth_after_50_mb": round(growth, 1), "rss_meets_target": samples[-1][1] / 1024 < 500}


def _database_name(url: str | None) -> str:
    return "postgresql" if (url or "").startswith("postgresql") else "sqlite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int)
    parser.add_argument("--megapixels", type=int, default=12, choices=(12, 24))
    parser.add_argument("--rss", type=int, metavar="N",
                        help="instead: ingest N unique photos in one worker and print its RSS along the way")
    parser.add_argument("--database-url", help="an EMPTY database to use (default: SQLite in a temp folder; "
                        "SQLite serializes the workers' commits, so use PostgreSQL for the real figure)")
    args = parser.parse_args()
    count = args.count or (8 if args.quick else 40)
    workers = os.cpu_count() or 1
    photos = generate(Path(tempfile.gettempdir()) / "mediashare-bench-photos", count=count,
                      megapixels=args.megapixels)
    paths = [str(p) for p in photos]

    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["DATA_DIR"] = data_dir
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        else:
            os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
        from mediashare import db, migrations
        from mediashare.models import Role
        from mediashare.services import users
        from mediashare.settings import get_settings

        get_settings.cache_clear()
        migrations.upgrade()
        with db.session_scope() as session:
            users.create_user(session, actor=None, username="bench", email="bench@example.com",
                              password="bench password 123", role=Role.SUPERUSER)
        db.dispose_all()
        if args.rss:
            figures = {"database": _database_name(args.database_url), **_rss_run(paths, args.rss)}
            print(json.dumps(figures))
            return
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_warm, paths[:workers] * 2))  # both sides start with warm workers
            ours_rate, vips_rate, ours_rss, vips_bytes = _interleaved(pool, paths, workers)

        from mediashare.models import MediaItem
        from mediashare.services import ingest

        with db.session_scope() as session:
            previews = [ingest.storage().path(key, area="derived")
                        for key in session.exec(select(MediaItem.preview_key)).all()]
            ours_bytes = sum(path.stat().st_size for path in previews) // len(previews)
            item = session.query(MediaItem).order_by(MediaItem.id).first()
            preview_path = ingest.storage().path(item.preview_key, area="derived")
            source = Path(paths[0]) if item.original_filename == Path(paths[0]).name else \
                next(Path(p) for p in paths if Path(p).name == item.original_filename)
        truth = reference(source)
        ours_psnr = psnr(truth, Image.open(preview_path).convert("RGB"))
        vips_psnr = psnr(truth, Image.open(io.BytesIO(vips(str(source))[0])).convert("RGB"))
        db.dispose_all()

    figures = {
        "database": _database_name(args.database_url),
        "megapixels": args.megapixels, "images": count, "workers": workers,
        "ours_end_to_end_images_per_s": round(ours_rate, 2),
        "pyvips_derivatives_images_per_s": round(vips_rate, 2),
        "ratio": round(ours_rate / vips_rate, 2),
        "ours_psnr_db": round(float(ours_psnr), 2),
        "pyvips_psnr_db": round(float(vips_psnr), 2),
        "ours_preview_kb": round(ours_bytes / 1024, 1),
        "pyvips_preview_kb": round(vips_bytes / 1024, 1),
        "worker_peak_rss_mb": round(ours_rss / 1024, 1),
    }
    figures["psnr_gap_db"] = round(figures["pyvips_psnr_db"] - figures["ours_psnr_db"], 2)
    figures["meets_target"] = figures["ratio"] >= 1.0 and figures["psnr_gap_db"] <= 1.0
    for name, value in figures.items():
        print(f"{name:>32}: {value}")
    print(json.dumps(figures, default=float))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
