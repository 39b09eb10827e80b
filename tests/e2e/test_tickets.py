"""Support tickets in a real browser: a reseller's customer (on a phone) opens a ticket with a
picture; their reseller finds it in the queue and replies (the customer gets a notification and an
email); the reseller escalates it; an admin finds it in the admins' queue and resolves it. Nobody
else sees it, and the picture is served only to those who may see the ticket. When the reseller is
deactivated, the ticket is the admins' alone, with a note in the thread saying why."""

from __future__ import annotations

import io
import re

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, nav, sign_in

pytestmark = pytest.mark.e2e

CUSTOMER, RESELLER, ADMIN, OTHER = "demo-customer1", "demo-reseller", "demo-admin", "demo-user"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 140, 90)).save(out, format="PNG")
    return out.getvalue()


def test_a_customer_ticket_is_answered_by_the_reseller_escalated_and_resolved_by_an_admin(
    page: Page, phone: Page, server: Server
) -> None:
    # The customer, on a phone, opens a ticket with a screenshot.
    sign_in(phone, CUSTOMER, server.passwords[CUSTOMER])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.click("#menu-button")
    phone.locator("#mobile-drawer").get_by_text("Support", exact=True).click()
    expect(phone).to_have_url(re.compile(re.escape(routes.SUPPORT) + "$"))
    expect(phone.locator("#no-tickets")).to_be_visible()
    phone.fill("#ticket-subject", "Upload stops at 99%")
    phone.click("#ticket-category")
    phone.get_by_role("option", name="Photos and videos").click()
    phone.fill("#ticket-message", "Every video upload stops at 99%. Screenshot attached.")
    phone.locator("#ticket-pictures input[type=file]").set_input_files(
        files=[{"name": "screenshot.png", "mimeType": "image/png", "buffer": _png()}])
    expect(phone.get_by_text("screenshot.png")).to_be_visible()
    phone.click("#ticket-send")
    expect(phone).to_have_url(re.compile(r"/support/ticket/\d+$"))
    ticket_url = phone.url
    expect(phone.locator("#ticket-subject")).to_contain_text("Upload stops at 99%")
    expect(phone.locator("#ticket-handled-by")).to_contain_text("Rita Reseller")
    picture = phone.locator(".ticket-picture img")
    expect(picture).to_have_count(1)
    picture_url = picture.get_attribute("src")
    assert picture_url and picture_url.startswith("/api/tickets/attachments/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert httpx.get(server.url + picture_url).status_code == 401  # no session: no picture

    # The reseller finds it in the queue and answers.
    sign_in(page, RESELLER, server.passwords[RESELLER])
    expect(page.locator("#user-menu")).to_be_visible()
    nav(page, "Support queue")
    expect(page).to_have_url(re.compile(re.escape(routes.SUPPORT_QUEUE) + "$"))
    page.locator(".ticket-row").filter(has_text="Upload stops at 99%").click()
    expect(page.locator("#ticket-thread")).to_contain_text("Every video upload stops at 99%")
    expect(page.locator(".ticket-picture img")).to_have_js_property("naturalWidth", 320)  # served to the reseller
    page.fill("#reply-message", "Which browser do you use? Please try a smaller file meanwhile.")
    page.click("#reply-send")
    expect(page.get_by_text("Reply sent.")).to_be_visible()
    expect(page.locator(".ticket-status").first).to_have_text("pending")

    mail = server.mailbox.wait_for(to=f"{CUSTOMER}@example.com", subject="New reply to your ticket")
    assert "Please try a smaller file" in mail.get_body(preferencelist=("plain",)).get_content()
    assert any(link.endswith(ticket_url.removeprefix(server.url)) for link in server.mailbox.links(mail))
    phone.reload()
    expect(phone.locator("#notification-count")).to_have_text("1")
    expect(phone.locator("#ticket-thread")).to_contain_text("Which browser do you use?")

    # Escalated: now it is the admins' too.
    page.click("#ticket-escalate")
    expect(page.get_by_text("Escalated: the admins handle this ticket now.")).to_be_visible()
    expect(page.locator("#ticket-handled-by")).to_contain_text("Rita Reseller → admins")
    expect(page.locator("#ticket-escalate")).to_have_count(0)

    # Someone who may not see it gets "not found", and not the picture either.
    page.context.clear_cookies()
    sign_in(page, OTHER, server.passwords[OTHER])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(ticket_url)
    expect(page.get_by_text("Ticket not found")).to_be_visible()
    assert page.request.get(server.url + picture_url).status == 404

    # An admin finds it in the queue, searching, and resolves it.
    page.context.clear_cookies()
    sign_in(page, ADMIN, server.passwords[ADMIN])
    expect(page.locator("#user-menu")).to_be_visible()
    nav(page, "Support queue")
    page.fill("#queue-search", "99%")
    page.click("#queue-search-go")
    row = page.locator(".ticket-row").filter(has_text="Upload stops at 99%")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Rita Reseller → admins")
    row.click()
    page.click("#ticket-status-select")
    page.get_by_role("option", name="Resolved").click()
    expect(page.get_by_text("Ticket marked resolved.")).to_be_visible()

    phone.reload()
    expect(phone.locator(".ticket-status").first).to_have_text("resolved")

    # The admin deactivates the reseller: the ticket (resolved, so a reply could reopen it) is the
    # admins' alone now, and the thread says why.
    page.goto(routes.ADMIN_USERS)
    page.fill("#user-search", RESELLER)
    expect(page.locator("#user-count")).to_contain_text("1 account")  # the search has applied
    row = page.locator(f"#user-table tr[data-username='{RESELLER}']")
    row.get_by_role("button", name=f"Actions for {RESELLER}").click()
    page.get_by_role("menuitem", name="Deactivate").click()
    page.click("#confirm-action")
    expect(page.get_by_text(f"{RESELLER} was deactivated")).to_be_visible()
    phone.reload()
    expect(phone.locator("#ticket-handled-by")).to_contain_text("handled by Admins")
    expect(phone.locator(".ticket-note")).to_contain_text("Moved to the admins because Rita Reseller was deactivated.")
    expect(phone.locator(".ticket-message")).to_have_count(2)  # the note is not counted as a message
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
