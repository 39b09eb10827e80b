"""/timeline: the library by month with a scrubber.

The timeline keeps a window of consecutive months on screen (`sections`), read a page at a time
from the month they start at; "newer" and "older" extend the window in either direction, and the
scrubber (every month with its count, from one query) moves the window to any month. Only the
months' list and the shown tiles are in the state, never the whole library.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError
from mediashare.services import gallery, timeline
from mediashare.state import guard
from mediashare.state.session import SessionState

CHUNK = 90  # tiles per step in either direction (a few months, or part of a big one)
MAX_TILES = 600  # a window larger than this drops the far end
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class TimelineTile:
    id: int
    title: str
    kind: str
    thumb_url: str
    href: str


@dataclass
class DayGroup:
    key: str
    label: str
    tiles: list[TimelineTile] = field(default_factory=list)


@dataclass
class MonthSection:
    key: str  # YYYY-MM
    label: str
    count: int
    days: list[DayGroup] = field(default_factory=list)


@dataclass
class ScrubMonth:
    key: str
    year: int
    month: int
    short: str
    count: int
    shown: bool = False


@dataclass
class ScrubYear:
    year: int
    count: int
    months: list[ScrubMonth] = field(default_factory=list)


def tile(card: gallery.Card, viewer_id: int) -> TimelineTile:
    ready = card.has_thumbnail and not card.processing
    return TimelineTile(id=card.id, title=card.title, kind=card.kind.value,
                        thumb_url=gallery.thumbnail_url(card.id, viewer_id=viewer_id) if ready else "",
                        href=routes.media_page(card.id))


def _add(section: MonthSection, card: gallery.Card, viewer_id: int) -> None:
    key = card.sort_at.strftime("%Y-%m-%d")
    if not section.days or section.days[-1].key != key:
        section.days.append(DayGroup(key=key, label=card.sort_at.strftime("%A %-d %B")))
    section.days[-1].tiles.append(tile(card, viewer_id))


class TimelineState(SessionState):
    sections: list[MonthSection] = []
    years: list[ScrubYear] = []
    total: int = 0
    loaded: bool = False
    notice: str = "Loading…"
    has_newer: bool = False
    has_older: bool = False
    jump_key: str = ""  # the month the scrubber jumped to (the page scrolls to it)

    # The window: months[_first] … months[_last] are (partly) shown; `_cursor` continues _last.
    _months: list[tuple[int, int, int]] = []
    _first: int = 0
    _last: int = -1
    _cursor: str = ""

    # Reading -----------------------------------------------------------------------------------------

    def _read_month(self, session, actor, index: int, cursor: str | None, limit: int) -> tuple[MonthSection, str]:
        year, month, count = self._months[index]
        page = timeline.month_page(session, actor=actor, year=year, month=month, cursor=cursor, limit=limit)
        section = MonthSection(key=f"{year:04d}-{month:02d}", label=timeline.Month(year, month, count).label,
                               count=count)
        for card in page.cards:
            _add(section, card, actor.id)  # type: ignore[arg-type]
        return section, page.next_cursor or ""

    def _older(self, session, actor) -> None:
        """Append about CHUNK tiles after the window (the rest of the last month, then older months)."""
        budget = CHUNK
        sections = list(self.sections)
        while budget > 0:
            if self._cursor:
                extra, self._cursor = self._read_month(session, actor, self._last, self._cursor, budget)
                last = sections[-1]
                for day in extra.days:
                    if last.days and last.days[-1].key == day.key:
                        last.days[-1].tiles = [*last.days[-1].tiles, *day.tiles]
                    else:
                        last.days.append(day)
                sections[-1] = MonthSection(key=last.key, label=last.label, count=last.count, days=list(last.days))
                budget -= sum(len(day.tiles) for day in extra.days)
            elif self._last + 1 < len(self._months):
                self._last += 1
                section, self._cursor = self._read_month(session, actor, self._last, None, min(budget, 200))
                sections.append(section)
                budget -= sum(len(day.tiles) for day in section.days)
            else:
                break
        while sum(len(d.tiles) for s in sections for d in s.days) > MAX_TILES and len(sections) > 1:
            sections.pop(0)
            self._first += 1
        self.sections = sections
        self.has_older = bool(self._cursor) or self._last + 1 < len(self._months)
        self.has_newer = self._first > 0

    def _open_at(self, session, actor, index: int) -> None:
        self._first, self._last, self._cursor, self.sections = index, index - 1, "", []
        self._older(session, actor)

    def _scrubber(self) -> None:
        years: list[ScrubYear] = []
        shown = {s.key for s in self.sections}
        for year, month, count in self._months:
            if not years or years[-1].year != year:
                years.append(ScrubYear(year=year, count=0))
            key = f"{year:04d}-{month:02d}"
            years[-1].count += count
            years[-1].months.append(ScrubMonth(key=key, year=year, month=month, short=SHORT_MONTHS[month - 1],
                                               count=count, shown=key in shown))
        self.years = years

    @rx.event
    @guard.signed_in
    def load(self):
        """on_load of /timeline: the newest months."""
        self.sections, self.years, self.loaded, self.notice, self.jump_key = [], [], False, "Loading…", ""
        try:
            with db.session_scope() as session:
                user, redirect = self._require_signed_in(session)
                if user is None:
                    return redirect
                months = timeline.months(session, actor=user)
                self._months = [(m.year, m.month, m.count) for m in months]
                self.total = sum(m.count for m in months)
                self._open_at(session, user, 0)
        except MediashareError as error:
            self.notice = str(error)
            return rx.toast.error(str(error))
        self._scrubber()
        self.loaded = True
        return None

    @rx.event
    @guard.signed_in
    def load_older(self):
        if not self.has_older:
            return None
        try:
            with db.session_scope() as session:
                self._older(session, self._actor(session))
        except MediashareError as error:
            return rx.toast.error(str(error))
        self._scrubber()
        return None

    @rx.event
    @guard.signed_in
    def load_newer(self):
        """The month before the window's first (and what follows it), keeping the window's top in view."""
        if self._first <= 0:
            return None
        return self._jump(self._first - 1, scroll=False)

    @rx.event
    @guard.signed_in
    def jump(self, year: int, month: int):
        """The scrubber: show the timeline from that month on."""
        try:
            timeline.month_bounds(year, month)
        except MediashareError as error:
            return rx.toast.error(str(error))
        index = next((i for i, (y, m, _n) in enumerate(self._months) if (y, m) == (year, month)), None)
        if index is None:
            return rx.toast.error("That month is not in the timeline.")
        return self._jump(index, scroll=True)

    def _jump(self, index: int, *, scroll: bool):
        year, month, _count = self._months[index]
        key = f"{year:04d}-{month:02d}"
        try:
            with db.session_scope() as session:
                self._open_at(session, self._actor(session), index)
        except MediashareError as error:
            return rx.toast.error(str(error))
        self._scrubber()
        self.jump_key = key
        target = "timeline-top" if index == 0 and not scroll else f"month-{key}"
        return rx.call_script(f"document.getElementById('{target}')?.scrollIntoView({{block: 'start'}})")
