"""Share links in a real browser: an owner shares an album with a password; a visitor without an
account is refused with a wrong password, sees the photos with the right one (also at phone width);
the owner revokes the link and both the page and an image URL that worked before now fail."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, add_photos, sign_in

pytestmark = pytest.mark.e2e


def _make_album(page: Page, ids: list[int]) -> None:
    page.goto(routes.GALLERY)
    for media_id in ids:
        page.locator(f"#media-grid .media-tile[data-id='{media_id}'] .tile-select").click()
    page.click("#add-to-album")
    page.fill("#new-album-title", "Garden party")
    page.click("#new-album-create")
    expect(page.locator("#album-title")).to_have_text("Garden party")


def test_a_password_protected_album_link_opens_for_a_visitor_until_revoked(
        page: Page, browser: Browser, server: Server) -> None:
    ids = add_photos(server, "demo-user", 2, first_seed=91)
    sign_in(page, "demo-user", server.passwords["demo-user"])
    _make_album(page, ids)
    page.click("#share-album")
    expect(page.locator("#share-dialog")).to_be_visible()
    page.click("#share-expiry")
    page.get_by_role("option", name="7 days").click()
    page.fill("#share-password", "tulips in may")
    page.click("#share-allow-download")
    page.click("#share-create")
    link = page.locator("#share-url")
    expect(link).not_to_have_value("")
    url = link.input_value()
    assert "/s/" in url
    path = url[url.index("/s/"):]

    visitor_context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server.url,
                                          is_mobile=True, has_touch=True)
    visitor_context.set_default_timeout(20_000)
    visitor = visitor_context.new_page()
    try:
        visitor.goto(path)
        expect(visitor.locator("#share-unlock-form")).to_be_visible()
        expect(visitor.locator("#shared-grid")).to_have_count(0)
        visitor.fill("#share-unlock-password", "roses in june")
        visitor.click("#share-unlock-submit")
        expect(visitor.locator("#notice")).to_contain_text("password is not right")
        expect(visitor.locator("#shared-grid")).to_have_count(0)
        visitor.fill("#share-unlock-password", "tulips in may")
        visitor.click("#share-unlock-submit")
        expect(visitor.locator("#shared-title")).to_have_text("Garden party")
        expect(visitor.locator("#shared-grid .shared-tile")).to_have_count(2)
        expect(visitor.locator("#shared-zip")).to_be_visible()
        visitor.locator("#shared-grid .shared-tile").first.click()
        image = visitor.locator("#shared-image")
        expect(image).to_be_visible()
        image_url = image.get_attribute("src")
        assert image_url.startswith(f"/api/s/{path.removeprefix('/s/')}/")
        status = "(u) => fetch(u, {cache: 'no-store'}).then(r => r.status)"
        assert visitor.evaluate(status, image_url) == 200
        assert visitor.evaluate("() => document.documentElement.scrollWidth") <= 390  # fits a phone

        page.goto(routes.SHARES)
        row = page.locator("#share-list .share-row").first
        expect(row).to_contain_text("Garden party")
        expect(row.locator(".share-views")).to_contain_text("1 view ·")
        row.locator(".share-revoke").click()
        page.locator(".share-revoke-confirm").click()
        expect(row.locator(".share-status")).to_have_text("revoked")

        assert visitor.evaluate(status, image_url) == 410
        visitor.reload()
        expect(visitor.locator("#shared-unavailable")).to_contain_text("turned off")
        expect(visitor.locator("#shared-grid")).to_have_count(0)
    finally:
        visitor_context.close()
