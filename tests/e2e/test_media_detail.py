"""The media detail page in a real browser: picture and metadata, a video that plays, seeks and
remembers where it was, previous/next by keyboard, history, and 404s for someone else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server, sign_in, store_media
from tests.media_files import jpeg_bytes, webm_file


@pytest.fixture(scope="module")
def items(server: Server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    folder = tmp_path_factory.mktemp("media")
    photo = folder / "IMG_0001.JPG"
    photo.write_bytes(jpeg_bytes(1200, 900))
    video = webm_file(folder / "clip.webm")
    photo_id, video_id = store_media(server, "demo-user", photo, video)
    return {"photo": photo_id, "video": video_id}


def test_the_owner_sees_the_photo_plays_the_video_and_resumes(
        page: Page, server: Server, items: dict[str, int]) -> None:
    sign_in(page, "demo-user", server.passwords["demo-user"])
    expect(page.locator("#user-menu")).to_be_visible()

    page.goto(f"/media/{items['photo']}")
    expect(page.locator("#media-title")).to_have_text("IMG_0001")
    image = page.locator("#media-image")
    expect(image).to_be_visible()
    page.wait_for_function("document.getElementById('media-image').naturalWidth > 0")
    assert page.evaluate("document.getElementById('media-image').currentSrc").find("/preview?t=") > 0
    metadata = page.locator("#media-metadata")
    expect(metadata).to_contain_text("Canon EOS R6")
    expect(metadata).to_contain_text("1200 × 900")
    expect(metadata).to_contain_text("14 Jul 2023, 18:05:09 (UTC+02:00)")
    expect(metadata).to_contain_text("SHA-256")

    page.goto(f"/media/{items['video']}")
    player = page.locator("#media-player")
    expect(player).to_be_visible()
    page.wait_for_function("document.getElementById('media-player').readyState >= 1")
    assert page.evaluate("document.getElementById('media-player').duration") == pytest.approx(15, abs=0.5)
    page.evaluate("""() => new Promise((done) => {
        const p = document.getElementById('media-player');
        p.muted = true;
        p.addEventListener('seeked', () => done(), {once: true});
        p.currentTime = 7.2;
    })""")
    page.evaluate("document.getElementById('media-player').play()")
    page.wait_for_function("document.getElementById('media-player').currentTime > 7.4")

    page.keyboard.press("ArrowRight")  # still playing; the video is newer than the photo (taken in 2023)
    expect(page).to_have_url(re.compile(rf"/media/{items['photo']}$"))
    expect(page.locator("#media-previous")).to_have_attribute("href", f"/media/{items['video']}")
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(rf"/media/{items['video']}$"))
    resume = page.locator("#media-resume")
    expect(resume).to_have_text(re.compile(r"Resume from 0:0[78]"))  # saved on leaving

    resume.click()
    page.wait_for_function("document.getElementById('media-player').currentTime >= 7")
    page.evaluate("""() => new Promise((done) => {
        const p = document.getElementById('media-player');
        p.addEventListener('seeked', () => done(), {once: true});
        p.currentTime = 9.5;
    })""")
    page.evaluate("document.getElementById('media-player').pause()")
    page.wait_for_timeout(800)  # the pause event reaches the server
    page.reload()
    expect(page.locator("#media-resume")).to_have_text(re.compile(r"Resume from 0:(09|10)"))

    page.goto("/history")
    expect(page.locator("#continue-watching")).to_contain_text("clip")
    expect(page.locator("#recently-viewed")).to_contain_text("IMG_0001")


def test_renaming_and_the_download_link(page: Page, server: Server, items: dict[str, int]) -> None:
    sign_in(page, "demo-user", server.passwords["demo-user"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(f"/media/{items['photo']}")
    page.click("#media-edit")
    page.fill("#media-title-input", "Summer in Zürich")
    page.fill("#media-description-input", "A warm evening.")
    page.click("#media-save")
    expect(page.locator("#media-title")).to_have_text("Summer in Zürich")
    expect(page.locator("#media-description")).to_have_text("A warm evening.")
    href = page.locator("#media-download").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert "filename*=UTF-8''Summer%20in%20Z%C3%BCrich.jpg" in response.headers["content-disposition"]


def test_someone_else_gets_the_404_page_and_a_404_for_the_bytes(
        browser: Browser, server: Server, items: dict[str, int]) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in(page, "demo-customer1", server.passwords["demo-customer1"])
        expect(page.locator("#user-menu")).to_be_visible()
        page.goto(f"/media/{items['photo']}")
        expect(page.locator("#not-found-title")).to_be_visible()
        expect(page.locator("#media-detail")).to_have_count(0)
        for variant in ("original", "preview", "download"):
            assert page.request.get(f"/api/media/{items['photo']}/{variant}").status == 404
    finally:
        context.close()


def test_the_detail_page_fits_a_phone(phone: Page, server: Server, items: dict[str, int],
                                      tmp_path_factory: pytest.TempPathFactory) -> None:
    sign_in(phone, "demo-user", server.passwords["demo-user"])
    expect(phone.locator("#menu-button")).to_be_visible()
    phone.goto(f"/media/{items['photo']}")
    phone.wait_for_function("document.getElementById('media-image')?.naturalWidth > 0")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shots = Path(tmp_path_factory.getbasetemp()) / "screenshots"
    shots.mkdir(exist_ok=True)
    phone.screenshot(path=str(shots / "media-detail-390.png"), full_page=True)
    phone.goto(f"/media/{items['video']}")
    expect(phone.locator("#media-player")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(shots / "media-video-390.png"), full_page=True)
    phone.goto("/history")
    expect(phone.locator("#recently-viewed")).to_contain_text("clip")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(shots / "history-390.png"), full_page=True)
