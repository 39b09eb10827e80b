"""The reseller business in a real browser, on both server configurations: an admin grants a
reseller 1,000 credits from the users page; the reseller tops up a customer with 100 from the
customers page; the customer restores an old photo in the Studio (a save costs 2) and sees 98 on
/credits; the reseller's dashboard (at phone width) shows the 100 distributed and the 2 consumed, and
the customers page shows the customer's usage and suspends another customer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from mediashare import db, routes
from mediashare.services import credits, users
from tests.e2e.conftest import Server, _mediashare_module, sign_in, store_media
from tests.media_files import jpeg_bytes

pytestmark = pytest.mark.e2e

NEW_PREVIEW = """(before) => {
    const img = document.getElementById('studio-preview');
    return img && img.getAttribute('src') !== before && img.complete && img.naturalWidth > 0;
}"""


def _price_studio_saves(server: Server, price: int) -> None:
    with db.session_scope(server.database_url) as session:
        admin = users.find_by_login(session, "demo-admin")
        assert admin is not None
        credits.set_prices(session, actor=admin, values={"studio.save": price})


def _render_saved_versions(server: Server) -> None:
    """With Redis the render job waits for a worker: run it here as the worker would."""
    if server.env.get("REDIS_URL"):
        env = {k: v for k, v in server.env.items() if k != "REDIS_URL"}
        _mediashare_module(env, "tests.e2e.studio_jobs")


def _row(page: Page, username: str):
    return page.locator(f"#user-table tr[data-username='{username}']")


def _new_page(browser: Browser, server: Server) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url)
    context.set_default_timeout(20_000)
    return context.new_page()


def test_grant_top_up_spend_and_the_dashboard(page: Page, phone: Page, browser: Browser, server: Server,
                                             tmp_path) -> None:
    photo = tmp_path / "grandma.jpg"
    photo.write_bytes(jpeg_bytes(1600, 1200, seed=11))
    media_id = store_media(server, "demo-customer1", photo)[0]
    _price_studio_saves(server, 2)

    # The admin grants the reseller 1,000 from the users page.
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(routes.ADMIN_USERS)
    page.fill("#user-search", "demo-reseller")
    expect(page.locator("#user-count")).to_contain_text("1 account")
    _row(page, "demo-reseller").get_by_role("button", name="Actions for demo-reseller").click()
    page.get_by_role("menuitem", name="Grant credits").click()
    dialog = page.locator("#grant-dialog")
    dialog.locator("input[name=amount]").fill("1000")
    dialog.locator("input[name=note]").fill("launch")
    dialog.locator("#grant-submit").dblclick()  # a double click grants once
    expect(page.get_by_text("1,000 credits were granted to demo-reseller.")).to_be_visible()
    expect(dialog).to_be_hidden()
    expect(_row(page, "demo-reseller").locator("[data-balance]")).to_have_text("1000")

    # The reseller tops up a customer with 100 from the customers page.
    reseller = _new_page(browser, server)
    sign_in(reseller, "demo-reseller", server.passwords["demo-reseller"])
    expect(reseller.locator("#user-menu")).to_be_visible()
    reseller.goto(routes.CUSTOMERS)
    _row(reseller, "demo-customer1").get_by_role("button", name="Actions for demo-customer1").click()
    reseller.get_by_role("menuitem", name="Top up credits").click()
    topup = reseller.locator("#topup-dialog")
    expect(topup.locator("#own-balance")).to_have_text("1000")
    topup.locator("input[name=amount]").fill("2000")
    topup.locator("#topup-submit").click()
    expect(reseller.get_by_text("You have 1,000 credits, so you cannot give 2,000.")).to_be_visible()
    topup.locator("input[name=amount]").fill("100")
    topup.locator("#topup-submit").click()
    expect(reseller.get_by_text("100 credits went to demo-customer1.")).to_be_visible()
    expect(_row(reseller, "demo-customer1").locator("[data-balance]")).to_have_text("100")

    # The customer restores an old photo in the Studio and saves it: 2 credits.
    customer = _new_page(browser, server)
    sign_in(customer, "demo-customer1", server.passwords["demo-customer1"])
    expect(customer.locator("#user-menu")).to_be_visible()
    customer.goto(f"/media/{media_id}")
    customer.click("#media-studio")
    customer.wait_for_function(NEW_PREVIEW, arg="")
    unedited = customer.get_attribute("#studio-preview", "src") or ""
    customer.click("#studio-preset-restore-old-photo")
    customer.wait_for_function(NEW_PREVIEW, arg=unedited)
    customer.click("#studio-save")
    version = customer.locator(".studio-version").first
    expect(version).to_contain_text("Edit 1")
    _render_saved_versions(server)
    expect(version.locator("a[download]")).to_be_visible(timeout=60_000)
    customer.goto(routes.CREDITS)
    expect(customer.locator("#credits-balance")).to_have_text("98")

    # The reseller's dashboard, at phone width: 100 distributed, 2 consumed, a bar for this week.
    sign_in(phone, "demo-reseller", server.passwords["demo-reseller"])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.RESELLER)
    expect(phone.locator("#stat-customers")).to_have_text("2")
    expect(phone.locator("#stat-distributed")).to_have_text("100")
    expect(phone.locator("#stat-month")).to_have_text("100 this month")
    expect(phone.locator("#stat-balance")).to_have_text("900")
    expect(phone.locator("#consumed-12-weeks")).to_have_text("2 credits in 12 weeks")
    expect(phone.locator("#consumption-chart .recharts-bar-rectangle path")).not_to_have_count(0)
    expect(phone.locator("#low-balance")).to_contain_text("demo-customer2")  # 0 credits, under 10
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # On the customers page (phone): the customer's usage, and suspending another customer.
    phone.goto(routes.CUSTOMERS)
    _row(phone, "demo-customer1").get_by_role("button", name="Actions for demo-customer1").click()
    phone.get_by_role("menuitem", name="Usage").click()
    expect(phone.locator("#usage-balance")).to_have_text("98 credits")
    expect(phone.locator("#usage-spent")).to_have_text("2 credits")
    expect(phone.locator("#usage-items")).to_have_text("1")
    expect(phone.locator("#usage-storage")).to_contain_text("of 10.0 GB")
    phone.keyboard.press("Escape")
    expect(phone.locator("#usage-dialog")).to_be_hidden()
    _row(phone, "demo-customer2").get_by_role("button", name="Actions for demo-customer2").click()
    phone.get_by_role("menuitem", name="Deactivate").click()
    phone.click("#confirm-action")
    expect(phone.get_by_text("demo-customer2 was deactivated")).to_be_visible()
    expect(_row(phone, "demo-customer2")).to_contain_text("Deactivated")

    # An admin opens the reseller's dashboard from the users page.
    page.goto(routes.ADMIN_USERS)
    page.fill("#user-search", "demo-reseller")
    expect(page.locator("#user-count")).to_contain_text("1 account")
    _row(page, "demo-reseller").get_by_role("button", name="Actions for demo-reseller").click()
    page.get_by_role("menuitem", name="Business dashboard").click()
    expect(page).to_have_url(re.compile(re.escape(routes.RESELLER) + r"\?reseller=\d+$"))
    expect(page.locator("#dashboard-of")).to_contain_text("Rita Reseller")
    expect(page.locator("#stat-distributed")).to_have_text("100")
    for extra in (reseller, customer):
        extra.context.close()
