"""People in a real browser: a face is found in an uploaded photo, named, shown on the person's
page and on the photo, and found by the gallery's search; and the pages at phone width."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from skimage import data

from mediashare import routes
from tests.e2e.conftest import Server, nav, sign_in, store_media

pytestmark = pytest.mark.e2e


def _astronaut(tmp_path: Path) -> Path:
    path = tmp_path / "astronaut.jpg"
    Image.fromarray(data.astronaut()).save(path, format="JPEG", quality=90)
    return path


def test_a_suggested_face_is_named_and_found_by_search(page: Page, server: Server, tmp_path: Path) -> None:
    [media_id] = store_media(server, "demo-user", _astronaut(tmp_path))
    sign_in(page, "demo-user", server.passwords["demo-user"])
    expect(page.locator("#desktop-nav").get_by_text("People", exact=True)).to_be_visible()
    nav(page, "People")
    expect(page).to_have_url(f"{server.url}{routes.PEOPLE}")
    page.click("#find-faces")
    card = page.locator("#people-suggestions .suggestion-card")
    expect(card).to_have_count(1, timeout=30_000)
    expect(page.locator("#scan-progress")).to_contain_text("Looked at 1 of 1")
    face = card.locator("img").first
    expect(face).to_be_visible()
    assert page.evaluate("(img) => fetch(img.src).then(r => r.headers.get('content-type'))",
                         face.element_handle()) == "image/webp"
    card.locator(".person-name-input input").fill("Eileen")
    card.locator(".person-name-submit").click()
    expect(card).to_have_count(0, timeout=30_000)
    person = page.locator("#people-grid .person-card")
    expect(person).to_have_count(1, timeout=30_000)
    expect(person.locator(".person-name")).to_have_text("Eileen")
    expect(person).to_contain_text("1 photo")

    person.click()
    expect(page.locator("#person-name")).to_have_text("Eileen")
    photos = page.locator("#person-photos .person-photo")
    expect(photos).to_have_count(1)
    assert photos.get_attribute("href") == routes.media_page(media_id)

    photos.click()
    expect(page.locator("#media-picture .face-box")).to_have_count(1)
    expect(page.locator("#media-picture .face-box")).to_contain_text("Eileen")
    expect(page.locator("#photo-people .person-chip")).to_contain_text("Eileen")

    page.goto(routes.GALLERY)
    page.fill("#gallery-search", "eileen")
    tiles = page.locator("#media-grid .media-tile")
    expect(tiles).to_have_count(1)
    assert tiles.first.get_attribute("data-id") == str(media_id)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(routes.PEOPLE)
    expect(page.locator("#people-grid .person-card")).to_have_count(1)
    page.goto(routes.media_page(media_id))
    expect(page.locator("#photo-people .person-chip")).to_contain_text("Eileen")
