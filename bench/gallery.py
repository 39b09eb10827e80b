"""Cost of gallery pages at 100,000 items for one person, against a count measured in the same run.

    .venv/bin/python bench/gallery.py [--quick] [--items N] [--admin-url URL]

Creates a scratch PostgreSQL database (dropped afterwards), inserts N media rows for one user
(100,000 by default, 10,000 with --quick) with multi-row inserts (no files), plus some items of a
second user and some trashed ones, then times `gallery.list_page` as the page calls it: the first
page by date taken and by upload date, a type-filtered page, and a deep page (keyset cursor near
the end) for both sorts. The reference is `SELECT count(*)` of that user's items, so the ratios say
what a page costs compared with merely counting the items.

Prints one line per figure, then a JSON object of all figures as the last line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from bench.common import add_ratios, library_arguments, report, scratch_library
from mediashare.models import MediaKind
from mediashare.services import gallery
from mediashare.services.gallery import Sort


def main() -> None:
    args = library_arguments(__doc__.splitlines()[0])
    with scratch_library(args, repeat=(15, 60)) as library:
        session, owner, total, figures = library.session, library.owner, library.total, library.figures

        def deep_cursor(sort: Sort) -> str:
            """The cursor of the page 100 items before the end (found by walking with OFFSET once)."""
            column = "sort_at" if sort is Sort.TAKEN else "uploaded_at"
            value, media_id = session.execute(sa.text(
                f"SELECT {column}, id FROM media_items WHERE owner_id = :o AND trashed_at IS NULL "
                f"ORDER BY {column} DESC, id DESC OFFSET :n LIMIT 1"), {"o": owner.id, "n": int(total * 0.97)},
            ).one()
            return gallery.encode_cursor(value, media_id)

        def page(**options: object) -> Callable[[], object]:
            return lambda: gallery.list_page(session, actor=owner, **options)  # type: ignore[arg-type]

        library.time_cases({
            "count_reference": library.count_reference(),
            "first_page_taken": page(),
            "first_page_uploaded": page(sort=Sort.UPLOADED),
            "first_page_videos": page(kind=MediaKind.VIDEO),
            "deep_page_taken": page(cursor=deep_cursor(Sort.TAKEN)),
            "deep_page_uploaded": page(sort=Sort.UPLOADED, cursor=deep_cursor(Sort.UPLOADED)),
        })
        deep = gallery.list_page(session, actor=owner, cursor=deep_cursor(Sort.TAKEN))
        assert len(deep.cards) == gallery.PAGE_SIZE

    add_ratios(figures, "count_reference", key="ratios_p50_vs_count")
    report(figures)


if __name__ == "__main__":
    main()
