"""The live dashboards in a real browser, on both server configurations: an admin watches /admin
while a visitor signs up in another browser, and the sign-up count goes up without a reload; a
customer's own dashboard reads at phone width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, nav, sign_in

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough passphrase 42"


def _figure(page: Page, element_id: str) -> int:
    return int(page.locator(f"#{element_id}").inner_text().replace(",", ""))


def test_the_admin_dashboard_shows_a_new_signup_without_a_reload(page: Page, phone: Page, browser: Browser,
                                                                 server: Server) -> None:
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu")).to_be_visible()
    nav(page, "Dashboard")
    expect(page).to_have_url(re.compile(re.escape(routes.ADMIN_DASHBOARD) + "$"))
    expect(page.locator("#live-badge")).to_contain_text("Live")
    expect(page.locator("#signups-chart .recharts-surface")).to_be_visible()
    signups, accounts = _figure(page, "stat-signups-today"), _figure(page, "stat-users")
    page.evaluate("window.__stillTheSamePage = true")

    visitor = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url)
    try:
        other = visitor.new_page()
        other.goto(routes.REGISTER)
        other.fill("#register-username", "livewatch")
        other.fill("#register-email", "livewatch@example.org")
        other.fill("#register-password", PASSWORD)
        other.click("#register-submit")
        expect(other.locator("#notice")).to_contain_text("Your account is ready")
    finally:
        visitor.close()

    expect(page.locator("#stat-signups-today")).to_have_text(str(signups + 1), timeout=15_000)
    expect(page.locator("#stat-users")).to_have_text(str(accounts + 1))
    expect(page.locator("#audit-list")).to_contain_text("account.registered")
    assert page.evaluate("window.__stillTheSamePage === true")  # pushed, not reloaded

    sign_in(phone, "demo-customer1", server.passwords["demo-customer1"])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.DASHBOARD)
    expect(phone.locator("#stat-my-balance")).to_be_visible()
    expect(phone.locator("#my-kinds-chart .recharts-surface")).to_be_visible()
    expect(phone.locator("#live-badge")).to_contain_text("Live")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
