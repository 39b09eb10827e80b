"""Managing accounts in a real browser: unlocking a locked-out customer, a reseller's customers,
names that look like HTML, the audit log and its CSV export, and the list at phone width."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, nav, sign_in

pytestmark = pytest.mark.e2e

XSS = "<img src=x onerror=alert(1)>"


def _row(page: Page, username: str):
    return page.locator(f"#user-table tr[data-username='{username}']")


def _act_on(page: Page, username: str, action: str) -> None:
    page.get_by_role("button", name=f"Actions for {username}").click()
    page.get_by_role("menuitem", name=action, exact=True).click()


def _fresh_page(page: Page, server: Server) -> Page:
    """A new browser context: the login page pre-fills the last username tried in the same tab,
    which would race with typing another one."""
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url)
    context.set_default_timeout(20_000)
    return context.new_page()


def test_an_admin_unlocks_a_customer_locked_out_by_wrong_passwords(page: Page, server: Server) -> None:
    for _ in range(5):
        sign_in(page, "demo-customer1", "certainly not the password")
    expect(page.locator("#login-error")).to_contain_text("This account is locked after too many failed sign-ins.")
    sign_in(page, "demo-customer1", server.passwords["demo-customer1"])  # the right password waits too
    expect(page.locator("#login-error")).to_contain_text("locked")

    customer = page
    page = _fresh_page(customer, server)
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu-name")).to_have_text("Ada Admin")
    nav(page, "Users")
    expect(page).to_have_url(f"{server.url}{routes.ADMIN_USERS}")
    page.fill("#user-search", "customer1")
    expect(page.locator("#user-count")).to_contain_text("1 account")
    expect(_row(page, "demo-customer1")).to_contain_text("Locked")
    _act_on(page, "demo-customer1", "Unlock")
    page.click("#confirm-action")
    expect(page.get_by_text("demo-customer1 is unlocked.")).to_be_visible()
    expect(_row(page, "demo-customer1")).not_to_contain_text("Locked")

    page.context.close()
    customer = _fresh_page(customer, server)
    sign_in(customer, "demo-customer1", server.passwords["demo-customer1"])
    expect(customer.locator("#user-menu-name")).to_have_text("Carl Customer")
    customer.context.close()


def test_a_reseller_sees_only_its_customers_and_creates_a_third(page: Page, server: Server) -> None:
    sign_in(page, "demo-reseller", server.passwords["demo-reseller"])
    expect(page.locator("#user-menu-name")).to_have_text("Rita Reseller")
    expect(page.locator("#nav-admin")).to_have_count(0)
    nav(page, "Customers")
    expect(page).to_have_url(f"{server.url}{routes.CUSTOMERS}")
    rows = page.locator("#user-table tbody tr")
    expect(rows).to_have_count(2)
    table = page.locator("#user-table")
    expect(table).to_contain_text("demo-customer1")
    expect(table).to_contain_text("demo-customer2")
    for outsider in ("demo-user", "demo-admin", "demo-super"):
        expect(table).not_to_contain_text(outsider)

    page.click("#new-account")
    page.fill("#field-username", "demo-customer3")
    page.fill("#field-email", "demo-customer3@example.com")
    page.fill("#field-display_name", "Cora Customer")
    page.click("#create-submit")
    expect(page.get_by_text("demo-customer3 was created")).to_be_visible()
    expect(rows).to_have_count(3)
    expect(_row(page, "demo-customer3")).to_contain_text("demo-reseller")  # created under the reseller
    expect(page.locator("#user-count")).to_contain_text("3 accounts")

    # A customer has no list of its own, and the admin list stays closed to a reseller.
    page.goto(routes.ADMIN_USERS)
    expect(page.locator("#user-list-notice")).to_have_text("This needs the admin role or higher.")
    expect(page.locator("#user-table")).to_have_count(0)


def test_names_that_look_like_html_render_as_text_on_the_users_and_audit_pages(page: Page, server: Server) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu-name")).to_be_visible()
    page.goto(routes.ADMIN_USERS)
    page.click("#new-account")
    page.fill("#field-username", "html-name")
    page.fill("#field-email", "html-name@example.com")
    page.fill("#field-display_name", "Plain Name")
    page.click("#create-submit")
    expect(page.get_by_text("html-name was created")).to_be_visible()

    page.fill("#user-search", "html-name")
    expect(page.locator("#user-count")).to_contain_text("1 account")
    _act_on(page, "html-name", "Edit")
    page.fill("#field-display_name", XSS)
    page.click("#edit-submit")
    expect(page.get_by_text("html-name was updated.")).to_be_visible()
    expect(_row(page, "html-name").get_by_text(XSS, exact=True)).to_be_visible()

    nav(page, "Audit log")
    page.fill("#audit-target", "html-name")
    page.click("#audit-apply")
    expect(page.locator("#audit-table tbody tr")).to_have_count(3)  # created, reset email sent, renamed
    expect(page.locator("#audit-table")).to_contain_text("account.password_reset_requested")
    expect(page.locator("#audit-table")).to_contain_text(XSS)
    expect(page.locator("#audit-table")).to_contain_text("html-name <html-name@example.com>")

    assert page.locator("img[src='x']").count() == 0
    page.wait_for_timeout(300)  # an injected onerror would have fired by now
    assert dialogs == []


def test_the_audit_export_downloads_the_filtered_log_as_csv(page: Page, server: Server) -> None:
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu-name")).to_be_visible()
    page.goto(routes.ADMIN_AUDIT)
    page.fill("#audit-target", "demo-reseller")
    page.click("#audit-apply")
    expect(page.locator("#audit-export")).to_have_attribute("href", f"{routes.API_AUDIT_CSV}?target=demo-reseller")
    with page.expect_download() as download:
        page.click("#audit-export")
    text = open(download.value.path(), encoding="utf-8").read()  # noqa: SIM115
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["id", "time_utc", "action"]
    assert rows[1:] and all("demo-reseller" in row[4] for row in rows[1:])


def test_the_user_list_fits_a_phone(phone: Page, server: Server) -> None:
    sign_in(phone, "demo-admin", server.passwords["demo-admin"])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.ADMIN_USERS)
    expect(phone.locator("#user-table tbody tr").first).to_be_visible()
    # the table scrolls sideways inside its box; the page itself never gets wider than the phone
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("#menu-button")
    drawer = phone.locator("#mobile-drawer")
    expect(drawer.get_by_text("Users")).to_be_visible()
    expect(drawer.get_by_text("Audit log")).to_be_visible()
