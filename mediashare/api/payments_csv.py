"""GET /api/admin/payments.csv: the top-up history as a CSV download (admins and superusers).

Shaped like the audit export: authorized from our HttpOnly session cookie, the filters are the
payments page's as query parameters, the export is audited before the first row, then streamed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from mediashare import db, routes
from mediashare.errors import NotSignedIn, PermissionDenied, ValidationFailed
from mediashare.models import Role, User
from mediashare.services import access
from mediashare.services import auth as auth_service
from mediashare.services.payments import reports

_NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


async def payments_csv(request: Request) -> Response:
    token = request.cookies.get(routes.SESSION_COOKIE)
    client = auth_service.Client(ip=request.client.host if request.client else "",
                                 user_agent=request.headers.get("user-agent", ""))
    try:
        filters: reports.PaymentFilter | None = reports.parse_filter(
            **{name: request.query_params.get(name, "") for name in reports.FILTER_FIELDS}
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
                reports.record_export(session, actor=actor, filters=filters, client=client)
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
            yield from reports.csv_lines(session, actor=actor, filters=filters)

    return StreamingResponse(
        _lines(),
        media_type="text/csv; charset=utf-8",
        headers={**_NO_STORE, "Content-Disposition": 'attachment; filename="mediashare-payments.csv"'},
    )
