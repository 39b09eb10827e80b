"""A video browsers cannot play (HEVC in Matroska): the detail page shows the conversion's progress
live, then plays the H.264 playable version by itself; the phone layout holds."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mediashare.imaging import transcoder
from tests.e2e.conftest import Server, _mediashare_module, sign_in, store_media


@pytest.fixture(scope="module")
def video(server: Server, tmp_path_factory: pytest.TempPathFactory) -> int:
    path = tmp_path_factory.mktemp("transcode") / "holiday.mkv"
    subprocess.run([transcoder.ffmpeg_path(), "-nostdin", "-hide_banner", "-loglevel", "error",
                    "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15", "-f", "lavfi", "-i", "sine",
                    "-t", "3", "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                    "-x265-params", "log-level=error:pools=1", "-c:a", "libopus", "-y", str(path)],
                   check=True, timeout=120)
    return store_media(server, "demo-user", path)[0]


def _rows(server: Server, *args: object) -> None:
    env = {k: v for k, v in server.env.items() if k != "REDIS_URL"}
    _mediashare_module(env, "tests.e2e.transcode_rows", *map(str, args))


def test_progress_then_the_playable_version_plays(page: Page, server: Server, video: int) -> None:
    _rows(server, "running", video, 42)
    sign_in(page, "demo-user", server.passwords["demo-user"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(f"/media/{video}")
    expect(page.locator("#media-preparing-text")).to_have_text("Preparing a playable version… 42%")
    expect(page.locator("#media-player")).to_have_count(0)
    expect(page.locator("#media-download")).to_be_visible()  # the original meanwhile

    _rows(server, "make", video)  # the job runs to the end: the page switches by itself
    player = page.locator("#media-player")
    expect(player).to_be_visible(timeout=30_000)
    assert "/playable?t=" in player.get_attribute("src")
    page.wait_for_function("document.getElementById('media-player').readyState >= 2")
    assert page.evaluate("document.getElementById('media-player').duration") == pytest.approx(3, abs=0.3)
    assert page.evaluate("document.getElementById('media-player').videoWidth") == 320
    page.evaluate("document.getElementById('media-player').muted = true")
    page.evaluate("document.getElementById('media-player').play()")
    page.wait_for_function("document.getElementById('media-player').currentTime > 0.5")


def test_the_progress_box_fits_a_phone(phone: Page, server: Server, video: int,
                                       tmp_path_factory: pytest.TempPathFactory) -> None:
    _rows(server, "running", video, 7)
    sign_in(phone, "demo-user", server.passwords["demo-user"])
    expect(phone.locator("#menu-button")).to_be_visible()
    phone.goto(f"/media/{video}")
    expect(phone.locator("#media-preparing-text")).to_have_text("Preparing a playable version… 7%")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shots = Path(tmp_path_factory.getbasetemp()) / "screenshots"
    shots.mkdir(exist_ok=True)
    phone.screenshot(path=str(shots / "media-preparing-390.png"), full_page=True)
