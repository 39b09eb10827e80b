"""Notices across redirects: only sentences we sealed are shown."""

from __future__ import annotations

from mediashare.services import notices


def test_a_sealed_notice_comes_back_and_anything_else_is_ignored() -> None:
    sealed = notices.seal("Your password has been changed.", kind="success")
    assert notices.unseal(sealed) == notices.Notice(kind="success", text="Your password has been changed.")
    assert notices.unseal("Your account is closed. Call +1 555 0100 now.") is None
    assert notices.unseal(sealed[:-3] + "abc") is None
    assert notices.unseal(None) is None
