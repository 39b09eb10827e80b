"""The audit page (/admin/audit): filters, newest-first pages, and the link to the CSV export."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import reflex as rx

from mediashare import db, routes
from mediashare.errors import MediashareError
from mediashare.models import AuditAction, Role
from mediashare.services import audit_log
from mediashare.state import guard
from mediashare.state.arguments import as_text
from mediashare.state.session import SessionState

ACTIONS = ["any", *(action.value for action in AuditAction)]
_MAX_DEPTH = 10_000  # pages one can step back through


@dataclass
class AuditRow:
    """One event as the page shows it (text only)."""

    id: int
    time: str
    action: str
    actor: str
    target: str
    ip: str
    user_agent: str
    details: str


class AuditLogState(SessionState):
    entries: list[AuditRow] = []
    page_number: int = 1
    has_older: bool = False
    loaded: bool = False
    notice: str = "Loading…"

    actor: str = ""
    target: str = ""
    action: str = "any"
    since: str = ""
    until: str = ""

    _older: int | None = None
    _cursors: list[int | None] = []  # `before` of each page visited; the last is the current page

    def _filter(self) -> audit_log.AuditFilter:
        return audit_log.parse_filter(actor=self.actor, target=self.target,
                                      action="" if self.action == "any" else self.action,
                                      since=self.since, until=self.until)

    @rx.var
    def export_url(self) -> str:
        """The CSV export of what the page shows (all pages)."""
        values = {"actor": self.actor, "target": self.target, "action": "" if self.action == "any" else self.action,
                  "since": self.since, "until": self.until}
        query = urlencode({key: value for key, value in values.items() if value})
        return f"{routes.API_AUDIT_CSV}?{query}" if query else routes.API_AUDIT_CSV

    def _fetch(self, before: int | None) -> rx.event.EventSpec | None:
        try:
            with db.session_scope() as session:
                page = audit_log.query(session, actor=self._actor(session), filters=self._filter(), before=before)
        except MediashareError as error:
            self.entries, self.loaded, self.notice = [], False, str(error)
            return rx.toast.error(str(error))
        self.entries = [
            AuditRow(id=entry.id, time=entry.created_at.strftime("%Y-%m-%d %H:%M:%S"), action=entry.action,
                     actor=entry.actor_label, target=entry.target_label, ip=entry.ip, user_agent=entry.user_agent,
                     details=entry.details)
            for entry in page.entries
        ]
        self._older, self.has_older, self.loaded = page.older, page.older is not None, True
        return None

    @rx.event
    @guard.signed_in  # the service refuses anyone below admin, and the page says so
    def load(self):
        self.actor = self.target = self.since = self.until = ""
        self.action = "any"
        self._cursors, self.page_number = [None], 1
        with db.session_scope() as session:
            user, redirect = self._require_signed_in(session)
            if user is None:
                return redirect
        return self._fetch(None)

    @rx.event
    @guard.requires(Role.ADMIN)
    def apply(self, form_data: dict):
        """The filter form: check every field before using any."""
        try:
            if not isinstance(form_data, dict):
                raise MediashareError("The form could not be read. Please try again.")
            values = {name: as_text(form_data.get(name, ""), max_length=audit_log.MAX_PERSON_LENGTH, field=name)
                      for name in audit_log.FILTER_FIELDS}
            action = values["action"] if values["action"] != "any" else ""
            parsed = audit_log.parse_filter(**{**values, "action": action})
        except MediashareError as error:
            return rx.toast.error(str(error))
        self.actor, self.target = parsed.actor, parsed.target
        self.action = parsed.action.value if parsed.action else "any"
        self.since = parsed.since.isoformat() if parsed.since else ""
        self.until = parsed.until.isoformat() if parsed.until else ""
        self._cursors, self.page_number = [None], 1
        return self._fetch(None)

    @rx.event
    @guard.requires(Role.ADMIN)
    def older(self):
        if self._older is None or len(self._cursors) >= _MAX_DEPTH:
            return None
        self._cursors = [*self._cursors, self._older]
        self.page_number = len(self._cursors)
        return self._fetch(self._older)

    @rx.event
    @guard.requires(Role.ADMIN)
    def newer(self):
        if len(self._cursors) <= 1:
            return None
        self._cursors = self._cursors[:-1]
        self.page_number = len(self._cursors)
        return self._fetch(self._cursors[-1])
