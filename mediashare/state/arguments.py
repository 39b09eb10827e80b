"""Checking what a browser sends to an event handler: any browser can send any JSON as arguments.

Type hints on handlers convert (`"41"` → 41) but do not validate, so each handler passes its
arguments through these before using them. All raise ValidationFailed, whose sentence a toast
can show.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from mediashare.errors import ValidationFailed

MAX_ID = 2**31 - 1


def as_id(value: object, *, what: str = "account") -> int:
    """A database id: a positive int, or a string of digits, within the column's range."""
    if isinstance(value, str) and value.isdigit() and len(value) <= 10:
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_ID:
        raise ValidationFailed(f"That {what} does not exist.")
    return value


def as_strict_id(value: object, *, field: str = "id") -> int:
    """A positive integer id sent as a JSON number (a bool or a numeric string is refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise ValidationFailed("That input is not valid.", field=field)
    return value


def as_page(value: object, *, last: int) -> int:
    """A page number between 1 and `last`."""
    if isinstance(value, str) and value.isdigit() and len(value) <= 7:
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationFailed("That page does not exist.")
    return min(max(value, 1), max(last, 1))


def as_text(value: object, *, max_length: int, field: str) -> str:
    """A string of at most `max_length` characters."""
    if not isinstance(value, str):
        raise ValidationFailed(f"The {field.replace('_', ' ')} must be text.", field=field)
    if len(value) > max_length:
        raise ValidationFailed(f"The {field.replace('_', ' ')} is too long.", field=field)
    return value


def as_trimmed_text(value: object, *, max_length: int, field: str = "") -> str:
    """A string of at most `max_length` characters, trimmed; anything else gets one plain sentence."""
    if not isinstance(value, str) or len(value) > max_length:
        raise ValidationFailed("That input is not valid.", field=field or None)
    return value.strip()


def as_choice(value: object, choices: Collection[str], *, field: str) -> str:
    """One of `choices`, exactly."""
    if not isinstance(value, str) or value not in choices:
        raise ValidationFailed(f"That is not a valid {field.replace('_', ' ')}.", field=field)
    return value


def as_flag(value: object, *, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed(f"That is not a valid {field.replace('_', ' ')}.", field=field)
    return value


def form_text(form: object, name: str, *, max_length: int) -> str:
    """Field `name` of a submitted form (missing: empty), as text of at most `max_length`."""
    if not isinstance(form, dict):
        raise ValidationFailed("The form could not be read. Please try again.")
    value: Any = form.get(name, "")
    return as_text(value, max_length=max_length, field=name)


def as_credits(value: object, *, field: str = "amount") -> int:
    """A whole number of credits as typed ("1000", "1,000" or "1 000"), at least 1."""
    text = value.replace(",", "").replace(" ", "").replace("\u202f", "") if isinstance(value, str) else ""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 13 or int(text) < 1:
        raise ValidationFailed("Type a whole number of credits, at least 1.", field=field)
    return int(text)
