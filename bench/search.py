"""Search at 100,000 items for one person on PostgreSQL, against a count measured in the same run.

    .venv/bin/python bench/search.py [--quick] [--items N] [--admin-url URL]

Creates a scratch PostgreSQL database (dropped afterwards), inserts N media rows for one user
(100,000 by default, 10,000 with --quick) and a tenth as many for a second user, each with the
searchable words the app keeps (title, file name, description, camera, lens, tags) drawn from a
fixed vocabulary, then times `gallery.list_page(q=…)` as the gallery calls it: a common word (~10% of
items), a rare tag (~0.2%), the inside of a word, a part of a file name, two words together, words
with a date filter, and a word nothing has. The reference is `SELECT count(*)` of that user's items,
so the ratios say what a search costs compared with merely counting the items. Target: every p50
under 50 ms at 100,000 items.

Prints one line per figure, then a JSON object of all figures as the last line.
"""

from __future__ import annotations

import random
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlmodel import Session

from bench.common import BATCH, START, add_ratios, library_arguments, report, scratch_library
from mediashare.models import MediaItem, MediaKind, MediaStatus
from mediashare.services import gallery

CAMERAS = (("canon", "eos r6"), ("nikon", "z6"), ("sony", "a7 iii"), ("apple", "iphone 13"), ("google", "pixel 7"),
           ("fujifilm", "x-t4"), ("olympus", "om-d e-m10"), ("samsung", "galaxy s21"), ("panasonic", "gh5"),
           ("leica", "q2"))
_VOCABULARY = ("beach sunset mountain lake forest city night snow river garden wedding birthday party family "
              "holiday summer winter spring autumn portrait street market museum bridge castle harbour island "
              "desert canyon waterfall village church festival concert school graduation picnic camping hiking "
              "skiing sailing cycling dog cat horse bird flowers trees clouds rain storm fog dawn dusk")
WORDS = tuple(_VOCABULARY.split())
RARE_TAG = "grandmother"


def seed(session: Session, owner_id: int, total: int, rng: random.Random, *, prefix: str) -> None:
    table = MediaItem.__table__  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    for start in range(0, total, BATCH):
        rows = []
        for index in range(start, min(start + BATCH, total)):
            name = f"IMG_{index:06d}.jpg"
            title = " ".join(rng.sample(WORDS, 2)) if rng.random() < 0.3 else f"IMG_{index:06d}"
            make, model = CAMERAS[index % len(CAMERAS)]
            description = " ".join(rng.sample(WORDS, rng.randint(0, 6)))
            tags = rng.sample(WORDS, rng.randint(0, 3)) + ([RARE_TAG] if rng.random() < 0.002 else [])
            taken = START + timedelta(seconds=rng.randrange(0, 10 * 365 * 86400))
            rows.append({
                "owner_id": owner_id, "uploaded_by_id": owner_id, "status": MediaStatus.READY,
                "kind": MediaKind.IMAGE, "original_filename": name, "title": title, "description": description,
                "extension": "jpg", "mime": "image/jpeg", "size_bytes": 3_000_000,
                "sha256": f"{prefix}{index:060d}", "storage_key": f"{uuid.uuid4().hex}.jpg",
                "taken_at": taken, "sort_at": taken, "uploaded_at": now, "updated_at": now,
                "exif": {"camera_make": make, "camera_model": model}, "thumbnail_key": f"{uuid.uuid4().hex}.webp",
                "error": "", "trashed_at": None,
                "search_text": " ".join([title, name, description, make, model, *tags]).lower(),
            })
        session.execute(sa.insert(table).values(rows))
    session.commit()


def main() -> None:
    args = library_arguments(__doc__.splitlines()[0])
    with scratch_library(args, repeat=(15, 40), seed=seed) as library:
        session, owner, total, figures = library.session, library.owner, library.total, library.figures

        def search(q: str, **options: object) -> Callable[[], object]:
            return lambda: gallery.list_page(session, actor=owner, q=q, **options)  # type: ignore[arg-type]

        library.time_cases({
            "count_reference": library.count_reference(),
            "common_word": search("canon"),
            "rare_tag": search(RARE_TAG),
            "inside_a_word": search("terfal"),
            "file_name_part": search(f"{total // 2:06d}"),
            "two_words": search("beach sunset"),
            "words_and_dates": search("lake", since=START + timedelta(days=365), until=START + timedelta(days=730)),
            "no_match": search("zzqqxx"),
        })
        figures["rare_tag_results"] = len(gallery.list_page(session, actor=owner, q=RARE_TAG).cards)

    add_ratios(figures, "count_reference", key="ratios_p50_vs_count")
    timings = [value["p50_ms"] for label, value in figures.items()  # type: ignore[index]
               if isinstance(value, dict) and "p50_ms" in value and label != "count_reference"]
    figures["slowest_p50_ms"] = max(timings)
    figures["meets_target"] = max(timings) < 50
    report(figures)


if __name__ == "__main__":
    main()
