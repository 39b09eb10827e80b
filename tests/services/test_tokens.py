"""Signed tokens: purpose-bound, expiring, single use, invalidated by account changes."""

from __future__ import annotations

import time

import pytest
from sqlmodel import Session

from mediashare.errors import InvalidToken
from mediashare.services import passwords, tokens
from mediashare.services.tokens import Purpose
from tests.factories import make_user


def test_a_token_is_used_once(session: Session) -> None:
    user = make_user(session)
    token = tokens.issue(purpose=Purpose.VERIFY_EMAIL, user=user, email=user.email)
    found, extra = tokens.consume(session, purpose=Purpose.VERIFY_EMAIL, token=token)
    session.commit()
    assert found.id == user.id and extra == {"email": user.email}
    with pytest.raises(InvalidToken, match="already been used"):
        tokens.consume(session, purpose=Purpose.VERIFY_EMAIL, token=token)


def test_a_token_only_works_for_its_purpose(session: Session) -> None:
    user = make_user(session)
    token = tokens.issue(purpose=Purpose.VERIFY_EMAIL, user=user)
    with pytest.raises(InvalidToken):
        tokens.consume(session, purpose=Purpose.RESET_PASSWORD, token=token)
    with pytest.raises(InvalidToken):
        tokens.peek(session, purpose=Purpose.VERIFY_EMAIL, token=token[:-2] + "xx")


def test_a_password_change_invalidates_reset_tokens(session: Session) -> None:
    user = make_user(session)
    token = tokens.issue(purpose=Purpose.RESET_PASSWORD, user=user)
    user.password_hash = passwords.hash_password("another good password")
    session.commit()
    with pytest.raises(InvalidToken):
        tokens.peek(session, purpose=Purpose.RESET_PASSWORD, token=token)


def test_tokens_expire(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(session)
    token = tokens.issue(purpose=Purpose.TWO_FACTOR, user=user)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 6 * 60)
    with pytest.raises(InvalidToken, match="took too long"):
        tokens.peek(session, purpose=Purpose.TWO_FACTOR, token=token)
