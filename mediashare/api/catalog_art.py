"""GET /api/catalog/{entry_id}/art/{which}: an entry's imported poster or backdrop.

Served only to the entry's audience and managers (services/catalog_import.art re-checks the DB on
every request, from our session cookie); anyone else gets 404. The URL carries the image's version
(`?v=`), so browsers may keep it privately without ever showing a stale one.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from mediashare import db
from mediashare.api import forms
from mediashare.errors import NotFound
from mediashare.services import auth, catalog_import

_SAFE = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}


def _load(token: str | None, entry_id: int, which: str) -> tuple[bytes, str, str] | None:
    with db.session_scope() as session:
        viewer = auth.resolve(session, token)
        if viewer is None:
            return None
        return catalog_import.art(session, viewer=viewer, entry_id=entry_id, which=which)


async def catalog_art(request: Request) -> Response:
    raw = str(request.path_params.get("entry_id", ""))
    entry_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else 0
    which = str(request.path_params.get("which", ""))
    no_store = {**_SAFE, "Cache-Control": "no-store"}
    try:
        found = await asyncio.to_thread(_load, forms.session_token(request), entry_id, which)
    except NotFound as error:
        return PlainTextResponse(str(error), status_code=404, headers=no_store)
    if found is None:
        return PlainTextResponse("Please sign in to see the catalog.", status_code=401, headers=no_store)
    data, content_type, version = found
    etag = f'"{version}"'
    headers = {**_SAFE, "Cache-Control": "private, max-age=86400", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=content_type, headers=headers)
