"""The gallery in a real browser: stored photos show as tiles; two are trashed, then restored."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, add_photos, make_derivatives, nav, sign_in

pytestmark = pytest.mark.e2e


def _tile(page: Page, media_id: int):
    return page.locator(f"#media-grid .media-tile[data-id='{media_id}']")


def test_a_user_trashes_two_photos_and_restores_them(page: Page, server: Server) -> None:
    ids = add_photos(server, "demo-user", 3, first_seed=11)
    sign_in(page, "demo-user", server.passwords["demo-user"])
    expect(page.locator("#user-menu-name")).to_have_text("Uma User")
    nav(page, "Gallery")
    expect(page).to_have_url(f"{server.url}{routes.GALLERY}")
    for media_id in ids:
        expect(_tile(page, media_id)).to_be_visible()
    expect(_tile(page, ids[0]).locator("img")).to_have_attribute("loading", "lazy")
    expect(_tile(page, ids[0]).locator("a")).to_have_attribute("href", f"/media/{ids[0]}")

    _tile(page, ids[0]).locator(".tile-select").click()
    _tile(page, ids[1]).locator(".tile-select").click()
    expect(page.locator("#selected-count")).to_have_text("2 selected")
    with page.expect_download() as download:
        page.click("#download-selected")
    with zipfile.ZipFile(download.value.path()) as archive:
        assert sorted(archive.namelist()) == ["photo-11.jpg", "photo-12.jpg"]
    page.click("#trash-selected")
    expect(page.get_by_text("Moved 2 item(s) to the trash.")).to_be_visible()
    expect(_tile(page, ids[0])).to_have_count(0)
    expect(_tile(page, ids[2])).to_be_visible()

    page.click("#trash-link")
    expect(page).to_have_url(f"{server.url}{routes.TRASH}")
    expect(_tile(page, ids[0])).to_be_visible()
    expect(_tile(page, ids[1])).to_be_visible()
    _tile(page, ids[0]).locator(".tile-select").click()
    _tile(page, ids[1]).locator(".tile-select").click()
    page.click("#restore-selected")
    expect(page.get_by_text("Restored 2 item(s).")).to_be_visible()
    expect(page.locator("#gallery-empty")).to_be_visible()

    page.goto(routes.GALLERY)
    for media_id in ids:
        expect(_tile(page, media_id)).to_be_visible()
    _tile(page, ids[0]).locator(".tile-select").click()
    page.click("#select-all")
    expect(page.locator("#selected-count")).to_have_text(f"{page.locator('#media-grid .media-tile').count()} selected")


def test_the_gallery_fits_a_phone(phone: Page, server: Server, tmp_path) -> None:
    add_photos(server, "demo-customer2", 4, first_seed=31)
    sign_in(phone, "demo-customer2", server.passwords["demo-customer2"])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.GALLERY)
    expect(phone.locator("#media-grid .media-tile")).to_have_count(4)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    expect(phone.locator("#gallery-sort")).to_be_hidden()  # folded into "Filters" on a phone
    phone.screenshot(path=str(tmp_path / "gallery-390.png"))
    phone.click("#gallery-filters")
    panel = phone.locator("#gallery-filters-panel")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    phone.screenshot(path=str(tmp_path / "gallery-390-filters.png"))
    phone.click("#gallery-kind-m")
    phone.get_by_role("option", name="Videos").click()
    expect(phone.locator("#media-grid .media-tile")).to_have_count(0)
    expect(phone.locator("#gallery-filters-on")).to_be_hidden()  # the type is a view, not a narrowing filter
    phone.fill("#gallery-since-m", "2100-01-01")
    expect(phone.locator("#gallery-filters-on")).to_be_visible()
    phone.click("#gallery-clear-filters-m")
    phone.click("#gallery-kind-m")
    phone.get_by_role("option", name="All types").click()
    expect(phone.locator("#media-grid .media-tile")).to_have_count(4)


def test_an_admin_finds_an_item_renames_it_and_disables_a_type(page: Page, server: Server, tmp_path) -> None:
    (media_id,) = add_photos(server, "demo-customer1", 1, first_seed=51)
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu-name")).to_have_text("Ada Admin")
    nav(page, "Media")
    expect(page).to_have_url(f"{server.url}{routes.ADMIN_MEDIA}")
    page.fill("#media-search", "photo-51")
    row = page.locator(f"#media-table tr[data-id='{media_id}']")
    expect(row).to_contain_text("demo-customer1")
    expect(page.locator("#media-count")).to_have_text("1 items")
    row.get_by_role("button", name="Edit photo-51").click()
    page.fill("#edit-title", "Harbour at dawn")
    page.click("#edit-save")
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.fill("#media-search", "harbour")
    expect(row).to_contain_text("Harbour at dawn")

    page.goto(routes.ADMIN_MEDIA_TYPES)
    png = page.locator("#media-types-table tr[data-extension='png']")
    png.get_by_role("switch").click()
    expect(page.get_by_text(".png saved.")).to_be_visible()
    expect(png.get_by_role("switch")).to_have_attribute("data-state", "unchecked")
    png.get_by_role("switch").click()
    expect(png.get_by_role("switch")).to_have_attribute("data-state", "checked")


def test_trash_and_admin_media_fit_a_phone(phone: Page, server: Server, tmp_path) -> None:
    add_photos(server, "demo-reseller", 2, first_seed=61)
    sign_in(phone, "demo-admin", server.passwords["demo-admin"])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.TRASH)
    expect(phone.get_by_text("The trash is empty.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(tmp_path / "trash-390.png"))
    phone.goto(routes.ADMIN_MEDIA)
    expect(phone.locator("#media-table")).to_contain_text("demo-reseller")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(tmp_path / "admin-media-390.png"))


def test_a_processing_tile_turns_into_a_thumbnail_when_its_job_finishes(page: Page, server: Server) -> None:
    (media_id,) = add_photos(server, "demo-customer1", 1, first_seed=71, derivatives=False)
    sign_in(page, "demo-customer1", server.passwords["demo-customer1"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(routes.GALLERY)
    tile = _tile(page, media_id)
    expect(tile.locator(".tile-processing")).to_be_visible()
    expect(tile.locator("img")).to_have_count(0)
    make_derivatives(server, [media_id])
    expect(tile.locator("img")).to_have_count(1, timeout=15_000)  # the page polls every 3 s
    expect(tile.locator(".tile-processing")).to_have_count(0)
