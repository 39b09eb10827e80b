"""Share links over HTTP, for visitors without an account.

POST /api/s/{token}/unlock: the password form of a protected link (a native form post, so the
password never enters Reflex state); a right password sets an HttpOnly cookie bound to this link
and its password, then returns to the link's page.

GET /api/s/{token}/{media_id}/{variant} and GET /api/s/{token}/zip: the files behind a link. Every
request checks the link again (services/shares.py), so a revoked or expired link fails at once
for every URL handed out before (410), and browsers must revalidate (`no-cache`) rather than keep
showing a copy.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from mediashare import db, routes
from mediashare.api import forms
from mediashare.api.media import file_response
from mediashare.errors import Gone, NotFound, PermissionDenied, TooManyRequests, ValidationFailed
from mediashare.services import media_zip, shares

_SAFE = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox",
         "Referrer-Policy": "no-referrer"}


def _refuse(status: int, text: str) -> Response:
    return PlainTextResponse(text, status_code=status, headers={**_SAFE, "Cache-Control": "no-store"})


def _token(request: Request) -> str:
    return str(request.path_params.get("token", ""))


def unlock_token(request: Request, token: str) -> str | None:
    return request.cookies.get(shares.unlock_cookie_name(token))


def _errors(error: Exception) -> Response:
    if isinstance(error, Gone):
        return _refuse(410, str(error))
    if isinstance(error, NotFound):
        return _refuse(404, str(error))
    if isinstance(error, PermissionDenied):
        return _refuse(403, str(error))
    raise error


async def share_media(request: Request) -> Response:
    token = _token(request)
    media_id = str(request.path_params.get("media_id", ""))
    variant = str(request.path_params.get("variant", ""))
    if not (media_id.isascii() and media_id.isdigit() and len(media_id) <= 12) or variant not in shares.VARIANTS:
        return _refuse(404, "That item is not part of this link.")

    def locate():
        with db.session_scope() as session:
            return shares.serve(session, token=token, unlock_token=unlock_token(request, token),
                                media_id=int(media_id), variant=variant)

    try:
        served = await asyncio.to_thread(locate)
    except (NotFound, PermissionDenied) as error:
        return _errors(error)
    return file_response(request, served, cache="private, no-cache")


async def share_zip(request: Request) -> Response:
    token = _token(request)

    def entries():
        with db.session_scope() as session:
            return shares.zip_entries(session, token=token, unlock_token=unlock_token(request, token))

    try:
        files = await asyncio.to_thread(entries)
    except (NotFound, PermissionDenied) as error:
        return _errors(error)
    if not files:
        return _refuse(404, "There is nothing to download behind this link.")
    headers = {**_SAFE, "Cache-Control": "no-store", "Content-Disposition": 'attachment; filename="shared.zip"'}
    return StreamingResponse(media_zip.stream(files), media_type="application/zip", headers=headers)


async def unlock(request: Request) -> Response:
    token = _token(request)
    page = routes.share_page(token) if shares.valid_token(token) else routes.HOME
    try:
        form = await forms.read(request, fields=("password",))
    except forms.Refused as refused:
        return refused.response

    def check() -> str:
        with db.session_scope() as session:
            return shares.unlock(session, token=token, password=form.get("password", ""),
                                 client=forms.client(request))

    try:
        value = await asyncio.to_thread(check)
    except (ValidationFailed, TooManyRequests, NotFound) as error:
        return forms.with_notice(page, str(error))
    response = forms.redirect(page)
    forms.set_cookie(response, shares.unlock_cookie_name(token), value, max_age=shares.UNLOCK_TTL_SECONDS)
    return response
