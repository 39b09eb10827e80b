"""End-to-end ingest throughput (receive, hash, validate, EXIF, store, both derivatives) against
libvips making the same derivatives, in the same run.

    .venv/bin/python bench/ingest.py [--quick] [--count N] [--megapixels 12|24]

Ours: every photo goes through the service layer (ingest.Receiver in 1 MB chunks, ingest.store),
then the derivatives job, in one worker process per core with library threads set to 1. pyvips
makes the same pair (1600 px WebP + 360 px square WebP) from the same files, same pool size.
Prints both throughputs, the ratio (target ≥ 1.0), the preview PSNR of each against a
full-decode Lanczos reference (target: ours within 1 dB of pyvips), and the peak RSS of a worker.
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
    from mediashare.jobs.media import make_derivatives

    media_id = _ingest_one(path)
    make_derivatives(media_id)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _warm(path: str) -> None:
    """Import everything and open a database connection, so timing starts with warm workers."""
    from mediashare import db
    from mediashare.jobs import media  # noqa: F401
    from mediashare.services import ingest  # noqa: F401

    with db.session_scope() as session:
        session.exec(select(1))  # type: ignore[call-overload]
    vips(path)


def _throughput(pool: ProcessPoolExecutor, function, paths: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    results = list(pool.map(function, paths))
    elapsed = time.perf_counter() - start
    peak = max((r for r in results if isinstance(r, int)), default=0)
    return len(paths) / elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int)
    parser.add_argument("--megapixels", type=int, default=12, choices=(12, 24))
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
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_warm, paths[:workers] * 2))  # both sides start with warm workers
            ours_rate, ours_rss = _throughput(pool, _ours, paths)
            vips_rate, _ = _throughput(pool, vips, paths)

        from mediashare.models import MediaItem
        from mediashare.services import ingest

        with db.session_scope() as session:
            item = session.query(MediaItem).order_by(MediaItem.id).first()
            preview_path = ingest.storage().path(item.preview_key, area="derived")
            source = Path(paths[0]) if item.original_filename == Path(paths[0]).name else \
                next(Path(p) for p in paths if Path(p).name == item.original_filename)
        truth = reference(source)
        ours_psnr = psnr(truth, Image.open(preview_path).convert("RGB"))
        vips_psnr = psnr(truth, Image.open(io.BytesIO(vips(str(source))[0])).convert("RGB"))
        db.dispose_all()

    figures = {
        "database": "postgresql" if (args.database_url or "").startswith("postgresql") else "sqlite",
        "megapixels": args.megapixels, "images": count, "workers": workers,
        "ours_end_to_end_images_per_s": round(ours_rate, 2),
        "pyvips_derivatives_images_per_s": round(vips_rate, 2),
        "ratio": round(ours_rate / vips_rate, 2),
        "ours_psnr_db": round(float(ours_psnr), 2),
        "pyvips_psnr_db": round(float(vips_psnr), 2),
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
