"""GET /api/admin/payments.csv: the top-up history as a CSV download (admins and superusers), with the
payments page's filters as query parameters (api/csv_export.py)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from mediashare.api.csv_export import admin_csv
from mediashare.services.payments import reports


async def payments_csv(request: Request) -> Response:
    return await admin_csv(request, filter_fields=reports.FILTER_FIELDS, parse_filter=reports.parse_filter,
                           record_export=reports.record_export, csv_lines=reports.csv_lines,
                           filename="mediashare-payments.csv")
