"""Checks for event-handler arguments: any browser can send any JSON, so every argument is checked
for its type and size before a service sees it. Each raises ValidationFailed with a readable
sentence."""

from __future__ import annotations

from mediashare.errors import ValidationFailed


def text(value: object, *, max_length: int, field: str = "") -> str:
    """A string of at most `max_length` characters, trimmed."""
    if not isinstance(value, str) or len(value) > max_length:
        raise ValidationFailed("That input is not valid.", field=field or None)
    return value.strip()


def identifier(value: object, *, field: str = "id") -> int:
    """A positive integer id (a bool or a numeric string is refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise ValidationFailed("That input is not valid.", field=field)
    return value
