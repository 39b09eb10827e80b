"""Branding in a real browser: a reseller sets its name, colors and logo with a live preview (a
refused color named with its ratio), then a customer opening the reseller's link on a phone sees the
logo and colors, signs in, and the top bar is the reseller's."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, sign_in

pytestmark = pytest.mark.e2e

RESELLER = "demo-reseller"
CUSTOMER = "demo-customer1"  # a customer of demo-reseller
PRIMARY, PRIMARY_RGB = "#1d4ed8", "rgb(29, 78, 216)"


def _logo() -> bytes:
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((10, 10, 190, 190), fill=(29, 78, 216, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _loaded(page: Page, selector: str) -> int:
    """The naturalWidth of the image at `selector` once it has loaded (0: broken)."""
    page.wait_for_function(f"(() => {{ const i = document.querySelector({selector!r}); "
                           "return i && i.complete && i.naturalWidth > 0; })()")
    return page.evaluate(f"document.querySelector({selector!r}).naturalWidth")


def _fits_a_phone(page: Page) -> None:
    wide = page.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)"
                         ".slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide


def _background(page: Page, selector: str) -> str:
    return page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).backgroundColor")


def test_a_reseller_brands_its_page_and_its_customer_sees_it(page: Page, phone: Page, server: Server) -> None:
    sign_in(page, RESELLER, server.passwords[RESELLER])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(routes.BRANDING)
    page.fill("#branding-display_name", "Acme Photos")
    page.fill("#branding-slug", "acme-photos")
    page.fill("#branding-primary_color", PRIMARY)
    page.fill("#branding-accent_color", "#fde68a")  # too pale on a white page
    page.fill("#branding-welcome_text", "Welcome to <b>Acme</b>!")
    page.fill("#branding-support_email", "help@acme.example")

    # The preview follows the form before anything is saved.
    expect(page.locator("#branding-preview .brand-card-name")).to_have_text("Acme Photos")
    page.wait_for_function(f"getComputedStyle(document.querySelector('#branding-preview .brand-card-header'))"
                           f".backgroundColor === '{PRIMARY_RGB}'")
    expect(page.locator("#branding-preview .brand-card-welcome")).to_have_text("Welcome to <b>Acme</b>!")
    expect(page.locator("#branding-accent_color-advice")).to_contain_text(re.compile(r"1\.\d\d:1"))

    page.click("#branding-save")
    expect(page.locator("#branding-accent_color-error")).to_contain_text("needs at least 3:1")
    page.fill("#branding-accent_color", "#b91c1c")
    page.click("#branding-save")
    expect(page.get_by_text("Your branding is saved.")).to_be_visible()
    expect(page.locator("#branding-link")).to_have_value(f"{server.url}/r/acme-photos")

    page.set_input_files(f"#{'branding-logo-upload'} input[type=file]",
                         files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _logo()}])
    expect(page.get_by_text("Your logo is saved.")).to_be_visible()
    assert _loaded(page, "#branding-preview .brand-card-logo") > 0
    assert _loaded(page, "#top-bar .brand-logo") > 0  # the reseller sees its own branding too

    # A customer opens the link on a phone, before signing in.
    phone.goto("/r/acme-photos")
    expect(phone.locator("#reseller-card .brand-card-name")).to_have_text("Acme Photos")
    assert _loaded(phone, "#reseller-card .brand-card-logo") > 0
    assert _background(phone, "#reseller-card .brand-card-header") == PRIMARY_RGB
    assert _background(phone, "#login-submit") == PRIMARY_RGB
    expect(phone.locator("#reseller-card .brand-card-welcome")).to_have_text("Welcome to <b>Acme</b>!")
    expect(phone.locator("#reseller-sign-up")).to_have_attribute("href", "/register?r=acme-photos")
    _fits_a_phone(phone)

    phone.fill("#login-identifier", CUSTOMER)
    phone.fill("#login-password", server.passwords[CUSTOMER])
    phone.click("#login-submit")
    expect(phone.locator("#user-menu")).to_be_visible()
    expect(phone.locator("#top-bar .brand-name")).to_have_text("Acme Photos")
    assert _loaded(phone, "#top-bar .brand-logo") > 0
    assert phone.evaluate("getComputedStyle(document.querySelector('#top-bar')).borderTopColor") == PRIMARY_RGB
    _fits_a_phone(phone)

    logo = phone.request.get(phone.locator("#top-bar .brand-logo").get_attribute("src"))
    assert logo.status == 200 and logo.headers["content-type"] == "image/png"
    assert logo.headers["x-content-type-options"] == "nosniff"


def test_an_unknown_link_says_so_kindly(phone: Page) -> None:
    phone.goto("/r/no-such-reseller")
    expect(phone.locator("#reseller-unknown")).to_have_text("We don't know this link")
    expect(phone.locator("#top-bar .brand-name")).to_have_text("MediaShare")


def test_the_branding_page_fits_a_phone(phone: Page, server: Server) -> None:
    sign_in(phone, RESELLER, server.passwords[RESELLER])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.BRANDING)
    expect(phone.locator("#branding-form")).to_be_visible()
    expect(phone.locator("#branding-preview")).to_be_visible()
    phone.fill("#branding-display_name", "A rather long business name for a small screen")
    expect(phone.locator("#branding-preview .brand-card-name")).to_have_text(
        "A rather long business name for a small screen")
    _fits_a_phone(phone)
