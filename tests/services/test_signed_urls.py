"""Signed media URLs: bound to item, variant and viewer; expire; cannot be altered."""

from __future__ import annotations

import time

import pytest

from mediashare.errors import InvalidToken
from mediashare.services import signed_urls


def test_a_signature_carries_its_binding() -> None:
    grant = signed_urls.verify(signed_urls.sign(media_id=7, variant="preview", viewer_id=3))
    assert grant == signed_urls.Grant(media_id=7, variant="preview", viewer_id=3)


def test_an_altered_signature_is_refused() -> None:
    token = signed_urls.sign(media_id=7, variant="thumbnail", viewer_id=3)
    forged = token.replace(token[2], "A" if token[2] != "A" else "B", 1)
    with pytest.raises(InvalidToken, match="not valid"):
        signed_urls.verify(forged)


def test_signatures_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    token = signed_urls.sign(media_id=1, variant="original", viewer_id=None)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + signed_urls.DEFAULT_TTL_SECONDS + 5)
    with pytest.raises(InvalidToken, match="expired"):
        signed_urls.verify(token)


def test_a_token_for_another_purpose_is_refused() -> None:
    from mediashare.services import tokens
    from mediashare.services.tokens import Purpose

    other = tokens._serializer(Purpose.VERIFY_EMAIL).dumps([1, "original", None])
    with pytest.raises(InvalidToken):
        signed_urls.verify(other)
