"""/catalog/history: what the signed-in user played in the catalog, when and how far; clear one
title or everything (services/catalog_history.py)."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from mediashare import db
from mediashare.errors import MediashareError
from mediashare.models import Role
from mediashare.services import catalog_history
from mediashare.state import arguments, guard, media
from mediashare.state.catalog import _subtitle, _tile
from mediashare.state.session import SessionState


def how_far(position: float | None, duration: float | None) -> tuple[str, int]:
    """("12:03 of 1:40:00", percent) for a history line; ("Started", 0) before any report."""
    if position is None:
        return "Started", 0
    if duration:
        percent = max(0, min(100, round(100 * position / duration)))
        if percent >= 97:
            return "Finished", 100
        return f"{media.clock(position)} of {media.clock(duration)}", percent
    return f"Reached {media.clock(position)}", 0


@dataclass
class HistoryLine:
    id: int
    title: str
    subtitle: str
    poster_url: str
    href: str
    kind: str
    played: str  # "21 Nov 2026, 18:05 UTC"
    plays: str  # "played 3 times"
    progress: str
    percent: int


class CatalogHistoryState(SessionState):
    lines: list[HistoryLine] = []
    loaded: bool = False

    def _fill(self, session, user) -> None:
        lines = []
        for played in catalog_history.history(session, viewer=user):
            tile = _tile(played.card, user.id)
            progress, percent = how_far(played.position_seconds, played.duration_seconds)
            lines.append(HistoryLine(
                id=tile.id, title=tile.title, subtitle=_subtitle(played.card.entry), poster_url=tile.poster_url,
                href=tile.href, kind=tile.kind, played=played.played_at.strftime("%d %b %Y, %H:%M UTC"),
                plays="" if played.plays == 1 else f"played {played.plays} times", progress=progress,
                percent=percent))
        self.lines = lines

    @rx.event
    @guard.requires(Role.USER)
    def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            self._fill(session, user)
        self.loaded = True
        return None

    @rx.event
    @guard.requires(Role.USER)
    def forget(self, entry_id: int):
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                catalog_history.forget(session, actor=user, entry_id=arguments.as_id(entry_id, what="title"))
                self._fill(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success("Removed from your history.")

    @rx.event
    @guard.requires(Role.USER)
    def forget_all(self):
        try:
            with db.session_scope() as session:
                user = self._actor(session)
                count = catalog_history.forget_all(session, actor=user)
                self._fill(session, user)
        except MediashareError as error:
            return rx.toast.error(str(error))
        return rx.toast.success(f"History cleared ({count} title{'s' if count != 1 else ''}).")
