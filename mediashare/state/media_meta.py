"""Reading the "date taken" and "place" forms (the gallery's bulk dialogs and the detail page share
them) and applying them through services/media_meta.py. Each function returns the sentence to show."""

from __future__ import annotations

from sqlmodel import Session

from mediashare.errors import ValidationFailed
from mediashare.models import User
from mediashare.services import media_meta, tags
from mediashare.services.auth import Client
from mediashare.state.arguments import as_choice, form_text

# The zones a person can pick, as (minutes, label): every quarter hour any place uses.
OFFSETS = tuple(
    (str(minutes), f"UTC{'+' if minutes >= 0 else '−'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}")
    for minutes in range(media_meta.MIN_OFFSET, media_meta.MAX_OFFSET + 1, 15)
    if minutes % 60 == 0 or minutes in (-570, -210, 210, 270, 330, 345, 390, 525, 570, 630, 765, 825, -150, 630)
)
_OFFSET_VALUES = {value for value, _ in OFFSETS}


def _whole(form: dict, name: str, *, most: int, label: str) -> int:
    text = form_text(form, name, max_length=8).strip() or "0"
    if not text.isdigit() or int(text) > most:
        raise ValidationFailed(f"The {label} is a whole number from 0 to {most}.", field=name)
    return int(text)


def apply_dates(session: Session, *, actor: User, ids: list[int], form: object, client: Client) -> str:
    """`mode` "set": every item gets `taken_at` (datetime-local) in zone `offset` (minutes);
    `mode` "shift": every item moves by `days`/`hours`/`minutes`, `direction` "later" or "earlier"."""
    if not isinstance(form, dict):
        raise ValidationFailed("The form could not be read. Please try again.")
    mode = as_choice(form.get("mode", "set"), ("set", "shift"), field="mode")
    if mode == "set":
        offset = as_choice(form.get("offset", "0"), _OFFSET_VALUES, field="time zone")
        count = media_meta.set_taken_at(session, actor=actor, ids=ids, local=form_text(form, "taken_at", max_length=25),
                                        offset_minutes=int(offset), client=client)
        return f"Date taken set on {count} item(s)."
    minutes = (_whole(form, "days", most=36_500, label="number of days") * 24 * 60
               + _whole(form, "hours", most=1_000, label="number of hours") * 60
               + _whole(form, "minutes", most=100_000, label="number of minutes"))
    if as_choice(form.get("direction", "later"), ("later", "earlier"), field="direction") == "earlier":
        minutes = -minutes
    count = media_meta.shift_taken_at(session, actor=actor, ids=ids, minutes=minutes, client=client)
    return f"Date taken moved on {count} item(s)."


def apply_place(session: Session, *, actor: User, ids: list[int], form: object, client: Client) -> str:
    if not isinstance(form, dict):
        raise ValidationFailed("The form could not be read. Please try again.")
    count = media_meta.set_location(session, actor=actor, ids=ids,
                                    latitude=form_text(form, "latitude", max_length=24),
                                    longitude=form_text(form, "longitude", max_length=24), client=client)
    return f"Place set on {count} item(s)."


def apply_tags(session: Session, *, actor: User, ids: list[int], form: object, client: Client) -> str:
    """`tags`: comma-separated names; `action` "add" (default) or "remove"."""
    if not isinstance(form, dict):
        raise ValidationFailed("The form could not be read. Please try again.")
    names = tags.parse_names(form_text(form, "tags", max_length=1000))
    if as_choice(form.get("action", "add"), ("add", "remove"), field="action") == "remove":
        count = tags.remove(session, actor=actor, ids=ids, names=names, client=client)
        return f"Removed {len(names)} tag(s) from {count} item(s)."
    count = tags.add(session, actor=actor, ids=ids, names=names, client=client)
    return f"Tagged {count} item(s)."
