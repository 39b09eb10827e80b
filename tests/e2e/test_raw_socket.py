"""A hostile client speaking Reflex's websocket protocol directly (python-socketio): forged
tokens and wrong argument types are refused, and nothing is sent or changed."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest
import socketio
import websocket

from mediashare import routes
from mediashare.state.account import AccountState
from mediashare.state.system import SystemState
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
NAMESPACE = "/_event"  # Reflex's socket.io namespace (the same as its path)


class RawClient:
    """One socket.io connection to /_event, collecting every update the server sends."""

    def __init__(self, server: Server, *, cookie: str = "") -> None:
        self.token = str(uuid.uuid4())
        self.updates: list[dict[str, Any]] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("event", self.updates.append, namespace=NAMESPACE)
        # websocket-client sends Origin: <the server's own origin> by itself.
        headers = {"Cookie": cookie} if cookie else {}
        self.client.connect(f"{server.url}?token={self.token}", socketio_path="/_event",
                            transports=["websocket"], headers=headers, namespaces=[NAMESPACE], wait_timeout=10)

    def send(self, handler: str, payload: dict[str, Any], *, path: str = "/") -> None:
        self.client.emit("event", {
            "name": handler, "payload": payload, "token": self.token,
            "router_data": {"pathname": path, "query": {}, "asPath": path},
        }, namespace=NAMESPACE)

    def collect(self, seconds: float = 2.0) -> str:
        time.sleep(seconds)
        return repr(self.updates)

    def close(self) -> None:
        self.client.disconnect()


def _session_cookie(server: Server, username: str) -> str:
    response = httpx.post(f"{server.url}{routes.API_LOGIN}", headers={"Origin": server.url},
                          data={"identifier": username, "password": server.passwords[username], "next": "/"})
    assert response.status_code == 303, response.text
    return f"{routes.SESSION_COOKIE}={response.cookies[routes.SESSION_COOKIE]}"


def test_admin_handler_with_a_forged_session_is_refused_and_sends_no_data(server: Server) -> None:
    client = RawClient(server, cookie=f"{routes.SESSION_COOKIE}=forged-{uuid.uuid4().hex}")
    try:
        client.send(f"{SystemState.get_full_name()}.load", {}, path=routes.SYSTEM)
        received = client.collect()
    finally:
        client.close()
    assert "not configured" not in received and "'database'" not in received  # no health rows
    assert "/login?next=" in received  # told to sign in


def test_admin_handler_called_by_a_plain_user_is_refused(server: Server) -> None:
    client = RawClient(server, cookie=_session_cookie(server, "demo-user"))
    try:
        client.send(f"{SystemState.get_full_name()}.load", {}, path=routes.SYSTEM)
        received = client.collect()
    finally:
        client.close()
    assert "'database'" not in received
    assert "You don" in received and "permission" in received


def test_the_same_client_with_a_real_session_gets_its_own_data(server: Server) -> None:
    """Positive control: the harness does reach handlers, so the refusals above mean something."""
    client = RawClient(server, cookie=_session_cookie(server, "demo-user"))
    try:
        client.send(f"{AccountState.get_full_name()}.load", {}, path=routes.ACCOUNT)
        received = client.collect()
    finally:
        client.close()
    assert "demo-user@example.com" in received


@pytest.mark.parametrize("payload", [{"user_id": {"$gt": 0}}, {"user_id": [1, 2]}, {"__class__": "x"}])
def test_unexpected_arguments_are_rejected(server: Server, payload: dict[str, Any]) -> None:
    client = RawClient(server, cookie=_session_cookie(server, "demo-user"))
    try:
        client.send(f"{AccountState.get_full_name()}.load", payload, path=routes.ACCOUNT)
        received = client.collect()
    finally:
        client.close()
    assert "demo-user@example.com" not in received  # the handler did not run with those arguments


def test_generated_setters_are_refused(server: Server) -> None:
    client = RawClient(server, cookie=_session_cookie(server, "demo-user"))
    try:
        client.send(f"{AccountState.get_full_name()}.setvar", {"var_name": "user_role", "value": "superuser"})
        received = client.collect()
    finally:
        client.close()
    assert "'superuser'" not in received
    assert "not available" in received


def test_a_foreign_origin_cannot_connect(server: Server) -> None:
    url = server.url.replace("http://", "ws://") + "/_event/?EIO=4&transport=websocket"
    own = websocket.create_connection(url, origin=server.url, timeout=10)
    assert own.recv().startswith("0{")  # engine.io open packet
    own.close()
    with pytest.raises(websocket.WebSocketBadStatusException, match="403"):
        websocket.create_connection(url, origin="http://evil.example", timeout=10)
