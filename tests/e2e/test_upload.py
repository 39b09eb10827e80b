"""Uploading in a real browser: several files at once, with progress, each with its own outcome."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, sign_in
from tests.media_files import jpeg_bytes

pytestmark = pytest.mark.e2e

ARTIFACTS = None  # set to a folder path to keep screenshots while developing


def _files() -> list[dict]:
    return [
        {"name": "beach.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1600, 1200, seed=21)},
        {"name": "forest.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1200, 900, seed=22)},
        {"name": "beach copy.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1600, 1200, seed=21)},
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"this is a shopping list, not a photo\n" * 40},
    ]


def _row(page: Page, name: str):
    return page.locator(".file-row").filter(has=page.locator(".file-name", has_text=re.compile(f"^{re.escape(name)}$")))


def test_a_user_uploads_several_files_and_sees_what_became_of_each(page: Page, server: Server) -> None:
    sign_in(page, "demo-user", server.passwords["demo-user"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.locator("#desktop-nav").get_by_text("Upload").click()
    expect(page).to_have_url(re.compile(re.escape(routes.UPLOAD) + "$"))

    page.locator("#media-upload input[type=file]").set_input_files(_files())
    expect(page.locator("#selected-count")).to_have_text("4 file(s) chosen")
    page.click("#start-upload")

    expect(page.locator("#overall-progress")).to_be_visible()
    expect(page.locator(".file-row")).to_have_count(4)
    expect(page.locator("#done-count")).to_have_text("4 of 4 done", timeout=60_000)
    expect(page.locator("#overall-percent")).to_have_text("Sent 100%")

    expect(_row(page, "beach.jpg").locator(".file-status")).to_have_text("stored")
    expect(_row(page, "forest.jpg").locator(".file-status")).to_have_text("stored")
    expect(_row(page, "beach copy.jpg").locator(".file-status")).to_have_text("duplicate")
    expect(_row(page, "beach copy.jpg").locator(".file-message")).to_have_text(
        "beach copy.jpg is already in the library.")
    expect(_row(page, "notes.jpg").locator(".file-status")).to_have_text("rejected")
    expect(_row(page, "notes.jpg").locator(".file-message")).to_contain_text("notes.jpg: ")
    for name in ("beach.jpg", "forest.jpg"):
        expect(_row(page, name).locator(".file-message")).to_have_text(f"{name} was added.")
    if ARTIFACTS:
        page.screenshot(path=f"{ARTIFACTS}/upload-desktop.png", full_page=True)


def test_the_upload_page_fits_a_phone_and_refuses_visitors(phone: Page, server: Server) -> None:
    phone.goto(routes.UPLOAD)
    expect(phone).to_have_url(re.compile(re.escape(routes.LOGIN)))
    sign_in(phone, "demo-admin", server.passwords["demo-admin"])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.UPLOAD)
    expect(phone.locator("#owner-picker")).to_be_visible()
    phone.fill("#owner-search", "demo-customer1")
    expect(phone.locator(".owner-choice")).to_have_count(1)
    phone.locator(".owner-choice").click()
    expect(phone.locator("#owner-label")).to_contain_text("@demo-customer1")
    phone.locator("#media-upload input[type=file]").set_input_files(
        [{"name": "for-you.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(seed=23)}])
    phone.click("#start-upload")
    expect(_row(phone, "for-you.jpg").locator(".file-status")).to_have_text("stored", timeout=60_000)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    if ARTIFACTS:
        phone.screenshot(path=f"{ARTIFACTS}/upload-phone.png", full_page=True)
