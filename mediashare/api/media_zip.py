"""GET /api/media/zip?t=<signed>: the chosen originals as one streamed ZIP."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from mediashare import db
from mediashare.errors import InvalidToken, NotFound, ValidationFailed
from mediashare.services import media_zip

_SAFE = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


def _entries(token: str) -> list[media_zip.Entry]:
    viewer_id, ids = media_zip.verify(token)
    with db.session_scope() as session:
        return media_zip.entries(session, viewer_id=viewer_id, ids=ids)


async def download_zip(request: Request) -> Response:
    try:
        files = await asyncio.to_thread(_entries, request.query_params.get("t", ""))
    except (InvalidToken, ValidationFailed) as error:
        return PlainTextResponse(str(error), status_code=403, headers=_SAFE)
    except NotFound as error:
        return PlainTextResponse(str(error), status_code=404, headers=_SAFE)
    if not files:
        return PlainTextResponse("None of those items can be downloaded.", status_code=404, headers=_SAFE)
    headers = {**_SAFE, "Content-Disposition": 'attachment; filename="mediashare.zip"'}
    return StreamingResponse(media_zip.stream(files), media_type="application/zip", headers=headers)
