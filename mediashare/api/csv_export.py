"""The shape every admin CSV download shares (the audit log, the payments history): authorized from
our HttpOnly session cookie (401 without a session, 403 below admin), the page's filters as query
parameters (400 when they cannot be read), the export recorded before the first row, then the rows
streamed so a large export never sits in memory."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from mediashare import db, routes
from mediashare.errors import NotSignedIn, PermissionDenied, ValidationFailed
from mediashare.models import Role, User
from mediashare.services import access
from mediashare.services import auth as auth_service

NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


async def admin_csv(
    request: Request,
    *,
    filter_fields: tuple[str, ...],
    parse_filter: Callable[..., Any],
    record_export: Callable[..., None],
    csv_lines: Callable[..., Iterator[str]],
    filename: str,
) -> Response:
    """Answer `request` with `csv_lines(session, actor=…, filters=…)` as `filename`."""
    token = request.cookies.get(routes.SESSION_COOKIE)
    client = auth_service.Client(ip=request.client.host if request.client else "",
                                 user_agent=request.headers.get("user-agent", ""))
    try:
        filters = parse_filter(**{name: request.query_params.get(name, "") for name in filter_fields})
        problem = ""
    except ValidationFailed as error:
        filters, problem = None, str(error)

    def _authorize() -> User:
        """Who asks (401 without a session, 403 below admin); records the export when it goes ahead."""
        with db.session_scope() as session:
            actor = auth_service.resolve(session, token)
            if actor is None:
                raise NotSignedIn()
            access.require_role(actor, Role.ADMIN)
            if filters is not None:
                record_export(session, actor=actor, filters=filters, client=client)
            return actor

    try:
        actor = await asyncio.to_thread(_authorize)
    except NotSignedIn as error:
        return PlainTextResponse(str(error), status_code=401, headers=NO_STORE)
    except PermissionDenied as error:
        return PlainTextResponse(str(error), status_code=403, headers=NO_STORE)
    if filters is None:
        return PlainTextResponse(problem, status_code=400, headers=NO_STORE)

    def _lines() -> Iterator[str]:
        with db.session_scope() as session:
            yield from csv_lines(session, actor=actor, filters=filters)

    return StreamingResponse(
        _lines(),
        media_type="text/csv; charset=utf-8",
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'},
    )
