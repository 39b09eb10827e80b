"""Short-lived signed URLs for media bytes: bound to the item, the variant and the viewer.

A browser gets such a URL from a page it was allowed to see; the byte route then checks the
signature, the expiry and the binding instead of a session (so <img> and <video> tags, range
requests and downloads work without cookies). The route still re-checks the item's current state
(trashed, deleted, share revoked): a signature proves only that access was granted recently.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from mediashare.errors import InvalidToken
from mediashare.settings import get_settings

DEFAULT_TTL_SECONDS = 15 * 60
_SALT = "mediashare.media-url"


@dataclass(frozen=True)
class Grant:
    """What a valid signature allows: this viewer may read this variant of this item."""

    media_id: int
    variant: str
    viewer_id: int | None  # None: granted through a share link (the link is checked again)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret(), salt=_SALT)


def sign(*, media_id: int, variant: str, viewer_id: int | None) -> str:
    return _serializer().dumps([media_id, variant, viewer_id])


def verify(token: str, *, max_age: int = DEFAULT_TTL_SECONDS) -> Grant:
    """The grant in `token`; raises InvalidToken when forged, altered or expired."""
    if not token or len(token) > 512:
        raise InvalidToken("This media link is not valid.")
    try:
        media_id, variant, viewer_id = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise InvalidToken("This media link has expired. Reload the page to get a fresh one.") from None
    except (BadSignature, ValueError, TypeError):
        raise InvalidToken("This media link is not valid.") from None
    viewer_ok = viewer_id is None or isinstance(viewer_id, int)
    if not isinstance(media_id, int) or not isinstance(variant, str) or not viewer_ok:
        raise InvalidToken("This media link is not valid.")
    return Grant(media_id=media_id, variant=variant, viewer_id=viewer_id)
