"""Referrals in a real browser: a customer copies their invitation link, a visitor opens it on a
phone, signs up and confirms the address from the real email; both get their bonus, the referrer's
stats show it, and the new account sits under the referrer's reseller."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from mediashare import routes
from mediashare.settings import PROJECT_ROOT
from tests.conftest import Mailbox
from tests.e2e.conftest import Server, sign_in

pytestmark = pytest.mark.e2e

REFERRER = "demo-customer1"  # "Carl Customer", a customer of demo-reseller
PASSWORD = "quiet river lantern"


@pytest.fixture
def referrer_context(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url,
                                  permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _report(server: Server, username: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "tests.e2e.referral_report", username], env=server.env,
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_friend_signs_up_through_the_copied_link_and_both_get_credits(
    referrer_context: BrowserContext, phone: Page, server: Server
) -> None:
    page = referrer_context.new_page()
    sign_in(page, REFERRER, server.passwords[REFERRER])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(routes.REFERRALS)
    expect(page.locator("#referral-link")).to_have_value(re.compile(re.escape(server.url + "/referred?code=")))
    expect(page.locator("#referral-signed-up")).to_have_text("0")
    page.click("#referral-copy")
    expect(page.get_by_text("Link copied")).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.locator("#referral-link").input_value()

    phone.goto(link)  # the friend, on a phone
    expect(phone.locator("#referred-title")).to_have_text("Carl Customer invited you to MediaShare")
    expect(phone.locator("#referred-bonus")).to_contain_text("10 free credits")
    phone.click("#referred-sign-up")
    code = link.rsplit("=", 1)[1]
    expect(phone.locator("#register-referral")).to_have_value(code)
    phone.fill("#register-username", "invited-friend")
    phone.fill("#register-email", "invited-friend@example.org")
    phone.fill("#register-password", PASSWORD)
    phone.click("#register-submit")
    expect(phone.locator("#notice")).to_contain_text("Your account is ready")

    page.reload()
    expect(page.locator("#referral-signed-up")).to_have_text("1")
    expect(page.locator("#referral-verified")).to_have_text("0")

    message = server.mailbox.wait_for(to="invited-friend@example.org", subject="Confirm", timeout=30)
    phone.goto(next(found for found in Mailbox.links(message) if "/verify-email" in found))
    expect(phone.locator("#verify-title")).to_have_text("Email address confirmed")

    page.reload()
    expect(page.locator("#referral-verified")).to_have_text("1")
    expect(page.locator("#referral-credits")).to_have_text("10")
    assert _report(server, "invited-friend") == {"balance": 10, "referred_by": REFERRER, "parent": "demo-reseller"}
    assert _report(server, REFERRER)["balance"] == 10

    sign_in(phone, "invited-friend", PASSWORD)  # the new account's own page, at phone width
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.REFERRALS)
    expect(phone.locator("#referral-link")).to_have_value(re.compile("/referred[?]code="))
    expect(phone.locator("#referral-copy")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the referrals page is {width}px wide on a 390px phone"


def test_an_unknown_code_says_so_and_still_offers_sign_up(page: Page) -> None:
    page.goto(f"{routes.REFERRED}?code=notacode42")
    expect(page.locator("#referred-title")).to_have_text("This invitation link did not work")
    page.click("#referred-sign-up")
    expect(page).to_have_url(re.compile(re.escape(routes.REGISTER) + "$"))
    expect(page.locator("#register-referral")).to_have_value("")


def test_an_admin_sets_the_bonus_amounts_on_the_referrals_page(page: Page, server: Server) -> None:
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(routes.REFERRALS)
    expect(page.locator("#bonus-referee")).to_have_value("10")
    page.fill("#bonus-referee", "15")
    page.click("#bonus-save")
    expect(page.get_by_text("The referral bonuses are saved.")).to_be_visible()
    page.reload()
    expect(page.locator("#bonus-referee")).to_have_value("15")
    page.goto(page.locator("#referral-link").input_value())
    expect(page.locator("#referred-bonus")).to_contain_text("15 free credits")
