"""The camera in Chromium with its fake camera (a moving test pattern): a single shot lands in the
gallery, a sequence of three gives three items, the photo booth gives one 2×2 picture whose quadrants
are four different frames; a blocked camera shows the guidance; the page works at phone width."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, Playwright, expect

from mediashare import routes
from mediashare.imaging import photobooth
from mediashare.settings import PROJECT_ROOT
from tests.e2e.conftest import Server, launch_chromium, sign_in

pytestmark = pytest.mark.e2e

FAKE_DEVICE = "--use-fake-device-for-media-stream"
FAKE_UI = "--use-fake-ui-for-media-stream"  # answers the permission prompt with "allow"
ARTIFACTS = None  # set to a folder path to keep screenshots while developing


@pytest.fixture(scope="module")
def camera_browser(playwright: Playwright) -> Iterator[Browser]:
    """Chromium with a fake camera that it may use (the shared browser has no camera)."""
    browser = launch_chromium(playwright, FAKE_DEVICE, FAKE_UI)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def blocked_browser(playwright: Playwright) -> Iterator[Browser]:
    """Chromium with a fake camera but nobody to allow it: the permission is refused."""
    browser = launch_chromium(playwright, FAKE_DEVICE)
    yield browser
    browser.close()


def _page(browser: Browser, server: Server, **options: object) -> Iterator[Page]:
    context = browser.new_context(base_url=server.url, **options)  # type: ignore[arg-type]
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def camera_page(camera_browser: Browser, server: Server) -> Iterator[Page]:
    yield from _page(camera_browser, server, viewport={"width": 1280, "height": 800})


@pytest.fixture
def camera_phone(camera_browser: Browser, server: Server) -> Iterator[Page]:
    yield from _page(camera_browser, server, viewport={"width": 390, "height": 844}, is_mobile=True,
                     has_touch=True, device_scale_factor=2)


def _items(server: Server, username: str) -> list[dict]:
    env = {k: v for k, v in server.env.items() if k != "REDIS_URL"}
    result = subprocess.run([sys.executable, "-m", "tests.e2e.camera_report", username], env=env, cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _open_camera(page: Page, server: Server, username: str) -> tuple[int, int]:
    """Signed in, on /camera with the stream running; the stream's size."""
    sign_in(page, username, server.passwords[username])
    expect(page.locator("#user-menu")).to_be_visible()
    page.locator("#user-menu").click()
    page.locator("#menu-camera").click()
    expect(page).to_have_url(f"{server.url}{routes.CAMERA}")
    expect(page.locator("#camera-size")).to_be_visible()
    width, height = page.locator("#camera-size").inner_text().removeprefix("Camera: ").split("×")
    return int(width), int(height)


def _save(page: Page, results: int) -> None:
    page.click("#camera-upload")
    expect(page.locator(".camera-result")).to_have_count(results, timeout=60_000)
    for status in page.locator(".camera-result-status").all():
        expect(status).to_have_text("stored")


def test_a_single_shot_lands_in_the_gallery_with_its_capture_time(camera_page: Page, server: Server) -> None:
    page = camera_page
    width, height = _open_camera(page, server, "demo-user")
    before = datetime.now(UTC)
    page.click("#camera-shutter")
    expect(page.locator(".camera-shot")).to_have_count(1)
    expect(page.locator("#camera-shutter")).to_be_enabled()
    page.click("#camera-shutter")
    expect(page.locator(".camera-shot")).to_have_count(2)
    page.locator(".camera-shot").nth(0).locator(".camera-keep").click()  # discard the first
    expect(page.locator("#camera-kept")).to_have_text("1 of 2 kept")
    expect(page.locator("#camera-upload")).to_have_text("Save 1 to library")
    _save(page, 1)
    expect(page.locator(".camera-shot")).to_have_count(0)

    (item,) = _items(server, "demo-user")
    assert item["filename"].endswith("-2.jpg")
    assert (item["width"], item["height"]) == (width, height)  # the stream's full size, not a screenshot
    taken = datetime.fromisoformat(item["taken_at"])
    assert before - timedelta(seconds=5) <= taken <= datetime.now(UTC)
    page.click("#camera-gallery-link")
    expect(page.locator("#media-grid .media-tile")).to_have_count(1)


def test_a_sequence_of_three_gives_three_items(camera_page: Page, server: Server) -> None:
    page = camera_page
    _open_camera(page, server, "demo-customer1")
    page.click("#camera-mode-sequential")
    page.select_option("#camera-count", "3")
    page.select_option("#camera-interval", "1")
    page.click("#camera-shutter")
    expect(page.locator("#camera-countdown")).to_be_visible()
    expect(page.locator(".camera-shot")).to_have_count(3, timeout=30_000)
    expect(page.locator("#camera-shutter")).to_be_enabled()
    expect(page.locator("#camera-kept")).to_have_text("3 of 3 kept")
    _save(page, 3)
    items = _items(server, "demo-customer1")
    assert [item["filename"][-6:] for item in items] == ["-1.jpg", "-2.jpg", "-3.jpg"]
    times = [datetime.fromisoformat(item["taken_at"]) for item in items]
    assert times == sorted(times) and times[0] < times[2]  # a second of countdown between shots


