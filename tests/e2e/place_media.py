"""Give items a date taken and a place in a running server's database, as an edit would.

    python -m tests.e2e.place_media ID:YYYY-MM-DD[:LAT:LON] …   (run with the server's environment)
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from mediashare import db
from mediashare.models import MediaItem


def main(*specs: str) -> None:
    with db.session_scope() as session:
        for spec in specs:
            media_id, day, *place = spec.split(":")
            item = session.get(MediaItem, int(media_id))
            assert item is not None, spec
            item.taken_at = item.sort_at = datetime.strptime(day, "%Y-%m-%d").replace(hour=12, tzinfo=UTC)
            if place:
                item.latitude, item.longitude = float(place[0]), float(place[1])
            session.add(item)
        session.commit()


if __name__ == "__main__":
    main(*sys.argv[1:])
    print("[]")
