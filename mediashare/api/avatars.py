"""GET /api/avatars/{user_id}: a profile picture, for signed-in people only.

Avatars never come from assets/ or Reflex's public upload folder: this route reads our session
cookie, then the picture from storage. The URL carries the picture's version (`?v=`), so browsers
may keep it privately for a day without ever showing a stale one.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from mediashare import db
from mediashare.api import forms
from mediashare.errors import NotFound
from mediashare.services import auth, avatars

_SAFE = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}


def _load(token: str | None, user_id: int) -> tuple[bytes, str] | None:
    with db.session_scope() as session:
        viewer = auth.resolve(session, token)
        if viewer is None:
            return None
        return avatars.read(session, viewer=viewer, user_id=user_id)


async def avatar(request: Request) -> Response:
    raw = str(request.path_params.get("user_id", ""))
    user_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None
    try:
        found = await asyncio.to_thread(_load, forms.session_token(request), user_id or 0)
    except NotFound as error:
        return PlainTextResponse(str(error), status_code=404, headers={**_SAFE, "Cache-Control": "no-store"})
    if found is None:
        return PlainTextResponse("Please sign in to see profile pictures.", status_code=401,
                                 headers={**_SAFE, "Cache-Control": "no-store"})
    data, version = found
    etag = f'"{version}"'
    headers = {**_SAFE, "Cache-Control": "private, max-age=86400", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=avatars.MEDIA_TYPE, headers=headers)
