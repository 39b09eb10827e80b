"""GET /api/branding/{branding_id}/logo?v=<content hash>: a reseller's logo, for anyone.

Public on purpose: it is shown on the reseller's sign-in page (/r/<slug>) and in emails. The bytes
are our own re-encoded PNG (services/branding.py), never the upload, and never from assets/ or
Reflex's upload folder. The URL carries the content hash, so a matching `v` may be cached for a
year; any other `v` (an old link) gets the current logo with a short cache life.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from mediashare import db
from mediashare.errors import NotFound
from mediashare.services import branding

_SAFE = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}


def _load(branding_id: int) -> tuple[bytes, str]:
    with db.session_scope() as session:
        return branding.read_logo(session, branding_id=branding_id)


async def logo(request: Request) -> Response:
    raw = str(request.path_params.get("branding_id", ""))
    branding_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else 0
    try:
        data, version = await asyncio.to_thread(_load, branding_id)
    except NotFound as error:
        return PlainTextResponse(str(error), status_code=404, headers={**_SAFE, "Cache-Control": "no-store"})
    etag = f'"{version}"'
    current = request.query_params.get("v") == version
    cache = "public, max-age=31536000, immutable" if current else "public, max-age=300"
    headers = {**_SAFE, "Cache-Control": cache, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=branding.LOGO_MEDIA_TYPE, headers=headers)
