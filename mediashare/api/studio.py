"""GET /api/studio/{media_id}/preview/{seq}: one live preview the studio rendered for this browser.

Only our session cookie authorizes it (no signed URLs: a preview is short-lived and private to the
session that rendered it), and the item is checked again for its owner. Unknown items, other
people's items, other sessions' previews and forgotten seqs are all the same 404. Never cached.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from mediashare import db
from mediashare.api import forms
from mediashare.errors import MediashareError
from mediashare.services import auth, studio_preview

_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
_MAX_DIGITS = 18


def _digits(value: object) -> int | None:
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS else None


def _preview(token: str | None, media_id: int, seq: int) -> bytes | None:
    """The JPEG, None when nobody is signed in; NotFound when this session has no such preview."""
    with db.session_scope() as session:
        viewer = auth.resolve(session, token)
        if viewer is None or token is None:
            return None
        return studio_preview.preview_bytes(session, actor=viewer, session_key=auth.token_hash(token),
                                            media_id=media_id, seq=seq)


async def preview(request: Request) -> Response:
    media_id, seq = _digits(request.path_params.get("media_id", "")), _digits(request.path_params.get("seq", ""))
    if media_id is None or seq is None or media_id < 1:
        return PlainTextResponse("That preview does not exist.", status_code=404, headers=_HEADERS)
    try:
        data = await asyncio.to_thread(_preview, forms.session_token(request), media_id, seq)
    except MediashareError:
        return PlainTextResponse("That preview does not exist.", status_code=404, headers=_HEADERS)
    if data is None:
        return PlainTextResponse("Please sign in to see this preview.", status_code=401, headers=_HEADERS)
    return Response(data, media_type="image/jpeg", headers=_HEADERS)