def test_a_burst_goes_into_a_new_album_and_the_next_one_into_the_same(camera_page: Page, server: Server) -> None:
    page = camera_page
    _open_camera(page, server, "demo-super")
    page.click("#camera-mode-sequential")
    page.select_option("#camera-count", "2")
    page.select_option("#camera-interval", "1")
    page.click("#camera-shutter")
    expect(page.locator(".camera-shot")).to_have_count(2, timeout=30_000)
    expect(page.locator("#camera-album")).to_have_value("")  # no album unless chosen
    page.select_option("#camera-album", "new")
    expect(page.locator("#camera-album-title")).to_have_value(re.compile(r"^Camera \d{1,2} \w{3} \d{4}$"))
    page.fill("#camera-album-title", "Booth at Anna's 30th")
    _save(page, 2)  # at once: leaving the field sends the title typed just before
    link = page.locator("#camera-album-link")
    expect(link).to_have_text("Open the album Booth at Anna's 30th")
    album_href = link.get_attribute("href") or ""
    album_id = album_href.rsplit("/", 1)[-1]
    assert album_id.isdigit()
    page.click("#camera-shutter")  # the next burst: the album is remembered
    expect(page.locator(".camera-shot")).to_have_count(2, timeout=30_000)
    expect(page.locator("#camera-album")).to_have_value(album_id)
    expect(page.locator("#camera-album option:checked")).to_have_text("Booth at Anna's 30th")
    page.goto(album_href)
    expect(page.locator("#album-title")).to_have_text("Booth at Anna's 30th")
    expect(page.locator("#album-items .album-item")).to_have_count(2)


def test_the_photo_booth_makes_one_picture_of_four_different_frames(camera_page: Page, server: Server) -> None:
    page = camera_page
    width, height = _open_camera(page, server, "demo-customer2")
    page.click("#camera-mode-quad")
    page.select_option("#camera-interval", "1")
    page.select_option("#camera-border", "8")
    page.click("#camera-shutter")
    expect(page.locator(".camera-shot")).to_have_count(4, timeout=30_000)
    expect(page.locator("#camera-upload")).to_be_enabled()
    if ARTIFACTS:
        page.screenshot(path=f"{ARTIFACTS}/camera-quad-review.png", full_page=True)
    _save(page, 1)  # the singles were not kept

    (item,) = _items(server, "demo-customer2")
    strip = photobooth.strip_height(height)  # the date is printed by default
    assert (item["width"], item["height"]) == (2 * width + 24, 2 * height + 24 + strip)
    with Image.open(item["path"]) as picture:
        pixels = np.asarray(picture.convert("RGB")).astype(int)
    cells = [photobooth.quadrant(pixels, i, frame_size=(width, height), border=8) for i in range(4)]
    for i in range(4):
        for j in range(i + 1, 4):
            assert np.abs(cells[i] - cells[j]).mean() > 0.5, f"quadrants {i} and {j} are the same frame"


def test_a_blocked_camera_explains_how_to_allow_it(blocked_browser: Browser, server: Server) -> None:
    for page in _page(blocked_browser, server, viewport={"width": 1280, "height": 800}):
        sign_in(page, "demo-reseller", server.passwords["demo-reseller"])
        expect(page.locator("#user-menu")).to_be_visible()
        page.goto(routes.CAMERA)
        expect(page.locator("#camera-problem-title")).to_have_text("Camera access is blocked")
        expect(page.locator("#camera-problem-text")).to_contain_text("choose Allow for the camera")
        expect(page.locator("#camera-shutter")).to_be_disabled()
        if ARTIFACTS:
            page.screenshot(path=f"{ARTIFACTS}/camera-blocked.png", full_page=True)


def test_the_camera_works_at_phone_width(camera_phone: Page, server: Server) -> None:
    page = camera_phone
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(routes.CAMERA)
    expect(page.locator("#camera-size")).to_be_visible()
    for control in ("#camera-shutter", "#camera-switch", "#camera-mode"):
        box = page.locator(control).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, control
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#camera-shutter").tap()
    expect(page.locator(".camera-shot")).to_have_count(1)
    if ARTIFACTS:
        page.screenshot(path=f"{ARTIFACTS}/camera-phone.png", full_page=True)
    _save(page, 1)
    assert len(_items(server, "demo-admin")) == 1
