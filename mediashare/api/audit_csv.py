"""GET /api/admin/audit.csv: the audit log as a CSV download (admins and superusers), with the audit
page's filters as query parameters; streamed in batches (api/csv_export.py)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from mediashare.api.csv_export import admin_csv
from mediashare.services import audit_log


async def audit_csv(request: Request) -> Response:
    return await admin_csv(request, filter_fields=audit_log.FILTER_FIELDS, parse_filter=audit_log.parse_filter,
                           record_export=audit_log.record_export, csv_lines=audit_log.csv_lines,
                           filename="mediashare-audit-log.csv")
