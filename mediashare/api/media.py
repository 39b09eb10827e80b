"""GET /api/media/{media_id}/{variant}: the bytes of one item (original, preview, preview_jpeg,
thumbnail, download), for someone who may see it; the preview and thumbnail are those of the
edited version the item shows, if any (the original stays downloadable). And
GET /api/media/{media_id}/versions/{version_id}/{variant}: the files of one edited version.

The caller is known from a signed URL (`?t=`, 15 minutes, bound to the item, the variant and the
viewer), so <img>, <video> and downloads work, or from our session cookie (also when a page's signed
URL has expired while the page stayed open). Either way the item is
checked again now (exists, not pending, still visible to that viewer). The id must be digits and the
variant an allow-listed word; the file comes from the storage key in the database, never from the
URL. Range requests (206/416) come from Starlette's FileResponse; we add ETag/Last-Modified
validation (304) and private caching.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import quote

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from mediashare import db
from mediashare.api import forms
from mediashare.errors import InvalidToken, NotFound, PaymentRequired
from mediashare.models import User
from mediashare.services import auth, media, signed_urls, studio_versions

_SAFE = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}
_NOT_FOUND = "That item does not exist."


def _refuse(status: int, text: str) -> Response:
    return PlainTextResponse(text, status_code=status, headers={**_SAFE, "Cache-Control": "no-store"})


def _viewer(session: Session, token: str | None, signed: str | None, grants: Callable[[signed_urls.Grant], bool],
            ) -> User | None:
    """Who asks: the viewer a valid signature for exactly this file names, else the session's user,
    else None. A bad signature with no session raises InvalidToken."""
    viewer: User | None = None
    refused: InvalidToken | None = None
    if signed:
        try:
            viewer = _granted(session, signed, grants)
        except InvalidToken as error:  # an open page outlives its links: the session may still do
            refused = error
    if viewer is None:
        viewer = auth.resolve(session, token)
    if viewer is None and refused is not None:
        raise refused
    return viewer


def _locate(token: str | None, signed: str | None, media_id: int, variant: str) -> media.Served | None:
    """The file to send, or None when nobody is signed in and there is no valid signature."""
    with db.session_scope() as session:
        viewer = _viewer(session, token, signed, lambda grant: (grant.media_id, grant.variant) == (media_id, variant))
        if viewer is None:
            return None
        return media.serve(session, actor=viewer, media_id=media_id, variant=variant)


def _locate_version(token: str | None, signed: str | None, media_id: int, version_id: int,
                    variant: str) -> media.Served | None:
    """Like `_locate`, for one file of an edited version."""
    with db.session_scope() as session:
        viewer = _viewer(session, token, signed, lambda grant: studio_versions.grant_matches(
            grant, media_id=media_id, version_id=version_id, variant=variant))
        if viewer is None:
            return None
        return studio_versions.serve_version(session, actor=viewer, media_id=media_id, version_id=version_id,
                                             variant=variant)


def _granted(session: Session, signed: str, grants: Callable[[signed_urls.Grant], bool]) -> User:
    """The viewer a signed token names, if it grants exactly the file asked for."""
    grant = signed_urls.verify(signed)
    if not grants(grant) or grant.viewer_id is None:
        raise InvalidToken("This media link is not valid.")
    viewer = session.get(User, grant.viewer_id)
    if viewer is None or not viewer.is_active:
        raise InvalidToken("This media link is not valid.")
    return viewer


def _not_modified(request: Request, etag: str, mtime: float) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        return any(tag.strip().removeprefix("W/") in (etag, "*") for tag in match.split(","))
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, OverflowError):
            return False
    return False


def _digits(value: object) -> int | None:
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


async def media_bytes(request: Request) -> Response:
    media_id = _digits(request.path_params.get("media_id", ""))
    variant = str(request.path_params.get("variant", ""))
    if media_id is None or variant not in media.VARIANTS:
        return _refuse(404, _NOT_FOUND)
    return await _send(request, _locate, media_id, variant)


async def version_bytes(request: Request) -> Response:
    """GET /api/media/{media_id}/versions/{version_id}/{variant}: one file of an edited version
    (full, preview, preview_jpeg, thumbnail, download), for the item's owner."""
    media_id = _digits(request.path_params.get("media_id", ""))
    version_id = _digits(request.path_params.get("version_id", ""))
    variant = str(request.path_params.get("variant", ""))
    if media_id is None or version_id is None or variant not in studio_versions.VERSION_VARIANTS:
        return _refuse(404, _NOT_FOUND)
    return await _send(request, _locate_version, media_id, version_id, variant)


async def _send(request: Request, locate: Callable[..., media.Served | None], *ids: int | str) -> Response:
    signed = request.query_params.get("t")
    try:
        served = await asyncio.to_thread(locate, forms.session_token(request), signed, *ids)
    except InvalidToken as error:
        return _refuse(403, str(error))
    except NotFound:
        return _refuse(404, _NOT_FOUND)
    except PaymentRequired as error:
        return _refuse(402, str(error))
    if served is None:
        return _refuse(401, "Please sign in to see this item.")
    return file_response(request, served)


def file_response(request: Request, served: media.Served, *, cache: str = "private, max-age=3600") -> Response:
    """Send `served` with validators (304), ranges (206/416, from FileResponse) and safe headers;
    shared by every byte route (ours and share links')."""
    stat = served.path.stat()
    last_modified = formatdate(stat.st_mtime, usegmt=True)
    headers = {**_SAFE, "Cache-Control": cache, "ETag": served.etag, "Last-Modified": last_modified}
    if served.download_name is not None:
        ascii_name = served.download_name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
        headers["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(served.download_name, safe='')}"
        )
    if _not_modified(request, served.etag, stat.st_mtime):
        return Response(status_code=304, headers=headers)
    return FileResponse(served.path, media_type=served.content_type, headers=headers, stat_result=stat)
