"""Prices and credits in a real browser: an admin prices photo uploads on the price page; a user
with 3 credits uploads two photos: the first is paid for and stored, the second is refused with the
credits message; the /credits page (at phone width) shows the balance left and the spend."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from mediashare import db, routes
from mediashare.services import ledger
from tests.e2e.conftest import Server, nav, sign_in
from tests.factories import PASSWORD, make_user
from tests.media_files import jpeg_bytes

pytestmark = pytest.mark.e2e


def _user_with_credits(server: Server, amount: int) -> str:
    """A fresh account in the server's database, granted `amount` credits by the platform."""
    with db.session_scope(server.database_url) as session:
        user = make_user(session)
        ledger.grant(session, actor=None, to=user, amount=amount, reference="welcome")
        return user.username


def _row(page: Page, name: str):
    return page.locator(".file-row").filter(has=page.locator(".file-name", has_text=re.compile(f"^{re.escape(name)}$")))


def test_a_priced_upload_is_paid_refused_when_short_and_shown_on_the_credits_page(
    page: Page, phone: Page, server: Server
) -> None:
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu")).to_be_visible()
    nav(page, "Prices")
    expect(page).to_have_url(re.compile(re.escape(routes.ADMIN_PRICES) + "$"))
    photo_price = page.locator("input[name='upload.photo']")
    expect(photo_price).to_have_value("0")
    photo_price.fill("-1")  # the browser refuses it before sending (the server checks too: state tests)
    page.click("#prices-save")
    assert photo_price.evaluate("input => !input.validity.valid")
    photo_price.fill("2")
    page.click("#prices-save")
    expect(page.get_by_text("Prices saved.")).to_be_visible()
    page.reload()
    expect(page.locator("input[name='upload.photo']")).to_have_value("2")

    username = _user_with_credits(server, 3)
    sign_in(phone, username, PASSWORD)
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.UPLOAD)
    expect(phone.locator("#upload-price")).to_contain_text("Each photo uses 2 credits")
    expect(phone.locator("#upload-price")).to_contain_text("has 3 credits")
    phone.locator("#media-upload input[type=file]").set_input_files([
        {"name": "first.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(800, 600, seed=31)},
        {"name": "second.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(800, 600, seed=32)},
    ])
    phone.click("#start-upload")
    expect(phone.locator("#done-count")).to_have_text("2 of 2 done", timeout=60_000)
    expect(_row(phone, "first.jpg").locator(".file-status")).to_have_text("stored")
    expect(_row(phone, "second.jpg").locator(".file-status")).to_have_text("rejected")
    expect(_row(phone, "second.jpg").locator(".file-message")).to_have_text(
        "second.jpg: needs 2 credits, you have 1 — top up at /top-up.")
    expect(phone.locator("#upload-price")).to_contain_text("has 1 credits")

    _row(phone, "second.jpg").locator(".file-top-up").click()
    expect(phone).to_have_url(re.compile(re.escape(routes.TOP_UP) + "$"))
    expect(phone.locator("#topup-balance")).to_have_text("1")
    phone.goto(routes.CREDITS)
    expect(phone.locator("#credits-balance")).to_have_text("1")
    rows = phone.locator(".credits-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("spend")
    expect(rows.nth(0).locator(".credits-amount")).to_have_text("−2")
    expect(rows.nth(1)).to_contain_text("grant")
    expect(rows.nth(1).locator(".credits-amount")).to_have_text("+3")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off a phone screen
