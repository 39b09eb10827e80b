"""The superuser's platform settings page in a real browser: a refused value keeps what was typed,
and saved settings (lockout threshold, site name, maintenance banner) apply at once, no restart:
the site name reaches the top bar and the browser tab's title on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, nav, sign_in

pytestmark = pytest.mark.e2e

BANNER = "Maintenance tonight from 22:00 UTC: uploads pause for an hour."


def test_a_superuser_sets_lockout_site_name_and_banner_and_they_apply_on_the_next_sign_in(
    page: Page, server: Server
) -> None:
    sign_in(page, "demo-super", server.passwords["demo-super"])
    expect(page.locator("#user-menu-name")).to_have_text("Sam Superuser")
    nav(page, "Settings")
    expect(page).to_have_url(f"{server.url}{routes.ADMIN_SETTINGS}")
    expect(page).to_have_title("Settings · MediaShare")

    threshold = page.locator("#setting-lockout_threshold")
    expect(threshold).to_have_value("")  # unset: the environment's LOCKOUT_THRESHOLD
    expect(page.locator("#section-accounts")).to_contain_text("Empty: 5, from LOCKOUT_THRESHOLD.")
    threshold.fill("three")
    page.click("#save-accounts")
    expect(page.locator("#error-lockout_threshold")).to_contain_text("enter a whole number")
    expect(threshold).to_have_value("three")  # what was typed stays to be corrected
    threshold.fill("3")
    page.click("#save-accounts")
    expect(page.get_by_text("Saved 1 change.")).to_be_visible()
    expect(page.locator("#error-lockout_threshold")).to_have_count(0)

    page.fill("#setting-site_name", "Acme Photos")
    page.fill("#setting-maintenance_banner", BANNER)
    page.click("#save-general")
    expect(page.get_by_text("Saved 2 changes.")).to_be_visible()
    expect(page.locator("#brand")).to_contain_text("Acme Photos")
    expect(page.locator("#maintenance-banner")).to_have_text(BANNER)
    # The browser tab follows the new name too, on this page and the next, with no rebuild or restart.
    expect(page).to_have_title("Settings · Acme Photos")
    nav(page, "Gallery")
    expect(page).to_have_url(f"{server.url}{routes.GALLERY}")
    expect(page).to_have_title("Gallery · Acme Photos")
    page.goto(routes.TIMELINE)  # a full page load, not only a move inside the app
    expect(page).to_have_title("Timeline · Acme Photos")

    # A visitor in another browser: the banner and name on the login page, and the lockout after 3.
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url)
    context.set_default_timeout(20_000)
    visitor = context.new_page()
    for attempt in range(3):
        sign_in(visitor, "demo-user", f"not the password {attempt}")
        if attempt == 0:
            expect(visitor.locator("#maintenance-banner")).to_have_text(BANNER)
            expect(visitor.locator("#brand")).to_contain_text("Acme Photos")
            expect(visitor).to_have_title("Sign in · Acme Photos")
        error = visitor.locator("#login-error")
        if attempt < 2:
            expect(error).to_be_visible()
            expect(error).not_to_contain_text("locked")
    expect(visitor.locator("#login-error")).to_contain_text("This account is locked after too many failed sign-ins.")
    sign_in(visitor, "demo-user", server.passwords["demo-user"])  # the right password waits too
    expect(visitor.locator("#login-error")).to_contain_text("locked")
    context.close()
