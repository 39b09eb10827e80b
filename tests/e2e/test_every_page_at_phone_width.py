"""Every signed-in page an admin can open renders at phone width: React hydrates it without an error
(invalid HTML nesting, such as a block inside a paragraph, makes React throw the server's page away
and the top bar's responsive styles with it) and the page is never wider than the phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from mediashare import routes
from tests.e2e.conftest import Server, sign_in

pytestmark = pytest.mark.e2e

_SKIPPED = {routes.LOGIN, routes.LOGIN_2FA, routes.REGISTER, routes.VERIFY_EMAIL, routes.FORGOT_PASSWORD,
            routes.RESET_PASSWORD, routes.REFLEX_UPLOAD}  # signed-out pages, or not a page
PAGES = sorted(value for name, value in vars(routes).items()
               if name.isupper() and isinstance(value, str) and value.startswith("/") and "[" not in value
               and "{" not in value and not value.startswith("/api") and value not in _SKIPPED)


def test_every_page_hydrates_and_fits_a_phone(phone: Page, server: Server) -> None:
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)[:200]))
    sign_in(phone, "demo-admin", server.passwords["demo-admin"])
    phone.wait_for_selector("#user-menu")
    problems = []
    for path in PAGES:
        errors.clear()
        phone.goto(path)
        phone.wait_for_load_state("networkidle")
        phone.wait_for_timeout(500)
        wider = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if errors or wider > 0:
            problems.append(f"{path}: {errors[:1]} {wider} px wider than the phone" if wider > 0
                            else f"{path}: {errors[:1]}")
    assert not problems, "\n".join(problems)
