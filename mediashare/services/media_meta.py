"""Correcting when and where items were taken, for one item or many at once (the gallery's bulk
actions): set a date and time, shift dates by an amount (a camera whose clock was wrong), set a
place, or remove it. Every change is atomic over the chosen items, keeps the gallery's order
(`sort_at`) in step, and is audited once per item.

Dates arrive as the wall-clock time the person saw ("YYYY-MM-DDTHH:MM", what an
`<input type="datetime-local">` sends) plus the UTC offset of where the photo was taken; they are
stored in UTC with the offset beside them, as EXIF dates are at upload.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone

from sqlmodel import Session

from mediashare.errors import ValidationFailed
from mediashare.models import AuditAction, MediaItem, User, utc_now
from mediashare.services import audit, gallery
from mediashare.services.auth import Client

EARLIEST = datetime(1826, 1, 1, tzinfo=UTC)  # the oldest surviving photograph
MIN_OFFSET, MAX_OFFSET = -12 * 60, 14 * 60  # UTC−12:00 … UTC+14:00
MAX_SHIFT_MINUTES = 200 * 365 * 24 * 60
_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


def parse_local(text: object) -> datetime:
    """A wall-clock date and time as a browser's datetime-local field sends it (naive)."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed("Enter a date and a time.", field="taken_at")
    value = text.strip()[:19]
    for pattern in _FORMATS:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise ValidationFailed("Enter the date and time as YYYY-MM-DD HH:MM.", field="taken_at")


def check_offset(minutes: object) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not MIN_OFFSET <= minutes <= MAX_OFFSET \
            or minutes % 15:
        raise ValidationFailed("Choose a time zone between UTC−12:00 and UTC+14:00.", field="offset")
    return minutes


def _check_moment(moment: datetime, item: MediaItem | None = None) -> datetime:
    latest = utc_now() + timedelta(days=1)
    if not EARLIEST <= moment <= latest:
        name = f" for {item.title or item.original_filename}" if item is not None else ""
        raise ValidationFailed(f"The date{name} would be {moment:%Y-%m-%d}: choose a date between 1826 and today.",
                               field="taken_at")
    return moment


def _audit(session: Session, *, actor: User, items: list[MediaItem], fields: list[str], client: Client | None,
           details: dict[str, object]) -> None:
    owners: dict[int, User | None] = {}
    for item in items:
        owners.setdefault(item.owner_id, session.get(User, item.owner_id))
        audit.record(session, action=AuditAction.MEDIA_UPDATED, actor=actor, target=owners[item.owner_id],
                     ip=client.ip if client else "", user_agent=client.user_agent if client else "",
                     details={"media_id": item.id, "fields": fields, **details})


def set_taken_at(session: Session, *, actor: User, ids: Iterable[int], local: object, offset_minutes: object,
                 client: Client | None = None) -> int:
    """Give every chosen item the same date taken (wall-clock `local` at UTC `offset_minutes`)."""
    offset = check_offset(offset_minutes)
    moment = _check_moment(parse_local(local).replace(tzinfo=timezone(timedelta(minutes=offset))).astimezone(UTC))
    items = gallery.authorized_items(session, actor=actor, ids=ids)
    now = utc_now()
    for item in items:
        item.taken_at, item.taken_at_offset_minutes, item.sort_at, item.updated_at = moment, offset, moment, now
        session.add(item)
    _audit(session, actor=actor, items=items, fields=["taken_at"], client=client,
           details={"taken_at": moment.isoformat(), "offset_minutes": offset})
    session.commit()
    return len(items)


def shift_taken_at(session: Session, *, actor: User, ids: Iterable[int], minutes: object,
                   client: Client | None = None) -> int:
    """Move every chosen item's date taken by `minutes` (negative: earlier). An item without a
    date taken is shifted from the date the gallery sorts it by (its upload time)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < abs(minutes) <= MAX_SHIFT_MINUTES:
        raise ValidationFailed("Shift by at least one minute, and at most 200 years.", field="shift")
    items = gallery.authorized_items(session, actor=actor, ids=ids)
    now = utc_now()
    for item in items:
        moment = _check_moment((item.taken_at or item.sort_at) + timedelta(minutes=minutes), item)
        item.taken_at, item.sort_at, item.updated_at = moment, moment, now
        session.add(item)
    _audit(session, actor=actor, items=items, fields=["taken_at"], client=client, details={"shift_minutes": minutes})
    session.commit()
    return len(items)


def _coordinate(value: object, *, low: float, high: float, name: str) -> float:
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            value = None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or not low <= value <= high:
        raise ValidationFailed(f"The {name} is a number between {low:g} and {high:g}.", field=name)
    return round(float(value), 7)


def set_location(session: Session, *, actor: User, ids: Iterable[int], latitude: object, longitude: object,
                 client: Client | None = None) -> int:
    """Put every chosen item at one place (decimal degrees, as a map app copies them)."""
    lat = _coordinate(latitude, low=-90, high=90, name="latitude")
    lon = _coordinate(longitude, low=-180, high=180, name="longitude")
    items = gallery.authorized_items(session, actor=actor, ids=ids)
    now = utc_now()
    for item in items:
        item.latitude, item.longitude, item.updated_at = lat, lon, now
        session.add(item)
    _audit(session, actor=actor, items=items, fields=["location"], client=client,
           details={"latitude": lat, "longitude": lon})
    session.commit()
    return len(items)


def clear_location(session: Session, *, actor: User, ids: Iterable[int], client: Client | None = None) -> int:
    """Remove the place from every chosen item."""
    items = gallery.authorized_items(session, actor=actor, ids=ids)
    now = utc_now()
    for item in items:
        item.latitude, item.longitude, item.updated_at = None, None, now
        session.add(item)
    _audit(session, actor=actor, items=items, fields=["location"], client=client, details={"cleared": True})
    session.commit()
    return len(items)
