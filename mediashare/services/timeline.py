"""The timeline: a library by month, newest first, with the count of each month for the scrubber.

The months and their counts come from one aggregate query over the stored month of each item's
sort time (`sort_month`, kept in step with `sort_at` by the model): an index-only scan of
(owner_id, trashed_at, sort_month), with no date arithmetic per row. The items of a month are
read a page at a time with the gallery's keyset pages limited to that month, so a library of
100,000 items never loads more than what is on screen. Months are calendar months of `sort_at` (the date taken, else the
upload date) in UTC, like the dates the gallery shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session

from mediashare.errors import ValidationFailed
from mediashare.models import MediaItem, User
from mediashare.services import gallery

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
MIN_YEAR, MAX_YEAR = 1800, 2200


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    count: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"


def months(session: Session, *, actor: User, owner_id: int | None = None) -> list[Month]:
    """Every month of the library (trash excluded) with how many items it holds, newest first."""
    owner = gallery.owner_for(session, actor=actor, owner_id=owner_id)
    query = (
        sa.select(MediaItem.sort_month, sa.func.count())
        .where(MediaItem.owner_id == owner.id, MediaItem.trashed_at.is_(None))  # type: ignore[union-attr]
        .group_by(MediaItem.sort_month)
        .order_by(sa.desc(MediaItem.sort_month))
    )
    return [Month(int(key) // 100, int(key) % 100, int(n)) for key, n in session.execute(query)]


def month_bounds(year: object, month: object) -> tuple[datetime, datetime]:
    """[start, end) of a calendar month in UTC; ValidationFailed for anything that is not one."""
    if (not isinstance(year, int) or isinstance(year, bool) or not isinstance(month, int)
            or isinstance(month, bool) or not MIN_YEAR <= year <= MAX_YEAR or not 1 <= month <= 12):
        raise ValidationFailed("That month is not in the timeline.")
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def month_page(session: Session, *, actor: User, year: int, month: int, owner_id: int | None = None,
               cursor: str | None = None, limit: int = gallery.PAGE_SIZE) -> gallery.Page:
    """One page of one month's items, newest first (`cursor`: the page after that one)."""
    start, end = month_bounds(year, month)
    return gallery.list_page(session, actor=actor, owner_id=owner_id, since=start, until=end, cursor=cursor,
                             limit=limit)
