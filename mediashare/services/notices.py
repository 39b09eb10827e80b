"""Notices carried across a redirect (`?notice=…`): signed, so a crafted link cannot make our
pages show words we did not write.

A form posted to one of our routes answers with a redirect; the sentence to show on the next page
travels in its query, sealed with SECRET_KEY, and expires after ten minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from itsdangerous import BadSignature, URLSafeTimedSerializer

from mediashare.settings import get_settings

Kind = Literal["success", "error", "info"]
_KINDS = ("success", "error", "info")
_MAX_AGE = 10 * 60
_MAX_TEXT = 500


@dataclass(frozen=True)
class Notice:
    kind: Kind
    text: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret(), salt="mediashare.notice")


def seal(text: str, *, kind: Kind = "error") -> str:
    """`text` (a sentence we wrote) as a value for the `notice` query parameter."""
    return _serializer().dumps([kind, text[:_MAX_TEXT]])


def unseal(value: str | None) -> Notice | None:
    """The notice in a `notice` query value, or None when it is missing, forged or stale."""
    if not value or len(value) > 2048:
        return None
    try:
        kind, text = _serializer().loads(value, max_age=_MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    if kind not in _KINDS or not isinstance(text, str):
        return None
    return Notice(kind=kind, text=text)
