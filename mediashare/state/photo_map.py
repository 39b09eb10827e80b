"""/map: the library's located items as clusters (grouped on the server per zoom level), the newest
photos in view below, and a date filter. The map itself (components/photo_map.py) reports what it
shows; only the clusters of that view are in the state."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError
from mediashare.models import Role
from mediashare.services import gallery, photo_map
from mediashare.state import guard
from mediashare.state.gallery import _day
from mediashare.state.session import SessionState
from mediashare.state.timeline import TimelineTile, tile

WORLD_VIEW = (-60.0, -180.0, 75.0, 180.0, 2)


@dataclass
class MapCluster:
    key: str
    lat: float
    lon: float
    count: int
    thumb_url: str
    href: str
    south: float
    west: float
    north: float
    east: float


class MapState(SessionState):
    clusters: list[MapCluster] = []
    tiles: list[TimelineTile] = []  # the newest photos in view
    in_view: int = 0
    located: int = -1  # how many located items the library has (-1: not known yet)
    tile_url: str = ""
    since: str = ""
    until: str = ""
    loaded: bool = False
    tile_url_draft: str = ""

    _view: tuple[float, float, float, float, int] = WORLD_VIEW

    def _read(self) -> None:
        south, west, north, east, zoom = self._view
        dates = {"since": _day(self.since), "until": _day(self.until, end=True)}
        with db.session_scope() as session:
            actor = self._actor(session)
            found = photo_map.clusters(session, actor=actor, south=south, west=west, north=north, east=east,
                                       zoom=zoom, **dates)
            cards, self.in_view = photo_map.in_view(session, actor=actor, south=south, west=west, north=north,
                                                    east=east, **dates)
            viewer = actor.id
        self.clusters = [
            MapCluster(key=f"{c.media_id}-{c.count}", lat=c.latitude, lon=c.longitude, count=c.count,
                       thumb_url=gallery.thumbnail_url(c.media_id, viewer_id=viewer),
                       href=routes.media_page(c.media_id), south=c.box.south, west=c.box.west,
                       north=c.box.north, east=c.box.east)
            for c in found
        ]
        self.tiles = [tile(card, viewer) for card in cards]  # type: ignore[arg-type]

    @rx.event
    @guard.signed_in
    def load(self):
        """on_load of /map: the whole world until the map reports its view."""
        self.clusters, self.tiles, self.loaded, self.since, self.until = [], [], False, "", ""
        self._view = WORLD_VIEW
        try:
            with db.session_scope() as session:
                user, redirect = self._require_signed_in(session)
                if user is None:
                    return redirect
                self.tile_url = photo_map.tile_url(session)
                self.tile_url_draft = self.tile_url
                self.located = photo_map.in_view(session, actor=user, south=-90, west=-180, north=90, east=180,
                                                 limit=1)[1]
            self._read()
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.loaded = True
        return None

    @rx.event
    @guard.signed_in
    def view_changed(self, view: dict):
        """The map moved or zoomed: {south, west, north, east, zoom} of what it shows."""
        if not isinstance(view, dict):
            return rx.toast.error("That part of the map does not exist.")
        try:
            box = photo_map.clean_box(view.get("south"), view.get("west"), view.get("north"), view.get("east"))
            zoom = photo_map.clean_zoom(view.get("zoom"))
            self._view = (box.south, box.west, box.north, box.east, zoom)
            self._read()
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.signed_in
    def set_dates(self, since: str, until: str):
        """Only items taken from `since` to `until` (YYYY-MM-DD, either may be empty)."""
        try:
            start, end = _day(since), _day(until, end=True)
            if start is not None and end is not None and start >= end:
                return rx.toast.error("The first date must come before the last one.")
            self.since, self.until = since, until
            self._read()
        except MediashareError as error:
            return rx.toast.error(str(error))
        return None

    @rx.event
    @guard.signed_in
    def clear_dates(self):
        return self.set_dates("", "")

    @rx.event
    @guard.requires(Role.ADMIN)
    def save_tile_url(self, form_data: dict):
        """Admins: the tile server drawn under the outline ("" for none)."""
        try:
            with db.session_scope() as session:
                self.tile_url = photo_map.set_tile_url(session, actor=self._actor(session),
                                                       value=(form_data or {}).get("tile_url", ""))
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.tile_url_draft = self.tile_url
        return rx.toast.success("Map tiles saved." if self.tile_url else "The map shows the outline only.")
