"""The map: a library's items that have a place, clustered on the server by a grid per zoom level.

The browser sends the part of the world it shows and its zoom; one aggregate query groups the
located items in that box into grid cells about `CELL_PIXELS` wide on screen, each with its count,
mean position, bounds and newest item (its thumbnail stands for the cluster). So a library of
100,000 located items sends at most a few hundred clusters, whatever the zoom. The photos in view
are read newest first, a page at a time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from mediashare.errors import ValidationFailed
from mediashare.models import MediaItem, User
from mediashare.services import gallery, platform

MIN_ZOOM, MAX_ZOOM = 1, 18
CELL_PIXELS = 80  # a cluster's cell on screen (tiles are 256 px)
MAX_CLUSTERS = 2000
TILE_URL_SETTING = "map_tile_url"


@dataclass(frozen=True)
class Box:
    south: float
    west: float
    north: float
    east: float


@dataclass(frozen=True)
class Cluster:
    latitude: float
    longitude: float
    count: int
    media_id: int  # the newest item in it
    box: Box


def _number(value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationFailed("That part of the map does not exist.")
    return min(max(float(value), low), high)


def clean_box(south: object, west: object, north: object, east: object) -> Box:
    """The shown box, clamped to the world (a view wider than the world is the whole world)."""
    s, n = _number(south, -90, 90), _number(north, -90, 90)
    w, e = _number(west, -1e4, 1e4), _number(east, -1e4, 1e4)
    if s > n:
        raise ValidationFailed("That part of the map does not exist.")
    if e - w >= 360 or e < w:
        return Box(s, -180.0, n, 180.0)
    # Leaflet counts longitudes past ±180 when the world repeats: bring the box back to one world.
    shift = math.floor((w + 180) / 360) * 360
    w, e = w - shift, e - shift
    return Box(s, w, n, min(e, 180.0)) if e <= 180 else Box(s, w, n, 180.0)


def clean_zoom(zoom: object) -> int:
    if isinstance(zoom, float) and zoom.is_integer():
        zoom = int(zoom)
    if not isinstance(zoom, int) or isinstance(zoom, bool):
        raise ValidationFailed("That zoom level does not exist.")
    return min(max(zoom, MIN_ZOOM), MAX_ZOOM)


def cell_degrees(zoom: int) -> float:
    """How many degrees of longitude `CELL_PIXELS` cover at `zoom`."""
    return 360.0 / (256 * 2**zoom) * CELL_PIXELS


def _located(owner_id: int, box: Box, since: datetime | None, until: datetime | None) -> list:
    conditions = [
        MediaItem.owner_id == owner_id,
        MediaItem.trashed_at.is_(None),  # type: ignore[union-attr]
        MediaItem.latitude.is_not(None),  # type: ignore[union-attr]
        MediaItem.longitude.is_not(None),  # type: ignore[union-attr]
        MediaItem.latitude.between(box.south, box.north),  # type: ignore[union-attr]
        MediaItem.longitude.between(box.west, box.east),  # type: ignore[union-attr]
    ]
    if since is not None:
        conditions.append(MediaItem.sort_at >= since)
    if until is not None:
        conditions.append(MediaItem.sort_at < until)
    return conditions


def _floor(session: Session, value: sa.ColumnElement) -> sa.ColumnElement:
    if session.get_bind().dialect.name == "postgresql":
        return sa.func.floor(value)
    return sa.cast(value, sa.Integer)  # the values are never negative here: truncating is flooring


def clusters(session: Session, *, actor: User, south: object, west: object, north: object, east: object,
             zoom: object, owner_id: int | None = None, since: datetime | None = None,
             until: datetime | None = None) -> list[Cluster]:
    """The located items (trash excluded) in the box, grouped per grid cell of `zoom`; biggest first."""
    owner = gallery.owner_for(session, actor=actor, owner_id=owner_id)
    box, level = clean_box(south, west, north, east), clean_zoom(zoom)
    size = cell_degrees(level)
    row = _floor(session, (MediaItem.latitude + 90) / size).label("r")  # type: ignore[operator]
    col = _floor(session, (MediaItem.longitude + 180) / size).label("c")  # type: ignore[operator]
    query = (
        sa.select(
            sa.func.count().label("n"),
            sa.func.avg(MediaItem.latitude), sa.func.avg(MediaItem.longitude),
            sa.func.max(MediaItem.id),
            sa.func.min(MediaItem.latitude), sa.func.min(MediaItem.longitude),
            sa.func.max(MediaItem.latitude), sa.func.max(MediaItem.longitude),
        )
        .where(*_located(owner.id, box, since, until))  # type: ignore[arg-type]
        .group_by(row, col)
        .order_by(sa.literal_column("n").desc())
        .limit(MAX_CLUSTERS)
    )
    return [
        Cluster(latitude=float(lat), longitude=float(lon), count=int(n), media_id=int(newest),
                box=Box(float(s), float(w), float(nn), float(e)))
        for n, lat, lon, newest, s, w, nn, e in session.execute(query)
    ]


def in_view(session: Session, *, actor: User, south: object, west: object, north: object, east: object,
            owner_id: int | None = None, since: datetime | None = None, until: datetime | None = None,
            limit: int = gallery.PAGE_SIZE) -> tuple[list[gallery.Card], int]:
    """The newest located items in the box (at most `limit`) and how many there are in all."""
    owner = gallery.owner_for(session, actor=actor, owner_id=owner_id)
    box = clean_box(south, west, north, east)
    conditions = _located(owner.id, box, since, until)  # type: ignore[arg-type]
    total = session.execute(sa.select(sa.func.count()).select_from(MediaItem).where(*conditions)).scalar_one()
    limit = max(1, min(int(limit), gallery.MAX_PAGE_SIZE))
    items = session.exec(select(MediaItem).where(*conditions)
                         .order_by(MediaItem.sort_at.desc(), MediaItem.id.desc()).limit(limit))  # type: ignore[attr-defined]
    return [gallery.card(item) for item in items], int(total)


_TILE_URL = re.compile(r"^https://[A-Za-z0-9.\-{}]+(:\d+)?/[^\s\"'<>\\]*$")


def clean_tile_url(value: object) -> str:
    """An https tile URL template with {z}, {x} and {y}, or "" (no tiles); else ValidationFailed."""
    if not isinstance(value, str):
        raise ValidationFailed("The tile URL must be text.", field="tile_url")
    value = value.strip()
    if not value:
        return ""
    if len(value) > 500 or not _TILE_URL.match(value) or not all(part in value for part in ("{z}", "{x}", "{y}")):
        raise ValidationFailed("The tile URL must start with https:// and contain {z}, {x} and {y}, e.g. "
                               "https://tile.openstreetmap.org/{z}/{x}/{y}.png.", field="tile_url")
    return value


def tile_url(session: Session) -> str:
    """The operator's tile server, or "" when the map shows the world outline only."""
    try:
        return clean_tile_url(platform.get(session, TILE_URL_SETTING))
    except ValidationFailed:
        return ""


def set_tile_url(session: Session, *, actor: User, value: object) -> str:
    """Change the tile server (admins; audited by services/platform.py)."""
    url = clean_tile_url(value)
    platform.set_value(session, actor=actor, key=TILE_URL_SETTING, value=url)
    return url
