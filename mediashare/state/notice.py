"""The sentence a form route sent along with its redirect (`?notice=…`), for the page to show."""

from __future__ import annotations

from mediashare.services import notices
from mediashare.state.session import SessionState


class NoticeState(SessionState):
    """Base of the states of pages that form routes redirect to. Only sealed notices are shown:
    a link someone crafted cannot put words on our pages."""

    notice_text: str = ""
    notice_kind: str = ""  # "success", "error" or "info"

    def _take_notice(self) -> None:
        """On page load: show the notice in this URL, or clear the previous page's."""
        notice = notices.unseal(self.router.url.query_parameters.get("notice"))
        self.notice_text = notice.text if notice else ""
        self.notice_kind = notice.kind if notice else ""

    def _query(self, name: str, limit: int) -> str:
        """A plain query parameter (a field value to put back into a form), bounded."""
        value = self.router.url.query_parameters.get(name, "")
        return value[:limit] if isinstance(value, str) else ""
