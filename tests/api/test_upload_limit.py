"""The gate in front of Reflex's POST /_upload: who may send a body at all, and how big.

The app below the gate stands in for Reflex's upload endpoint (it streams the body the same way
and answers a client that went away with an empty 200, as Reflex does); the probe records every
body message it was handed, so "nothing spooled" is observable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from mediashare import routes
from mediashare.api.upload_limit import UploadLimit
from mediashare.models import Role, User
from mediashare.services import auth, ingest
from tests.factories import PASSWORD, make_user

ORIGIN = "http://localhost:8000"
CLIENT = auth.Client(ip="203.0.113.9", user_agent="pytest")
MB = 1024 * 1024


class Probe:
    """A stand-in for Reflex's upload endpoint that records what reached it."""

    def __init__(self) -> None:
        self.calls = 0
        self.bytes_read = 0
        self.disconnected = False
        self.app = Starlette(routes=[Route(routes.REFLEX_UPLOAD, self.upload, methods=["POST"])])

    async def upload(self, request: Request) -> Response:
        self.calls += 1
        try:
            async for chunk in request.stream():
                self.bytes_read += len(chunk)
        except ClientDisconnect:
            self.disconnected = True
            return Response()
        return Response(status_code=202)


def _post(probe: Probe, *, token: str | None = None, **kwargs: object) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=UploadLimit(probe.app))
        cookies = {routes.SESSION_COOKIE: token} if token else None
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN, cookies=cookies) as client:
            return await client.post(routes.REFLEX_UPLOAD, **kwargs)

    return asyncio.run(go())


async def _chunks(total: int, size: int = 256 * 1024) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def _signed_in(session: Session, *, quota: int | None, role: Role = Role.USER) -> tuple[User, str]:
    user = make_user(session, role=role)
    user.storage_quota_bytes = quota
    session.commit()
    return user, auth.login(session, identifier=user.username, password=PASSWORD, client=CLIENT).token


def test_without_a_session_the_upload_is_refused_before_a_byte_is_read(session: Session) -> None:
    probe = Probe()
    for token in (None, "forged-token"):
        response = _post(probe, token=token, content=b"x" * MB)
        assert response.status_code == 401
    assert probe.calls == 0 and probe.bytes_read == 0


def test_an_announced_size_over_the_cap_gets_413_before_the_body_is_read(session: Session) -> None:
    user, token = _signed_in(session, quota=MB)
    probe = Probe()
    cap = ingest.request_cap(session, actor=user)
    response = _post(probe, token=token, content=b"x" * (cap + 1))
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
    assert probe.calls == 0 and probe.bytes_read == 0


def test_a_streamed_body_of_unknown_length_is_cut_off_with_413_once_over_the_cap(session: Session) -> None:
    user, token = _signed_in(session, quota=MB)
    cap = ingest.request_cap(session, actor=user)
    probe = Probe()
    response = _post(probe, token=token, content=_chunks(cap * 4))
    assert response.status_code == 413
    assert probe.disconnected and probe.bytes_read <= cap


def test_an_upload_within_the_cap_reaches_the_upload_endpoint_whole(session: Session) -> None:
    _, token = _signed_in(session, quota=None)  # the platform default (10 GB)
    probe = Probe()
    assert _post(probe, token=token, content=b"x" * (3 * MB)).status_code == 202
    assert _post(probe, token=token, content=_chunks(3 * MB)).status_code == 202
    assert probe.bytes_read == 6 * MB and not probe.disconnected


def test_a_batch_may_carry_the_whole_quota_even_when_most_of_it_is_used(session: Session) -> None:
    # Re-sending a folder already in the library: the duplicates are not charged, so the batch is
    # not refused for exceeding what is left, only for exceeding what the account could ever hold.
    user, token = _signed_in(session, quota=2 * MB)
    user.storage_used_bytes = 2 * MB - 1
    session.commit()
    probe = Probe()
    assert _post(probe, token=token, content=b"x" * (2 * MB)).status_code == 202


def test_accounts_that_upload_for_others_are_capped_by_the_operator_setting(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mediashare.settings import get_settings

    monkeypatch.setenv("UPLOAD_MAX_REQUEST_BYTES", str(MB))
    get_settings.cache_clear()
    admin, token = _signed_in(session, quota=MB // 2, role=Role.ADMIN)
    cap = ingest.request_cap(session, actor=admin)
    assert cap == MB + ingest.MAX_FILES_PER_REQUEST * ingest.PART_OVERHEAD  # not its own small quota
    probe = Probe()
    assert _post(probe, token=token, content=b"x" * (2 * MB)).status_code == 202
    assert _post(probe, token=token, content=_chunks(cap + MB)).status_code == 413


def test_other_routes_pass_through_untouched(session: Session) -> None:
    probe = Probe()
    probe.app.add_route("/elsewhere", lambda request: Response(status_code=204), methods=["POST"])
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=UploadLimit(probe.app))
        async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
            return await client.post("/elsewhere", content=b"x")
    assert asyncio.run(go()).status_code == 204
