"""GET /api/health: 200 when every part works, 503 naming the parts that do not."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse

from mediashare.services import health as health_service
from mediashare.settings import get_settings


async def health(request: Request) -> JSONResponse:
    settings = get_settings()
    report = await asyncio.to_thread(
        health_service.check,
        database_url=settings.resolved_database_url,
        redis_url=settings.redis_url,
        media_root=settings.resolved_media_root,
    )
    return JSONResponse(
        report.as_dict(),
        status_code=200 if report.healthy else 503,
        headers={"Cache-Control": "no-store"},
    )
