"""Per-tab background loops (the dashboards' `push`, the bell's `watch`): how each one knows it
should stop, written once.

A loop runs inside `running(...)`, which registers it in `LIVE_LOOPS` (the loops running in this
process; tests count them) and as the newest loop of its kind for its tab. `Loop.wanted()` is
False once the tab's websocket has left this server (the tab closed) or a newer loop of the same
kind for the same tab took over (the component mounted again). Whatever else ends a loop (a
signed-out session, a page left) is the loop's own business; leaving `running` always removes it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

LIVE_LOOPS: dict[str, str] = {}  # loop id → what it feeds (a route, "bell"); only while it runs
_newest: dict[tuple[str, str], str] = {}  # (kind, tab) → the loop id that owns it
_numbers = itertools.count(1)


def tab_open(client_token: str) -> bool:
    """Whether this tab's websocket is still connected to this process (a tab's events, and so its
    loops, run where its socket is)."""
    try:
        from reflex.utils.prerequisites import get_app

        namespace = get_app().app.event_namespace
        return namespace is None or client_token in namespace.token_to_sid
    except Exception:  # no app to ask (unit tests): the other stop conditions still apply
        return True


@dataclass(frozen=True)
class Loop:
    id: str
    kind: str
    tab: str

    def superseded(self) -> bool:
        """A newer loop of the same kind for the same tab took over."""
        return _newest.get((self.kind, self.tab)) != self.id

    def wanted(self) -> bool:
        """Keep going: the tab is open here and no newer loop replaced this one."""
        return not self.superseded() and tab_open(self.tab)


@contextmanager
def running(kind: str, tab: str, feeds: str) -> Iterator[Loop]:
    """Register a loop of `kind` for the tab `tab` while the block runs (it becomes the tab's newest)."""
    loop = Loop(id=f"{kind}:{tab}:{next(_numbers)}", kind=kind, tab=tab)
    LIVE_LOOPS[loop.id] = feeds
    _newest[(kind, tab)] = loop.id
    try:
        yield loop
    finally:
        LIVE_LOOPS.pop(loop.id, None)
        if _newest.get((kind, tab)) == loop.id:
            del _newest[(kind, tab)]
