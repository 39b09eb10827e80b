"""Favorites and correcting dates and places, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, add_photos, sign_in

pytestmark = pytest.mark.e2e


def _tile(page: Page, media_id: int):
    return page.locator(f"#media-grid .media-tile[data-id='{media_id}']")


def _grid_order(page: Page) -> list[int]:
    return [int(value) for value in page.locator("#media-grid .media-tile").evaluate_all(
        "tiles => tiles.map(tile => tile.dataset.id)")]


def test_a_user_stars_photos_and_finds_them_in_favorites(page: Page, server: Server) -> None:
    ids = add_photos(server, "demo-user", 3, first_seed=71)
    sign_in(page, "demo-user", server.passwords["demo-user"])
    page.goto(routes.GALLERY)
    star = _tile(page, ids[0]).locator(".tile-star")
    _tile(page, ids[0]).hover()
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")
    _tile(page, ids[1]).locator(".tile-select").click()
    page.click("#bulk-more")
    page.click("#favorite-selected")
    expect(page.get_by_text("Added 1 item(s) to your favorites.")).to_be_visible()

    page.click("#favorites-link")
    expect(page).to_have_url(f"{server.url}{routes.FAVORITES}")
    expect(_tile(page, ids[0])).to_be_visible()
    expect(_tile(page, ids[1])).to_be_visible()
    expect(_tile(page, ids[2])).to_have_count(0)

    _tile(page, ids[1]).locator("a").click()  # unstar one from its own page
    expect(page.locator("#media-favorite")).to_have_attribute("aria-pressed", "true")
    page.click("#media-favorite")
    expect(page.locator("#media-favorite")).to_have_attribute("aria-pressed", "false")
    page.goto(routes.FAVORITES)
    expect(_tile(page, ids[0])).to_be_visible()
    expect(_tile(page, ids[1])).to_have_count(0)
    _tile(page, ids[0]).locator(".tile-star").click()  # unstarring in the favorites view removes the tile
    expect(_tile(page, ids[0])).to_have_count(0)
    expect(page.locator("#gallery-empty")).to_be_visible()


def test_a_user_corrects_the_date_of_two_photos_and_the_place_of_one(page: Page, server: Server) -> None:
    ids = add_photos(server, "demo-customer1", 3, first_seed=81)
    sign_in(page, "demo-customer1", server.passwords["demo-customer1"])
    page.goto(routes.GALLERY)
    expect(_tile(page, ids[2])).to_be_visible()
    _tile(page, ids[0]).locator(".tile-select").click()
    _tile(page, ids[1]).locator(".tile-select").click()
    page.click("#bulk-more")
    page.click("#edit-dates-selected")
    page.fill("#bulk-taken-at", "1987-06-14T18:30")
    page.select_option("#bulk-offset", "120")
    page.click("#bulk-dates-save")
    expect(page.get_by_text("Date taken set on 2 item(s).")).to_be_visible()
    expect(page.locator("#bulk-dates-dialog")).to_have_count(0)
    order = _grid_order(page)
    assert set(order[-2:]) == {ids[0], ids[1]}  # the oldest now

    # A wrong camera clock: move one photo a day and two hours earlier.
    _tile(page, ids[0]).locator(".tile-select").click()
    page.click("#bulk-more")
    page.click("#edit-dates-selected")
    page.click("#bulk-tab-shift")
    page.fill("#bulk-shift-days", "1")
    page.fill("#bulk-shift-hours", "2")
    page.click("#bulk-shift-earlier")
    page.click("#bulk-shift-save")
    expect(page.get_by_text("Date taken moved on 1 item(s).")).to_be_visible()

    page.goto(routes.media_page(ids[0]))
    expect(page.locator("#media-metadata")).to_contain_text("13 Jun 1987, 16:30:00 (UTC+02:00)")
    page.click("#media-edit-place")
    page.fill("#media-latitude", "95")
    page.fill("#media-longitude", "2.2945")
    page.click("#media-place-save")
    expect(page.get_by_text("The latitude is a number between -90 and 90.")).to_be_visible()
    expect(page.locator("#media-latitude")).to_have_value("95")  # the dialog stays, with what was typed
    page.fill("#media-latitude", "48.8584")
    page.click("#media-place-save")
    expect(page.get_by_text("Place set on 1 item(s).")).to_be_visible()
    expect(page.locator("#media-metadata")).to_contain_text("48.8584, 2.2945")
    expect(page.locator("#media-map-link")).to_have_attribute("href", "https://www.openstreetmap.org/?mlat=48.8584"
                                                              "&mlon=2.2945#map=15/48.8584/2.2945")
    page.click("#media-edit-place")
    page.click("#media-place-clear")
    expect(page.get_by_text("Place removed.")).to_be_visible()
    expect(page.locator("#media-map-link")).to_have_count(0)


def test_the_date_dialog_fits_a_phone(phone: Page, server: Server) -> None:
    (media_id,) = add_photos(server, "demo-customer2", 1, first_seed=91)
    sign_in(phone, "demo-customer2", server.passwords["demo-customer2"])
    phone.goto(routes.media_page(media_id))
    phone.click("#media-edit-dates")
    expect(phone.locator("#media-dates-dialog")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.fill("#media-taken-at", "2001-02-03T04:05")
    phone.click("#media-dates-save")
    expect(phone.get_by_text("Date taken set on 1 item(s).")).to_be_visible()
    expect(phone.locator("#media-metadata")).to_contain_text("03 Feb 2001, 04:05:00")


def test_a_user_tags_photos_in_bulk_filters_by_a_tag_and_edits_one_items_tags(page: Page, server: Server) -> None:
    ids = add_photos(server, "demo-reseller", 3, first_seed=101)
    sign_in(page, "demo-reseller", server.passwords["demo-reseller"])
    page.goto(routes.GALLERY)
    expect(_tile(page, ids[2])).to_be_visible()
    _tile(page, ids[0]).locator(".tile-select").click()
    _tile(page, ids[1]).locator(".tile-select").click()
    page.click("#bulk-more")
    page.click("#edit-tags-selected")
    page.fill("#bulk-tags-input", "Beach, summer 2024")
    page.click("#bulk-tags-save")
    expect(page.get_by_text("Tagged 2 item(s).")).to_be_visible()

    page.click("#gallery-tag")
    page.get_by_role("option", name="Beach").click()
    expect(_tile(page, ids[2])).to_have_count(0)
    expect(_tile(page, ids[0])).to_be_visible()
    expect(_tile(page, ids[1])).to_be_visible()

    _tile(page, ids[0]).locator("a").click()
    chips = page.locator("#media-tags .media-tag")
    expect(chips).to_have_text(["Beach", "summer 2024"])
    page.fill("#media-tags-input", "sunset")
    page.click("#media-tags-add")
    expect(chips).to_have_text(["Beach", "summer 2024", "sunset"])
    expect(page.locator("#media-tags-input")).to_have_value("")
    page.get_by_role("button", name="Remove tag summer 2024").click()
    expect(chips).to_have_text(["Beach", "sunset"])
    page.fill("#media-tags-input", "x" * 41)
    page.click("#media-tags-add")
    expect(page.get_by_text("A tag has at most 40 characters")).to_be_visible()
    expect(page.locator("#media-tags-input")).to_have_value("x" * 41)  # nothing typed is lost


def test_a_user_searches_as_they_type_and_narrows_by_date_and_place(page: Page, server: Server) -> None:
    ids = add_photos(server, "demo-admin", 3, first_seed=111)
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    page.goto(routes.media_page(ids[1]))
    page.click("#media-edit")
    page.fill("#media-title-input", "Sunset at the lake")
    page.click("#media-save")
    expect(page.locator("#media-title")).to_have_text("Sunset at the lake")

    page.goto(routes.GALLERY)
    expect(page.locator("#media-grid .media-tile")).to_have_count(3)
    page.fill("#gallery-search", "lake sun")
    expect(page.locator("#media-grid .media-tile")).to_have_count(1)
    expect(_tile(page, ids[1])).to_be_visible()
    page.fill("#gallery-search", "photo-11")  # parts of file names: photo-111, photo-112, photo-113
    expect(page.locator("#media-grid .media-tile")).to_have_count(3)
    page.fill("#gallery-search", "nothing-like-this")
    expect(page.get_by_text("Nothing matches. Try fewer words or clear the filters.")).to_be_visible()
    page.click("#gallery-clear-filters")
    expect(page.locator("#media-grid .media-tile")).to_have_count(3)
    expect(page.locator("#gallery-search")).to_have_value("")

    page.fill("#gallery-since", "2030-01-01")  # the photos were taken in 2023
    expect(page.locator("#gallery-empty")).to_be_visible()
    page.fill("#gallery-since", "2023-07-14")
    page.fill("#gallery-until", "2023-07-14")
    expect(page.locator("#media-grid .media-tile")).to_have_count(3)
    page.click("#gallery-place")
    page.get_by_role("option", name="Has a place").click()
    expect(page.locator("#gallery-empty")).to_be_visible()
