"""A gate in front of Reflex's `POST /_upload`, which would otherwise take a body of any size from
anyone (it runs before our upload handler, which authorizes only once the body streams in).

Before a byte of the body is read: no valid `ms_session` cookie → 401; a Content-Length above
the sender's cap (`ingest.request_cap`) → 413. While the body streams (chunked or unknown length,
or a client sending more than it announced), the bytes are counted, and once over the cap the app
below is told the client went away (it drops what it has, and our handler removes its partial
file) and the client gets 413.
"""

from __future__ import annotations

import asyncio

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mediashare import db, routes
from mediashare.services import auth, ingest


def _cap(token: str | None) -> int | None:
    """The signed-in sender's cap in bytes, or None without a valid session."""
    if not token:
        return None
    with db.session_scope() as session:
        actor = auth.resolve(session, token)
        return None if actor is None else ingest.request_cap(session, actor=actor)


def _refuse(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def _too_large(cap: int) -> JSONResponse:
    return _refuse(413, f"This upload is larger than the {cap // 1024**2:,} MB one upload may carry; "
                        "send fewer files at once.")


class UploadLimit:
    """ASGI middleware: authorize and cap uploads before Reflex spools them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != routes.REFLEX_UPLOAD:
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        cap = await asyncio.to_thread(_cap, connection.cookies.get(routes.SESSION_COOKIE))
        if cap is None:
            await _refuse(401, "Sign in to upload.")(scope, receive, send)
            return
        length = connection.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > cap):
            response = _too_large(cap) if length.isdigit() else _refuse(400, "Bad Content-Length.")
            await response(scope, receive, send)
            return
        await self._counted(scope, receive, send, cap)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, cap: int) -> None:
        received = 0
        over = started = False

        async def counting_receive() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    over = True  # the app sees a client that went away and drops what it has
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over and not started:
                return  # the app's answer to a "disconnect": the client gets our 413 instead
            started = True
            await send(message)

        await self.app(scope, counting_receive, guarded_send)
        if over and not started:
            await _too_large(cap)(scope, receive, send)
