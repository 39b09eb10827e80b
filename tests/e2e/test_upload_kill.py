"""The whole server killed in the middle of an upload: the reconciler leaves nothing half-made.

A real production server (both configurations) receives a large video through the same endpoint and
headers the browser's upload uses (`POST /_upload`, streamed). Once its bytes are arriving on disk
the server's whole process group gets SIGKILL: no handler, `finally` or shutdown hook runs. Then
the real command `python -m mediashare reconcile` runs, and a restarted server still serves what
was stored before.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from mediashare import routes
from mediashare.settings import PROJECT_ROOT
from mediashare.state.upload import UploadState
from tests.conftest import unavailable
from tests.e2e.conftest import (
    CHROMIUM,
    Server,
    add_photos,
    configured_server,
    running_server,
    sign_in,
)
from tests.e2e.test_raw_socket import RawClient, _session_cookie

pytestmark = pytest.mark.e2e

DECLARED = 200 * 1024 * 1024  # the video the "browser" says it is sending
SENT_BEFORE_KILL = 16 * 1024 * 1024  # what it actually sends before the server dies
CHUNK = 256 * 1024


@pytest.fixture(params=["embedded", "production"])
def doomed_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of its own, which the test kills (module-scoped `server`s are shared)."""
    if not Path(CHROMIUM).exists():
        unavailable("Chromium", f"{CHROMIUM} is missing (scripts/install.sh dev installs it)")
    data_dir = tmp_path_factory.mktemp(f"doomed-{request.param}")
    (data_dir / "tmp").mkdir()
    yield from configured_server(request.param, data_dir, extra_env={"TMPDIR": str(data_dir / "tmp")})


def _report(server: Server) -> dict:
    env = {k: v for k, v in server.env.items() if k != "REDIS_URL"}
    result = subprocess.run([sys.executable, "-m", "tests.e2e.storage_report"], env=env, cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _temporary_files(server: Server) -> dict[str, int]:
    folder = Path(server.env["TMPDIR"])
    return {str(path): path.stat().st_size for path in folder.rglob("*") if path.is_file()}


class StalledUpload(threading.Thread):
    """POST /_upload as the browser's upload does, sending SENT_BEFORE_KILL of DECLARED bytes and
    then stalling (the connection stays open) until the server dies."""

    def __init__(self, server: Server, *, cookie: str, client_token: str, name: str) -> None:
        super().__init__(daemon=True)
        self.server, self.cookie, self.client_token, self.name_sent = server, cookie, client_token, name
        self.stop = threading.Event()
        self.error: BaseException | None = None
        boundary = f"----MediaShareTest{uuid.uuid4().hex}"
        self.content_type = f"multipart/form-data; boundary={boundary}"
        args = json.dumps({"names": [name], "sizes": [DECLARED]})
        self.head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"__reflex_event_args\"\r\n\r\n"
                     f"{args}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
                     f"filename=\"{name}\"\r\nContent-Type: video/mp4\r\n\r\n").encode()
        self.tail = f"\r\n--{boundary}--\r\n".encode()

    def body(self) -> Iterator[bytes]:
        yield self.head
        sent = 0
        while sent < SENT_BEFORE_KILL:
            yield os.urandom(CHUNK)
            sent += CHUNK
        self.stop.wait(300)  # the rest never comes: the server is killed meanwhile

    def run(self) -> None:
        headers = {
            "Reflex-Client-Token": self.client_token,
            "Reflex-Event-Handler": f"{UploadState.get_full_name()}.receive",
            "Cookie": self.cookie, "Origin": self.server.url, "Content-Type": self.content_type,
            "Content-Length": str(len(self.head) + DECLARED + len(self.tail)),
        }
        try:
            httpx.post(f"{self.server.url}/_upload", content=self.body(), headers=headers, timeout=300)
        except BaseException as error:  # expected: the server dies mid-request
            self.error = error


