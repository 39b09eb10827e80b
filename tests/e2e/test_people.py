"""People in a real browser: a face is found in an uploaded photo, named, shown on the person's
page and on the photo, and found by the gallery's search; the pages at phone width; and a person
tagged by drawing a box on the photo with the mouse, whose page then shows the face crop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from skimage import data

from bench.photos import synthetic_photo
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


def test_a_box_drawn_with_the_mouse_tags_a_person_and_their_page_shows_the_face(
        page: Page, server: Server, tmp_path: Path) -> None:
    path = tmp_path / "garden.jpg"
    synthetic_photo(900, 600, seed=11).save(path, format="JPEG", quality=90)
    [media_id] = store_media(server, "demo-user", path)
    sign_in(page, "demo-user", server.passwords["demo-user"])
    page.goto(routes.media_page(media_id))
    page.click("#tag-person")
    picture = page.locator("#face-draw-image")
    expect(picture).to_be_visible()
    page.wait_for_function("() => document.querySelector('#face-draw-image')?.naturalWidth > 0")
    expect(page.locator("#face-draw-status")).to_contain_text("No face marked")
    box = picture.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.30, box["y"] + box["height"] * 0.25)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45, steps=8)
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.65, steps=8)
    page.mouse.up()
    expect(page.locator("#face-draw-status")).to_have_text("Face marked.")
    page.fill("#tag-person-form input[name=name]", "Marguerite")
    page.click("#tag-person-form .person-name-submit")
    expect(page.locator("#photo-people .person-chip")).to_contain_text("Marguerite")
    expect(page.locator("#media-picture .face-box").filter(has_text="Marguerite")).to_have_count(1)

    page.goto(routes.PEOPLE)
    page.locator("#people-grid .person-card").filter(has_text="Marguerite").click()
    expect(page.locator("#person-name")).to_have_text("Marguerite")
    tile = page.locator("#person-photos .person-photo-tile")
    expect(tile).to_have_count(1)
    assert tile.locator(".person-photo").get_attribute("href") == routes.media_page(media_id)
    face = tile.locator("img[src*='/api/faces/']")
    expect(face).to_have_count(1)
    face.scroll_into_view_if_needed()
    width, height = page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0 && [img.naturalWidth, img.naturalHeight]",
        arg=face.element_handle()).json_value()
    assert width > 0 and height > 0  # the crop of the drawn box, served by the face route
