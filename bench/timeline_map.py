"""Cost of the timeline's months and the map's clusters at 100,000 items for one person, against a
count measured in the same run.

    .venv/bin/python bench/timeline_map.py [--quick] [--items N] [--admin-url URL]

Creates a scratch PostgreSQL database (dropped afterwards), inserts N media rows for one user
(100,000 by default, 10,000 with --quick; 60% with a place spread over a few hundred towns) plus a
second user's and some trashed ones, then times what the pages call: `timeline.months` (one
aggregate for the scrubber), the first page of the newest month and of a month deep in the past,
and `photo_map.clusters` for the whole world (zoom 2), a country (zoom 6) and a city (zoom 12), plus
`photo_map.in_view` for the whole world. The reference is `SELECT count(*)` of that user's items.

Prints one line per figure, then a JSON object of all figures as the last line.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlmodel import Session

from bench.common import Library, add_ratios, library_arguments, report, scratch_library
from mediashare.models import MediaItem
from mediashare.services import photo_map, timeline


def place(session: Session, owner_id: int, rng: random.Random, share: float = 0.6) -> None:
    """Give `share` of the owner's items a place near one of 300 towns."""
    towns = [(rng.uniform(-50, 65), rng.uniform(-170, 175)) for _ in range(300)]
    ids = session.execute(sa.select(MediaItem.id).where(MediaItem.owner_id == owner_id)).scalars().all()
    chosen = [media_id for media_id in ids if rng.random() < share]
    rows = []
    for media_id in chosen:
        lat, lon = rng.choice(towns)
        rows.append({"i": media_id, "lat": lat + rng.gauss(0, 0.05), "lon": lon + rng.gauss(0, 0.05)})
    for start in range(0, len(rows), 5_000):
        session.execute(sa.text("UPDATE media_items SET latitude = :lat, longitude = :lon WHERE id = :i"),
                        rows[start:start + 5_000])
    session.commit()


def _place_both(library: Library) -> None:
    place(library.session, library.owner.id, library.rng)  # type: ignore[arg-type]
    place(library.session, library.other.id, library.rng)  # type: ignore[arg-type]


def main() -> None:
    args = library_arguments(__doc__.splitlines()[0])
    with scratch_library(args, repeat=(10, 40), also=_place_both) as library:
        session, owner, figures = library.session, library.owner, library.figures
        months = timeline.months(session, actor=owner)
        figures["months"] = len(months)
        old = months[len(months) * 3 // 4]
        town = photo_map.clusters(session, actor=owner, zoom=2, south=-85, west=-180, north=85, east=180)[0]
        lat, lon = town.latitude, town.longitude

        def clusters(zoom: int, half: float) -> Callable[[], object]:
            return lambda: photo_map.clusters(session, actor=owner, zoom=zoom, south=lat - half,
                                              west=lon - 2 * half, north=lat + half, east=lon + 2 * half)

        library.time_cases({
            "count_reference": library.count_reference(),
            "timeline_months": lambda: timeline.months(session, actor=owner),
            "newest_month_page": lambda: timeline.month_page(session, actor=owner, year=months[0].year,
                                                             month=months[0].month),
            "old_month_page": lambda: timeline.month_page(session, actor=owner, year=old.year, month=old.month),
            "clusters_world_z2": lambda: photo_map.clusters(session, actor=owner, zoom=2, south=-85,
                                                            west=-180, north=85, east=180),
            "clusters_country_z6": clusters(6, 5),
            "clusters_city_z12": clusters(12, 0.1),
            "in_view_world": lambda: photo_map.in_view(session, actor=owner, south=-85, west=-180, north=85,
                                                       east=180),
        })
        world = photo_map.clusters(session, actor=owner, zoom=2, south=-85, west=-180, north=85, east=180)
        figures["world_clusters"] = len(world)

    add_ratios(figures, "count_reference", key="ratios_p50_vs_count")
    report(figures)


if __name__ == "__main__":
    main()
