"""The admin system page: live health of the database, Redis and storage."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import reflex as rx

from mediashare import db
from mediashare.errors import MediashareError
from mediashare.models import Role
from mediashare.services import access
from mediashare.services import health as health_service
from mediashare.settings import get_settings
from mediashare.state import guard
from mediashare.state.session import SessionState


@dataclass
class HealthRow:
    part: str
    status: str
    ok: bool


class SystemState(SessionState):
    rows: list[HealthRow] = []
    version: str = ""
    checked: bool = False

    @rx.event
    @guard.requires(Role.ADMIN)
    async def load(self):
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
            try:
                access.require_role(user, Role.ADMIN)
            except MediashareError as error:
                self.rows, self.checked = [], False
                return rx.toast.error(str(error))
        settings = get_settings()
        report = await asyncio.to_thread(
            health_service.check,
            database_url=settings.resolved_database_url,
            redis_url=settings.redis_url,
            media_root=settings.resolved_media_root,
        )
        self.version = report.version
        self.rows = [
            HealthRow(part=name, status=value, ok=value in ("ok", "not configured"))
            for name, value in report.parts.items()
        ]
        self.checked = True
        return None
