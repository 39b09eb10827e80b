"""Top-ups in a real browser: a customer (on a phone) asks for 50 credits and sees the price first;
their reseller approves it with the payment's reference; the customer sees the balance 50 higher,
the approved request and the notification, and nothing runs off the phone's screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from mediashare import db, routes
from mediashare.models import User
from mediashare.services import ledger, plans
from tests.e2e.conftest import Server, nav, sign_in

pytestmark = pytest.mark.e2e

CUSTOMER, RESELLER = "demo-customer2", "demo-reseller"


def _give_reseller_credits(server: Server, amount: int) -> int:
    """Mint credits to the reseller in the server's own database; the customer's balance now."""
    with db.session_scope(server.database_url) as session:
        reseller = plans.by_username(session, RESELLER)
        ledger.grant(session, actor=None, to=reseller, amount=amount, reference="e2e float")
        customer: User = plans.by_username(session, CUSTOMER)
        return ledger.balance(session, user=customer)


def test_a_customer_asks_for_50_credits_and_the_reseller_approves_them(
    page: Page, phone: Page, server: Server
) -> None:
    before = _give_reseller_credits(server, 500)

    sign_in(phone, CUSTOMER, server.passwords[CUSTOMER])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.TOP_UP)
    expect(phone.locator("#topup-balance")).to_have_text(str(before))
    phone.locator("#topup-credits").fill("50")
    expect(phone.locator("#topup-quote")).to_have_text("50 credits cost 5.00 EUR")  # the price before asking
    phone.click("#topup-ask")
    expect(phone.locator("#topup-instructions")).to_contain_text("Pay 5.00 EUR to Rita Reseller")
    request = phone.locator(".topup-request").first
    expect(request.locator(".topup-status")).to_have_text("pending")
    expect(request).to_contain_text("50 credits")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    sign_in(page, RESELLER, server.passwords[RESELLER])
    expect(page.locator("#user-menu")).to_be_visible()
    nav(page, "Top-ups")
    expect(page).to_have_url(re.compile(re.escape(routes.TOP_UPS) + "$"))
    row = page.locator(".topup-queue-row").filter(has_text=CUSTOMER)
    expect(row).to_contain_text("50 credits")
    row.locator(".topup-approve").click()
    page.fill("#decision-reference", "BANK-2026-0042")
    page.click("#decision-submit")
    expect(page.get_by_text(re.compile(r"Request #\d+ approved\."))).to_be_visible()
    expect(page.locator("#topups-empty")).to_be_visible()

    phone.reload()
    expect(phone.locator("#topup-balance")).to_have_text(str(before + 50))
    expect(request.locator(".topup-status")).to_have_text("approved")
    expect(request).to_contain_text("BANK-2026-0042")
    expect(phone.locator("#notification-count")).to_have_text("1")
    phone.goto(routes.NOTIFICATIONS)
    expect(phone.locator("#notification-list")).to_contain_text("Your top-up was approved: 50 credits")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
