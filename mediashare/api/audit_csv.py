"""GET /api/admin/audit.csv: the audit log as a CSV download (admins and superusers).

Authorized from our HttpOnly session cookie, like every other route; the filters are the audit
page's, as query parameters. The export is recorded before the first row is sent, then streamed
in batches so a large log never sits in memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from mediashare import db, routes
from mediashare.errors import NotSignedIn, PermissionDenied, ValidationFailed
from mediashare.models import Role, User
from mediashare.services import access, audit_log
from mediashare.services import auth as auth_service

_NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _client(request: Request) -> auth_service.Client:
    return auth_service.Client(
        ip=request.client.host if request.client else "",
        user_agent=request.headers.get("user-agent", ""),
    )


async def audit_csv(request: Request) -> Response:
    token = request.cookies.get(routes.SESSION_COOKIE)
    client = _client(request)
    try:
        filters: audit_log.AuditFilter | None = audit_log.parse_filter(
            **{name: request.query_params.get(name, "") for name in audit_log.FILTER_FIELDS}
        )
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
                audit_log.record_export(session, actor=actor, filters=filters, client=client)
            return actor

    try:
        actor = await asyncio.to_thread(_authorize)
    except NotSignedIn as error:
        return PlainTextResponse(str(error), status_code=401, headers=_NO_STORE)
    except PermissionDenied as error:
        return PlainTextResponse(str(error), status_code=403, headers=_NO_STORE)
    if filters is None:
        return PlainTextResponse(problem, status_code=400, headers=_NO_STORE)

    def _lines() -> Iterator[str]:
        with db.session_scope() as session:
            yield from audit_log.csv_lines(session, actor=actor, filters=filters)

    return StreamingResponse(
        _lines(),
        media_type="text/csv; charset=utf-8",
        headers={**_NO_STORE, "Content-Disposition": 'attachment; filename="mediashare-audit-log.csv"'},
    )
