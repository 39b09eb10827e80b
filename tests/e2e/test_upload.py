"""Uploading in a real browser: several files at once, with progress, each with its own outcome."""

from __future__ import annotations

import contextlib
import re
import socket
import uuid
from collections.abc import Iterable, Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from mediashare import db, routes
from mediashare.state.upload import UploadState
from tests.e2e.conftest import Server, nav, sign_in
from tests.factories import PASSWORD, make_user
from tests.media_files import jpeg_bytes, png_bytes

pytestmark = pytest.mark.e2e

ARTIFACTS = None  # set to a folder path to keep screenshots while developing


def _files() -> list[dict]:
    return [
        {"name": "beach.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1600, 1200, seed=21)},
        {"name": "forest.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1200, 900, seed=22)},
        {"name": "beach copy.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1600, 1200, seed=21)},
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"this is a shopping list, not a photo\n" * 40},
    ]


def _row(page: Page, name: str):
    return page.locator(".file-row").filter(has=page.locator(".file-name", has_text=re.compile(f"^{re.escape(name)}$")))


def test_a_user_uploads_several_files_and_sees_what_became_of_each(page: Page, server: Server) -> None:
    sign_in(page, "demo-user", server.passwords["demo-user"])
    expect(page.locator("#user-menu")).to_be_visible()
    nav(page, "Upload")
    expect(page).to_have_url(re.compile(re.escape(routes.UPLOAD) + "$"))

    page.locator("#media-upload input[type=file]").set_input_files(_files())
    expect(page.locator("#selected-count")).to_have_text("4 file(s) chosen")
    page.click("#start-upload")

    expect(page.locator("#overall-progress")).to_be_visible()
    expect(page.locator(".file-row")).to_have_count(4)
    expect(page.locator("#done-count")).to_have_text("4 of 4 done", timeout=60_000)
    expect(page.locator("#overall-percent")).to_have_text("Sent 100%")

    expect(_row(page, "beach.jpg").locator(".file-status")).to_have_text("stored")
    expect(_row(page, "forest.jpg").locator(".file-status")).to_have_text("stored")
    expect(_row(page, "beach copy.jpg").locator(".file-status")).to_have_text("duplicate")
    expect(_row(page, "beach copy.jpg").locator(".file-message")).to_have_text(
        "beach copy.jpg is already in the library.")
    expect(_row(page, "notes.jpg").locator(".file-status")).to_have_text("rejected")
    expect(_row(page, "notes.jpg").locator(".file-message")).to_contain_text("notes.jpg: ")
    for name in ("beach.jpg", "forest.jpg"):
        expect(_row(page, name).locator(".file-message")).to_have_text(f"{name} was added.")
    if ARTIFACTS:
        page.screenshot(path=f"{ARTIFACTS}/upload-desktop.png", full_page=True)


def test_a_visitor_is_sent_to_sign_in(page: Page, server: Server) -> None:
    page.goto(routes.UPLOAD)
    expect(page).to_have_url(re.compile(re.escape(routes.LOGIN) + r"\?next=(%2F|/)upload"))


def test_an_admin_uploads_for_a_customer_at_phone_width(phone: Page, server: Server) -> None:
    sign_in(phone, "demo-admin", server.passwords["demo-admin"])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.UPLOAD)
    expect(phone.locator("#owner-picker")).to_be_visible()
    phone.fill("#owner-search", "demo-customer1")
    expect(phone.locator(".owner-choice")).to_have_count(1)
    phone.locator(".owner-choice").click()
    expect(phone.locator("#owner-label")).to_contain_text("@demo-customer1")
    phone.locator("#media-upload input[type=file]").set_input_files(
        [{"name": "for-you.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(seed=23)}])
    phone.click("#start-upload")
    expect(_row(phone, "for-you.jpg").locator(".file-status")).to_have_text("stored", timeout=60_000)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    if ARTIFACTS:
        phone.screenshot(path=f"{ARTIFACTS}/upload-phone.png", full_page=True)


def test_two_hundred_files_in_one_go_each_get_a_result(page: Page, server: Server) -> None:
    sign_in(page, "demo-customer2", server.passwords["demo-customer2"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(routes.UPLOAD)
    files = [{"name": f"tile-{n:03}.png", "mimeType": "image/png", "buffer": png_bytes(8 + n, 8)} for n in range(200)]
    page.locator("#media-upload input[type=file]").set_input_files(files)
    expect(page.locator("#selected-count")).to_have_text("200 file(s) chosen")
    page.click("#start-upload")
    expect(page.locator("#done-count")).to_have_text("200 of 200 done", timeout=180_000)
    expect(page.locator(".file-status", has_text="stored")).to_have_count(200)


def test_cancel_stops_the_upload_and_keeps_nothing_half_received(page: Page, server: Server) -> None:
    sign_in(page, "demo-reseller", server.passwords["demo-reseller"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(routes.UPLOAD)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": 64 * 1024})
    big = jpeg_bytes(3000, 2000, seed=41) + b"\0" * 2_000_000  # ~30 s at this speed
    page.locator("#media-upload input[type=file]").set_input_files(
        [{"name": "slow.jpg", "mimeType": "image/jpeg", "buffer": big}])
    page.click("#start-upload")
    expect(_row(page, "slow.jpg").locator(".file-status")).to_have_text("receiving")
    page.click("#cancel-upload")
    expect(_row(page, "slow.jpg").locator(".file-status")).to_have_text("cancelled")
    expect(page.locator("#start-upload")).to_be_visible()
    incoming = server.log.parent / "media" / "incoming"  # the server's DATA_DIR/media
    _eventually(lambda: not list(incoming.glob("*.part")), "a partial file stayed in incoming/")


def _eventually(check, message: str, timeout: float = 20.0) -> None:
    """Wait for the server to catch up (it learns of a cancelled request when the socket closes)."""
    import time

    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, message
        time.sleep(0.1)


# The gate in front of Reflex's POST /_upload, over real sockets to the real server ----------------

def _raw_post(server: Server, headers: dict[str, str], body: Iterable[bytes] = ()) -> str:
    """POST /_upload on a raw socket: send the headers, then `body` for as long as the server
    reads it; returns the status line the server answered with."""
    host, port = server.url.removeprefix("http://").split(":")
    lines = [f"POST {routes.REFLEX_UPLOAD} HTTP/1.1", f"Host: {host}:{port}",
             "Content-Type: multipart/form-data; boundary=x", "Reflex-Client-Token: " + str(uuid.uuid4()),
             "Reflex-Event-Handler: " + f"{UploadState.get_full_name()}.receive"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            for piece in body:
                sock.sendall(piece)
        except OSError:  # the server stopped reading and closed: its answer is already on the way
            pass
        answer = b""
        with contextlib.suppress(OSError):
            while b"\r\n" not in answer:
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
    return answer.split(b"\r\n", 1)[0].decode()


def _chunked(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A valid multipart body, chunk-encoded, that Reflex reads to the end: one huge field that is
    not a file (which Reflex parses and ignores, so its handler never starts)."""
    head = b'--x\r\nContent-Disposition: form-data; name="filler"\r\n\r\n'
    yield f"{len(head):x}\r\n".encode() + head + b"\r\n"
    for _ in range(total // size):
        yield f"{size:x}\r\n".encode() + b"x" * size + b"\r\n"
    tail = b"\r\n--x--\r\n"
    yield f"{len(tail):x}\r\n".encode() + tail + b"\r\n0\r\n\r\n"


def _small_quota_cookie(server: Server) -> str:
    """A fresh account with a 1 MB quota in the server's database, signed in over HTTP."""
    with db.session_scope(server.database_url) as session:
        user = make_user(session)
        user.storage_quota_bytes = 1024 * 1024
        session.commit()
        username = user.username
    response = httpx.post(f"{server.url}{routes.API_LOGIN}", headers={"Origin": server.url},
                          data={"identifier": username, "password": PASSWORD, "next": "/"})
    assert response.status_code == 303, response.text
    return f"{routes.SESSION_COOKIE}={response.cookies[routes.SESSION_COOKIE]}"


def test_an_upload_without_a_session_is_refused_before_its_body_is_sent(server: Server) -> None:
    # 1 TB announced and not a byte of it sent: the answer comes anyway, so nothing was read.
    assert " 401 " in _raw_post(server, {"Content-Length": str(10**12)}) + " "
    assert " 401 " in _raw_post(server, {"Content-Length": str(10**12), "Cookie": "ms_session=forged"}) + " "


def test_an_upload_announcing_more_than_the_cap_is_refused_at_once(server: Server) -> None:
    status = _raw_post(server, {"Content-Length": str(10**12), "Cookie": _small_quota_cookie(server)})
    assert " 413 " in status + " "


def test_a_chunked_upload_over_the_cap_is_cut_off(server: Server) -> None:
    cookie = _small_quota_cookie(server)  # cap: 1 MB quota + multipart overhead allowance
    status = _raw_post(server, {"Transfer-Encoding": "chunked", "Cookie": cookie}, _chunked(64 * 1024 * 1024))
    assert " 413 " in status + " "


def test_a_selection_larger_than_the_quota_is_explained_and_not_sent(page: Page, server: Server) -> None:
    with db.session_scope(server.database_url) as session:
        user = make_user(session)
        user.storage_quota_bytes = 1024 * 1024
        session.commit()
        username = user.username
    sign_in(page, username, PASSWORD)
    page.goto(routes.UPLOAD)
    chooser = page.locator("#media-upload input[type=file]")
    chooser.set_input_files([{"name": "small.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    expect(page.locator("#start-upload")).to_be_enabled()
    expect(page.locator("#over-cap")).to_have_count(0)

    chooser.set_input_files([{"name": "huge.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8" + b"\0" * 3_000_000}])
    expect(page.locator("#over-cap")).to_contain_text("These files add up to 2.9 MB")
    expect(page.locator("#over-cap")).to_contain_text("at most 1.")
    expect(page.locator("#start-upload")).to_be_disabled()
