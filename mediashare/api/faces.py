"""GET /api/faces/{tag_id}: the face crop of one person tag, for the photo's owner.

The caller is known from a signed URL (`?t=`, bound to this tag as variant "face" and to the
viewer) or from our session cookie, and the tag is checked again now (exists, the viewer's own,
has a box). The crop is cut from the picture the item shows (its current version's preview) and
kept in a small in-process cache keyed by that picture and the box, so a grid of faces is fast and
a moved box or a new edit is never served stale.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import threading
from collections import OrderedDict

import numpy as np
from PIL import Image
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from mediashare import db
from mediashare.api import forms
from mediashare.api.media import _digits, _viewer
from mediashare.errors import InvalidToken, NotFound
from mediashare.imaging import faces
from mediashare.services import ingest, people

VARIANT = people.FACE_VARIANT
CACHE_SIZE = 512  # crops (~5–15 KB each)
_SAFE = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}
_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_lock = threading.Lock()


def _render(crop: people.Crop) -> bytes:
    with ingest.storage().open(crop.preview_key, area="derived") as handle, Image.open(handle) as image:
        pixels = np.asarray(image.convert("RGB"))
    cut = faces.crop(pixels, faces.Box(x=crop.box.x, y=crop.box.y, w=crop.box.w, h=crop.box.h), side=256)
    out = io.BytesIO()
    Image.fromarray(cut).save(out, format="WEBP", quality=82)
    return out.getvalue()


def _crop_bytes(token: str | None, signed: str | None, tag_id: int) -> tuple[bytes, str] | None:
    with db.session_scope() as session:
        viewer = _viewer(session, token, signed, lambda grant: (grant.media_id, grant.variant) == (tag_id, VARIANT))
        if viewer is None:
            return None
        crop = people.crop_of(session, actor=viewer, tag_id=tag_id)
    key = hashlib.sha256(f"{crop.preview_key}|{crop.box}".encode()).hexdigest()[:32]
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached, key
    try:
        data = _render(crop)
    except (OSError, ValueError):
        raise NotFound(people.TAG_NOT_FOUND) from None
    with _cache_lock:
        _cache[key] = data
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return data, key


def _refuse(status: int, text: str) -> Response:
    return PlainTextResponse(text, status_code=status, headers={**_SAFE, "Cache-Control": "no-store"})


async def face_bytes(request: Request) -> Response:
    tag_id = _digits(request.path_params.get("tag_id", ""))
    if tag_id is None:
        return _refuse(404, people.TAG_NOT_FOUND)
    try:
        found = await asyncio.to_thread(_crop_bytes, forms.session_token(request), request.query_params.get("t"),
                                        tag_id)
    except InvalidToken as error:
        return _refuse(403, str(error))
    except NotFound:
        return _refuse(404, people.TAG_NOT_FOUND)
    if found is None:
        return _refuse(401, "Please sign in to see this face.")
    data, key = found
    etag = f'"{key}"'
    headers = {**_SAFE, "Cache-Control": "private, max-age=3600", "ETag": etag}
    match = request.headers.get("if-none-match")
    if match is not None and any(tag.strip().removeprefix("W/") in (etag, "*") for tag in match.split(",")):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type="image/webp", headers=headers)
