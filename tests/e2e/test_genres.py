"""/admin/genres in a real browser: reached from the Admin menu; on a phone an admin adds, renames and merges."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, nav, sign_in

pytestmark = pytest.mark.e2e


def _row(page: Page, name: str):
    return page.locator(f"#genre-list .genre-row[data-genre='{name}']")


def test_the_admin_menu_leads_to_the_genres(page: Page, server: Server) -> None:
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu")).to_be_visible()
    nav(page, "Genres")
    expect(page).to_have_url(f"{server.url}{routes.ADMIN_GENRES}")
    expect(_row(page, "Drama")).to_be_visible()
    expect(_row(page, "Drama").locator(".genre-count")).to_contain_text("0 items")


def test_an_admin_on_a_phone_adds_renames_and_merges_a_genre(phone: Page, server: Server) -> None:
    sign_in(phone, "demo-admin", server.passwords["demo-admin"])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.ADMIN_GENRES)
    expect(_row(phone, "Comedy")).to_be_visible()

    phone.fill("#genre-new-name", "Anime")
    phone.click("#genre-add")
    expect(_row(phone, "Anime")).to_be_visible()
    expect(phone.locator("#genre-new-name")).to_have_value("")

    _row(phone, "Anime").locator(".genre-actions").click()
    phone.get_by_role("menuitem", name="Rename…").click()
    phone.fill("#genre-rename-name", "Japanese Animation")
    phone.click("#genre-dialog-submit")
    expect(_row(phone, "Japanese Animation")).to_be_visible()
    expect(_row(phone, "Anime")).to_have_count(0)

    _row(phone, "Japanese Animation").locator(".genre-actions").click()
    phone.get_by_role("menuitem", name="Merge into…").click()
    phone.click("#genre-target")
    phone.get_by_role("option", name="Animation", exact=True).click()
    phone.click("#genre-dialog-submit")
    expect(_row(phone, "Japanese Animation")).to_have_count(0)
    expect(phone.get_by_text("“Japanese Animation” was merged into “Animation”.")).to_be_visible()

    phone.fill("#genre-filter", "anim")
    expect(phone.locator("#genre-list .genre-row")).to_have_count(1)
    wide = phone.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not wide, "the genres page scrolls sideways on a phone"
