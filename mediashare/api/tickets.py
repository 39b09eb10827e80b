"""GET /api/tickets/attachments/{attachment_id}: a picture attached to a support ticket, for the
requester and the staff handling the ticket only (services/tickets.py decides)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from mediashare import db
from mediashare.api import forms
from mediashare.errors import NotFound
from mediashare.services import auth, tickets

_SAFE = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}


def _load(token: str | None, attachment_id: int) -> tuple[bytes, str] | None:
    with db.session_scope() as session:
        viewer = auth.resolve(session, token)
        if viewer is None:
            return None
        return tickets.read_attachment(session, viewer=viewer, attachment_id=attachment_id)


async def attachment(request: Request) -> Response:
    raw = str(request.path_params.get("attachment_id", ""))
    attachment_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else 0
    no_store = {**_SAFE, "Cache-Control": "no-store"}
    try:
        found = await asyncio.to_thread(_load, forms.session_token(request), attachment_id)
    except NotFound as error:
        return PlainTextResponse(str(error), status_code=404, headers=no_store)
    if found is None:
        return PlainTextResponse("Please sign in to see this picture.", status_code=401, headers=no_store)
    data, version = found
    etag = f'"{version}"'
    headers = {**_SAFE, "Cache-Control": "private, no-cache", "ETag": etag}  # revalidated: access can change
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type=tickets.MEDIA_TYPE, headers=headers)
