"""Albums in a real browser: an album made from a gallery selection, reordered with the move buttons
and by dragging, given a cover, and played as a slideshow with the keyboard; and at phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, add_photos, nav, sign_in

pytestmark = pytest.mark.e2e

SWIPE_LEFT = """() => {
  const target = document.getElementById('slide-image');
  const touch = (x) => new Touch({identifier: 1, target, clientX: x, clientY: 300});
  target.dispatchEvent(new TouchEvent('touchstart',
                                      {touches: [touch(300)], changedTouches: [touch(300)], bubbles: true}));
  target.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [touch(80)], bubbles: true}));
}"""


def _order(page: Page) -> list[int]:
    return [int(value) for value in page.locator("#album-items .album-item").evaluate_all(
        "tiles => tiles.map(t => t.dataset.id)")]


def _item(page: Page, media_id: int):
    return page.locator(f"#album-items .album-item[data-id='{media_id}']")


def test_an_album_from_the_gallery_is_reordered_covered_and_played(page: Page, server: Server) -> None:
    ids = add_photos(server, "demo-user", 3, first_seed=61)
    sign_in(page, "demo-user", server.passwords["demo-user"])
    page.goto(routes.GALLERY)
    for media_id in ids:
        page.locator(f"#media-grid .media-tile[data-id='{media_id}'] .tile-select").click()
    expect(page.locator("#selected-count")).to_have_text("3 selected")
    page.click("#add-to-album")
    page.fill("#new-album-title", "Lake weekend")
    page.click("#new-album-create")
    expect(page.locator("#album-title")).to_have_text("Lake weekend")
    expect(page.locator("#album-items .album-item")).to_have_count(3)
    assert _order(page) == ids

    _item(page, ids[2]).locator(".move-earlier").click()
    page.wait_for_function(f"() => document.querySelector('#album-items .album-item:nth-child(2)')"
                           f"?.dataset.id === '{ids[2]}'")
    _item(page, ids[0]).locator(".move-later").click()
    page.wait_for_function(f"() => document.querySelector('#album-items .album-item')?.dataset.id === '{ids[2]}'")
    assert _order(page) == [ids[2], ids[0], ids[1]]

    _item(page, ids[1]).drag_to(_item(page, ids[2]))  # native drag and drop onto the first tile
    page.wait_for_function(f"() => document.querySelector('#album-items .album-item')?.dataset.id === '{ids[1]}'")
    assert _order(page) == [ids[1], ids[2], ids[0]]

    _item(page, ids[0]).locator(".set-cover").click()
    expect(_item(page, ids[0]).locator(".cover-badge")).to_be_visible()
    page.reload()
    expect(page.locator("#album-items .album-item")).to_have_count(3)
    assert _order(page) == [ids[1], ids[2], ids[0]]  # the order was saved

    page.click("#start-slideshow")
    slide = page.locator("#slide-image")
    expect(page.locator("#slideshow")).to_be_visible()
    expect(page.locator("#slide-position")).to_have_text("1 / 3")
    assert f"/api/media/{ids[1]}/preview?t=" in slide.get_attribute("src")
    page.click("#slide-play")  # pause auto-advance, so the keys alone move it
    expect(page.locator("#slideshow")).to_have_attribute("data-playing", "false")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#slide-position")).to_have_text("2 / 3")
    expect(page.locator("#slideshow")).to_have_attribute("data-playing", "false")
    assert f"/api/media/{ids[2]}/preview?t=" in slide.get_attribute("src")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#slide-position")).to_have_text("3 / 3")  # wraps around
    assert page.evaluate("fetch(document.querySelector('#slide-image').src).then(r => r.status)") == 200
    page.click("#slide-play")  # playing again: it moves on by itself
    expect(page.locator("#slide-position")).to_have_text("1 / 3", timeout=15_000)
    page.keyboard.press("Escape")
    expect(page.locator("#slideshow")).to_have_count(0)

    page.fill("#create-sub-album-title", "Day one")
    page.click("#create-sub-album-submit")
    sub = page.locator("#sub-album-grid .album-card", has_text="Day one")
    expect(sub).to_be_visible()
    sub.click()
    expect(page.locator("#album-title")).to_have_text("Day one")
    expect(page.locator("#album-back")).to_have_text("Lake weekend")
    page.click("#move-album")
    page.click("#move-to-top")  # out of "Lake weekend", to the top level
    expect(page.locator("#album-back")).to_have_text("Albums")

    nav(page, "Albums")
    expect(page.locator("#album-grid .album-card", has_text="Day one")).to_be_visible()
    card = page.locator("#album-grid .album-card", has_text="Lake weekend")
    expect(card).to_contain_text("3 item(s)")
    assert f"/api/media/{ids[0]}/thumbnail?t=" in card.locator("img").get_attribute("src")  # the cover


def test_albums_fit_a_phone_and_a_suggested_event_becomes_an_album(phone: Page, server: Server, tmp_path) -> None:
    ids = add_photos(server, "demo-customer2", 3, first_seed=71)  # all taken on 14 Jul 2023
    sign_in(phone, "demo-customer2", server.passwords["demo-customer2"])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.ALBUMS)
    suggestion = phone.locator("#suggestions .suggestion")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text("14 Jul 2023")
    expect(suggestion).to_contain_text("3 photos")
    suggestion.locator(".accept-suggestion").tap()
    expect(phone.locator("#album-title")).to_have_text("14 Jul 2023")
    expect(phone.locator("#album-items .album-item")).to_have_count(3)

    phone.goto(routes.ALBUMS)
    expect(phone.locator("#suggestions")).to_have_count(0)  # those photos are in an album now
    phone.fill("#create-album-title", "Phone album")
    phone.click("#create-album-submit")
    expect(phone.locator("#album-title")).to_have_text("Phone album")
    expect(phone.locator("#album-empty")).to_be_visible()
    phone.goto(routes.GALLERY)
    for media_id in ids[:2]:
        phone.locator(f"#media-grid .media-tile[data-id='{media_id}'] .tile-select").click()
    phone.click("#add-to-album")
    phone.locator(".album-choice", has_text="Phone album").click()
    expect(phone.get_by_text("Added 2 item(s) to the album.")).to_be_visible()
    phone.goto(routes.ALBUMS)
    phone.locator("#album-grid .album-card", has_text="Phone album").click()
    expect(phone.locator("#album-items .album-item")).to_have_count(2)
    _item(phone, ids[1]).locator(".move-earlier").tap()
    phone.wait_for_function(f"() => document.querySelector('#album-items .album-item')?.dataset.id === '{ids[1]}'")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(tmp_path / "album-390.png"))
    phone.click("#start-slideshow")
    expect(phone.locator("#slideshow")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("#slide-play")  # paused: only the swipe moves it
    expect(phone.locator("#slideshow")).to_have_attribute("data-playing", "false")
    expect(phone.locator("#slide-position")).to_have_text("1 / 2")
    phone.evaluate(SWIPE_LEFT)
    expect(phone.locator("#slide-position")).to_have_text("2 / 2")
    phone.click("#slide-close")
    expect(phone.locator("#slideshow")).to_have_count(0)