def _wait_for(condition, *, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def test_killing_the_server_mid_upload_then_reconciling_leaves_nothing_half_made(
        doomed_server: Server, browser: Browser) -> None:
    server = doomed_server
    kept = add_photos(server, "demo-user", 2, first_seed=61)  # what was stored before the crash
    before = _report(server)
    temporary_before = _temporary_files(server)
    media_root = Path(server.env["DATA_DIR"]) / "media"
    incoming = media_root / "incoming"

    cookie = _session_cookie(server, "demo-user")
    tab = RawClient(server, cookie=cookie)  # the upload page's websocket: the upload's state is this tab's
    try:
        tab.send(f"{UploadState.get_full_name()}.load", {}, path=routes.UPLOAD)
        tab.collect(1.0)
        upload = StalledUpload(server, cookie=cookie, client_token=tab.token, name="holiday.mp4")
        upload.start()
        partial = _wait_for(
            lambda: [p for p in incoming.glob("*.part") if p.stat().st_size >= SENT_BEFORE_KILL // 2]
            if incoming.is_dir() else [],
            what="the upload's bytes to arrive on disk")
        os.killpg(server.pid, signal.SIGKILL)
    finally:
        tab.close()
    upload.stop.set()  # let the sender notice the connection is gone
    upload.join(timeout=30)
    assert not upload.is_alive() and upload.error is not None, upload.error  # the request died with the server
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{server.url}/api/health", timeout=2)
    assert [path.exists() for path in partial] == [True]  # the half-received file the dead server left

    result = subprocess.run([sys.executable, "-m", "mediashare", "reconcile", "--grace-minutes", "0"],
                            env=server.env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 partial files" in result.stdout, result.stdout

    after = _report(server)
    assert after["items"] == before["items"]  # no pending (or any new) row; what was stored is untouched
    assert [item["id"] for item in after["items"] if item["owner_id"] == after["users"]["demo-user"]["id"]] \
        == kept
    assert {item["status"] for item in after["items"]} == {"ready"}
    assert after["users"] == before["users"]  # storage used and quota reservations as they were
    used = after["users"]["demo-user"]["used"]
    assert used == sum(item["size"] for item in after["items"] if item["id"] in kept)
    files = after["files"]
    assert files.get("incoming", []) == []  # no partial upload left
    originals = {Path(name).name for name in files.get("originals", [])}
    derived = {Path(name).name for name in files.get("derived", [])}
    assert originals == {item["original"] for item in after["items"]}  # no orphan, nothing missing
    avatars = {user["avatar"] for user in after["users"].values() if user["avatar"]}
    assert derived == {key for item in after["items"] for key in item["derived"]} | avatars
    assert set(files) <= {"originals", "derived", "incoming"}, files
    grown = {path: size for path, size in _temporary_files(server).items()
             if size >= CHUNK and temporary_before.get(path) != size}
    assert grown == {}  # no copy of the upload spooled anywhere else

    restarted = dict(server.env)  # same port: the killed server's build serves again
    with running_server(restarted, server.log):
        url = restarted["PUBLIC_URL"]
        context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=url)
        context.set_default_timeout(20_000)
        try:
            page = context.new_page()
            sign_in(page, "demo-user", server.passwords["demo-user"])
            expect(page.locator("#user-menu")).to_be_visible()
            page.goto(routes.GALLERY)
            for media_id in kept:
                tile = page.locator(f"#media-grid .media-tile[data-id='{media_id}']")
                expect(tile.locator("img")).to_be_visible()
            expect(page.locator("#media-grid .media-tile")).to_have_count(len(kept))
            restarted_cookie = _session_cookie(Server(url=url, passwords=server.passwords, log=server.log,
                                                      mailbox=server.mailbox), "demo-user")
            for item in after["items"]:
                response = httpx.get(f"{url}/api/media/{item['id']}/original", headers={"Cookie": restarted_cookie},
                                     timeout=30)
                assert response.status_code == 200
                assert hashlib.sha256(response.content).hexdigest() == item["sha256"]
        finally:
            context.close()
