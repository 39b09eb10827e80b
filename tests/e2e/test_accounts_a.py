"""Accounts in a real browser: sign up, confirm the address from the real email, reset a forgotten
password from its email, a profile picture, and the pages at phone width."""

from __future__ import annotations

import io
import itertools
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from mediashare import routes
from tests.conftest import Mailbox
from tests.e2e.conftest import Server, sign_in

pytestmark = pytest.mark.e2e

PASSWORD = "quiet river lantern"
_numbers = itertools.count(1)


def _link(server: Server, to: str, subject: str, path: str) -> str:
    message = server.mailbox.wait_for(to=to, subject=subject, timeout=30)
    link = next(link for link in Mailbox.links(message) if path in link)
    assert link.startswith(server.url + path)
    return link


def _register(page: Page, username: str) -> str:
    email = f"{username}@example.org"
    page.goto(routes.LOGIN)
    page.click("#create-account-link")
    expect(page).to_have_url(re.compile(re.escape(routes.REGISTER) + "$"))
    page.fill("#register-username", username)
    page.fill("#register-email", email)
    page.fill("#register-password", PASSWORD)
    page.click("#register-submit")
    expect(page.locator("#notice")).to_contain_text(f"Your account is ready. We sent a link to {email}")
    expect(page.locator("#login-identifier")).to_have_value(username)
    return email


def _sign_out(page: Page) -> None:
    page.click("#user-menu")
    page.click("#sign-out")
    expect(page.locator("#sign-in-link")).to_be_visible()


def test_a_visitor_registers_confirms_the_email_then_signs_in_and_out(page: Page, server: Server) -> None:
    username = f"newbie{next(_numbers)}"
    email = _register(page, username)

    page.goto(_link(server, email, "Confirm your email address", routes.VERIFY_EMAIL))
    expect(page.locator("#verify-title")).to_have_text("Email address confirmed")
    expect(page.locator("#verify-message")).to_have_text(f"Thank you: {email} is confirmed.")

    page.click("#verify-sign-in")
    page.fill("#login-identifier", username)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("#user-menu-name")).to_have_text(username)
    expect(page.locator("#verify-banner")).to_have_count(0)
    _sign_out(page)


def test_an_unverified_account_sees_the_banner_and_the_resend_cooldown(page: Page, server: Server) -> None:
    username = f"waiting{next(_numbers)}"
    email = _register(page, username)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    banner = page.locator("#verify-banner")
    expect(banner).to_contain_text(f"Please confirm your email address {email}")
    page.click("#resend-verification")
    expect(page.get_by_text(re.compile(r"Please wait \d+ seconds? before asking for another"))).to_be_visible()

    page.goto(_link(server, email, "Confirm your email address", routes.VERIFY_EMAIL))
    expect(page.locator("#verify-title")).to_have_text("Email address confirmed")
    expect(banner).to_have_count(0)
    page.goto(_link(server, email, "Confirm your email address", routes.VERIFY_EMAIL))  # the same link again
    expect(page.locator("#verify-title")).to_have_text("This link did not work")
    expect(page.locator("#verify-message")).to_contain_text("already been used")


def test_a_forgotten_password_is_reset_from_the_emailed_link(page: Page, server: Server) -> None:
    old_password = server.passwords["demo-customer2"]
    new_password = "a fresh start for cleo"
    page.goto(routes.LOGIN)
    page.click("#forgot-password-link")
    page.fill("#forgot-email", "demo-customer2@example.com")
    page.click("#forgot-submit")
    expect(page.locator("#notice")).to_contain_text("If an account uses that email address, we have sent it a link")

    page.goto(_link(server, "demo-customer2@example.com", "Choose a new password", routes.RESET_PASSWORD))
    expect(page.locator("#reset-account")).to_have_text("demo-customer2")
    page.fill("#reset-password", new_password)
    page.fill("#reset-password-confirm", new_password)
    page.click("#reset-submit")
    expect(page.locator("#notice")).to_contain_text("Your password has been changed")
    expect(page.locator("#login-identifier")).to_have_value("demo-customer2")

    sign_in(page, "demo-customer2", old_password)
    expect(page.locator("#login-error")).to_be_visible()
    sign_in(page, "demo-customer2", new_password)
    expect(page.locator("#user-menu-name")).to_have_text("Cleo Customer")


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def test_a_profile_picture_is_uploaded_and_shown_in_the_top_bar(phone: Page, server: Server) -> None:
    sign_in(phone, "demo-customer1", server.passwords["demo-customer1"])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.ACCOUNT)
    phone.set_input_files("#avatar-upload input[type=file]",
                          files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    expect(phone.get_by_text("Your new picture is saved.")).to_be_visible()
    avatar = phone.locator("#user-menu-avatar")  # Radix puts the id on the <img> once the picture loaded
    expect(avatar).to_have_attribute("src", re.compile(r"^/api/avatars/\d+\?v="))
    answer = phone.request.get(avatar.get_attribute("src"))
    assert answer.status == 200 and answer.headers["content-type"] == "image/webp"
    assert answer.headers["cache-control"].startswith("private")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("path", [routes.REGISTER, routes.FORGOT_PASSWORD, routes.LOGIN])
def test_the_account_pages_fit_a_phone(phone: Page, path: str) -> None:
    phone.goto(path)
    expect(phone.locator("main form")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_account_page_changes_name_email_and_password(page: Page, server: Server) -> None:
    sign_in(page, "demo-reseller", server.passwords["demo-reseller"])
    expect(page.locator("#user-menu-name")).to_have_text("Rita Reseller")
    page.goto(routes.ACCOUNT)

    page.fill("#display-name", "Rita R.")
    page.click("#display-name-save")
    expect(page.locator("#user-menu-name")).to_have_text("Rita R.")

    page.fill("#new-email", "rita@shop.example")
    page.fill("#email-current-password", server.passwords["demo-reseller"])
    page.click("#change-email-submit")
    expect(page.locator("#notice")).to_contain_text("We sent a link to rita@shop.example")
    expect(page.locator("#pending-email")).to_contain_text("rita@shop.example")
    expect(page.locator("#account-email")).to_have_text("demo-reseller@example.com")
    page.goto(_link(server, "rita@shop.example", "Confirm your new email address", routes.VERIFY_EMAIL))
    expect(page.locator("#verify-title")).to_have_text("Email address changed")
    server.mailbox.wait_for(to="demo-reseller@example.com", subject="email address was changed")
    page.goto(routes.ACCOUNT)
    expect(page.locator("#account-email")).to_have_text("rita@shop.example")

    new_password = "rita keeps a better one"
    page.fill("#current-password", server.passwords["demo-reseller"])
    page.fill("#new-password", new_password)
    page.fill("#new-password-confirm", new_password)
    page.click("#change-password-submit")
    expect(page.locator("#notice")).to_contain_text("signed out on every device")
    page.fill("#login-password", new_password)
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(re.escape(server.url + routes.ACCOUNT) + "/?$"))  # back where we were
    expect(page.locator("#account-email")).to_have_text("rita@shop.example")
