"""Account security in a real browser: two-factor set-up and sign-in, signing out another session,
new-device notices, and the security pages at phone width."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def second_browser(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    """Another browser profile: its own cookies, so it is another device and another session."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url)
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _open_menu_item(page: Page, item_id: str) -> None:
    page.click("#user-menu")
    page.click(f"#{item_id}")


def test_two_factor_set_up_then_sign_in_with_a_code(page: Page, server: Server) -> None:
    password = server.passwords["demo-customer2"]
    sign_in(page, "demo-customer2", password)
    expect(page.locator("#user-menu-name")).to_have_text("Cleo Customer")
    _open_menu_item(page, "menu-security")
    expect(page).to_have_url(f"{server.url}{routes.SECURITY}")
    expect(page.locator("#two-factor-status")).to_have_text("Off")

    page.click("#start-two-factor")
    expect(page.locator("#totp-qr")).to_be_visible()
    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text().strip())
    page.fill("#totp-confirm-code", totp.now())
    page.click("#totp-confirm")

    codes = page.locator(".recovery-code")
    expect(codes).to_have_count(10)
    shown = [code.strip() for code in codes.all_inner_texts()]
    with page.expect_download() as download:
        page.click("#download-codes")
    assert download.value.suggested_filename == "mediashare-recovery-codes.txt"
    saved = Path(download.value.path()).read_text()
    assert all(code in saved for code in shown)
    page.click("#codes-saved")
    expect(codes).to_have_count(0)  # shown once
    expect(page.locator("#two-factor-status")).to_have_text("On")
    expect(page.locator("#codes-left")).to_have_text("10 recovery codes left.")

    _open_menu_item(page, "sign-out")
    expect(page.locator("#sign-in-link")).to_be_visible()

    sign_in(page, "demo-customer2", password)
    expect(page).to_have_url(re.compile(re.escape(routes.LOGIN_2FA)))
    assert routes.SESSION_COOKIE not in {c["name"] for c in page.context.cookies()}  # not signed in yet
    page.fill("#two-factor-code", totp.at(time.time() + 300))  # a code that is not current
    page.click("#two-factor-submit")
    expect(page.locator("#two-factor-error")).to_contain_text("That code is not right")

    page.fill("#two-factor-code", totp.at(time.time() + totp.interval))  # the next step's code: not yet used
    page.click("#two-factor-submit")
    expect(page.locator("#user-menu-name")).to_have_text("Cleo Customer")
    expect(page.locator("#greeting")).to_contain_text("Welcome back, Cleo Customer")


def test_signing_out_another_session_sends_it_to_the_login_page(
    page: Page, second_browser: BrowserContext, server: Server
) -> None:
    password = server.passwords["demo-customer1"]
    sign_in(page, "demo-customer1", password)
    expect(page.locator("#user-menu-name")).to_have_text("Carl Customer")
    other = second_browser.new_page()
    sign_in(other, "demo-customer1", password)
    expect(other.locator("#user-menu-name")).to_have_text("Carl Customer")

    _open_menu_item(page, "menu-sessions")
    expect(page).to_have_url(f"{server.url}{routes.SESSIONS}")
    rows = page.locator(".session-row")
    expect(rows).to_have_count(2)
    expect(page.locator(".current-session")).to_have_count(1)
    expect(page.locator(".device-row")).to_have_count(2)
    # The second browser was a new device for this account: the bell says so.
    expect(page.locator("#notification-count")).to_have_text("1")

    page.locator(".revoke-session").click()
    expect(rows).to_have_count(1)
    expect(page.locator(".current-session")).to_be_visible()

    # The other browser's next event is refused and it lands on the login page.
    _open_menu_item(other, "menu-sessions")
    expect(other.locator("#login-form")).to_be_visible()
    expect(other).to_have_url(re.compile(r"/login\?next="))

    # This browser is still signed in, and reads the new-device notice.
    page.click("#notification-bell")
    expect(page.locator(".notification-item")).to_have_count(1)
    expect(page.locator(".notification-item")).to_contain_text("New sign-in from")
    page.locator(".notification-item").click()
    expect(page).to_have_url(f"{server.url}{routes.SESSIONS}")
    expect(page.locator("#notification-count")).to_have_count(0)


def test_security_and_sessions_pages_fit_a_phone(phone: Page, server: Server) -> None:
    sign_in(phone, "demo-user", server.passwords["demo-user"])
    expect(phone.locator("#user-menu")).to_be_visible()
    for route, ready in ((routes.SECURITY, "#start-two-factor"), (routes.SESSIONS, ".session-row"),
                         (routes.NOTIFICATIONS, "#notification-list")):
        phone.goto(route)
        expect(phone.locator(ready).first).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, route
    phone.goto(routes.SECURITY)
    phone.click("#start-two-factor")
    expect(phone.locator("#totp-qr")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
