"""The bell in a real browser: its count follows what happens elsewhere (another browser of the same
person, a job in another process) without a reload, and the notifications page marks them read."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, add_photos, sign_in

pytestmark = pytest.mark.e2e


def test_the_bell_counts_live_in_an_open_tab(page: Page, browser: Browser, server: Server) -> None:
    password = server.passwords["demo-user"]
    sign_in(page, "demo-user", password)
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(routes.GALLERY)
    expect(page.locator("#notification-bell")).to_be_visible()
    expect(page.locator("#notification-count")).to_have_count(0)
    page.evaluate("window.__stillTheSamePage = true")  # gone if anything reloads this tab

    other_browser = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url)
    other_browser.set_default_timeout(20_000)
    other = other_browser.new_page()
    sign_in(other, "demo-user", password)  # a new device for this account: a notification
    expect(page.locator("#notification-count")).to_have_text("1")
    add_photos(server, "demo-user", 1)  # another process stores a photo; its job announces it ready
    expect(page.locator("#notification-count")).to_have_text("2")

    other.goto(routes.NOTIFICATIONS)
    items = other.locator(".notification-item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("is ready")
    expect(items.nth(1)).to_contain_text("New sign-in from")
    items.nth(1).locator(".mark-read").click()
    expect(other.locator(".notification-item.unread")).to_have_count(1)
    expect(page.locator("#notification-count")).to_have_text("1")
    other.locator("#notification-filter").get_by_role("radio", name="Unread").click()
    expect(items).to_have_count(1)
    other.click("#mark-all-read")
    expect(other.get_by_text("Nothing unread. You are all caught up.")).to_be_visible()
    expect(page.locator("#notification-count")).to_have_count(0)

    other.click("#notification-settings-link")
    expect(other).to_have_url(f"{server.url}{routes.NOTIFICATION_SETTINGS}")
    switch = other.locator("#in-app-new_device")
    expect(switch).to_have_attribute("aria-checked", "true")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    other.reload()
    expect(other.locator("#in-app-new_device")).to_have_attribute("aria-checked", "false")
    assert page.evaluate("window.__stillTheSamePage") is True
    other_browser.close()
