"""The app shell in a real browser: landing, login over the websocket, phone drawer, 404."""

from __future__ import annotations

import base64
import os
import socket
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from mediashare import routes
from tests.e2e.conftest import Server, nav, sign_in

pytestmark = pytest.mark.e2e


def test_landing_page_renders(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_title("MediaShare")
    expect(page.locator("#hero-title")).to_have_text("Your photos and videos, kept, restored and shared.")
    expect(page.get_by_text("Restore old photos")).to_be_visible()
    expect(page.locator("#sign-in-link")).to_be_visible()


def test_seeded_user_signs_in_sees_their_name_and_signs_out(page: Page, server: Server) -> None:
    sign_in(page, "demo-user", server.passwords["demo-user"])
    # The name arrives through the websocket: the server resolved our HttpOnly session cookie.
    expect(page.locator("#user-menu-name")).to_have_text("Uma User")
    expect(page.locator("#greeting")).to_contain_text("Welcome back, Uma User")
    cookie = next(c for c in page.context.cookies() if c["name"] == routes.SESSION_COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find(routes.SESSION_COOKIE) == -1  # invisible to scripts

    page.click("#user-menu")
    page.click("#sign-out")
    expect(page.locator("#sign-in-link")).to_be_visible()
    page.goto(routes.ACCOUNT)  # the ended session no longer opens the account page
    expect(page.locator("#login-form")).to_be_visible()
    assert "next=" in page.url


def test_wrong_password_shows_a_clear_message_and_keeps_the_username(page: Page) -> None:
    sign_in(page, "demo-user", "certainly not the password")
    expect(page.locator("#login-error")).to_have_text(
        "That username or email and password do not match an account."
    )
    expect(page.locator("#login-identifier")).to_have_value("demo-user")


def test_menu_is_role_aware(page: Page, server: Server) -> None:
    sign_in(page, "demo-user", server.passwords["demo-user"])
    expect(page.locator("#user-menu-name")).to_be_visible()
    expect(page.locator("#desktop-nav").get_by_text("Gallery")).to_be_visible()
    expect(page.locator("#nav-admin")).to_have_count(0)
    expect(page.locator("#nav-business")).to_have_count(0)
    page.goto(routes.SYSTEM)
    expect(page.get_by_text("Only administrators can see the system status.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu-name")).to_have_text("Ada Admin")
    nav(page, "System")
    expect(page.get_by_role("row", name="database")).to_contain_text("ok")


def test_phone_width_collapses_the_menu_into_a_drawer(phone: Page, server: Server) -> None:
    sign_in(phone, "demo-customer1", server.passwords["demo-customer1"])
    expect(phone.locator("#user-menu")).to_be_visible()
    expect(phone.locator("#desktop-nav")).to_be_hidden()
    expect(phone.locator("#mobile-drawer")).to_have_count(0)
    phone.click("#menu-button")
    drawer = phone.locator("#mobile-drawer")
    expect(drawer).to_be_visible()
    expect(drawer.get_by_text("Account")).to_be_visible()
    phone.wait_for_function("() => { const r = document.querySelector('#mobile-drawer').getBoundingClientRect();"
                            " return r.left >= 0 && r.right <= window.innerWidth; }")
    drawer.get_by_text("Account").click()
    expect(phone).to_have_url(f"{server.url}{routes.ACCOUNT}")
    expect(phone.get_by_text("demo-customer1@example.com")).to_be_visible()
    # Nothing on the page is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_unknown_address_shows_the_404_page(page: Page) -> None:
    page.goto("/no/such/page")
    expect(page.locator("#not-found-title")).to_have_text("Page not found")


def _handshake_status(server: Server, origin: str) -> str:
    parts = urlsplit(server.url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Origin: {origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as connection:
        connection.sendall(request.encode())
        return connection.recv(1024).decode(errors="replace").split("\r\n", 1)[0]


def test_websocket_refuses_a_foreign_origin(server: Server) -> None:
    assert " 101 " in _handshake_status(server, server.url)
    assert " 403 " in _handshake_status(server, "http://evil.example")
