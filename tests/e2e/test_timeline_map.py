"""The timeline's scrubber and the map's clusters in a real browser (and the scrubber at phone width)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from mediashare import routes
from mediashare.settings import PROJECT_ROOT
from tests.e2e.conftest import Server, add_photos, nav, sign_in

pytestmark = pytest.mark.e2e



@pytest.fixture(autouse=True)
def _patient_expect():
    """Data arrives over the websocket after a few round trips: allow a busy machine 15 s (not 5)."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


PARIS, LOUVRE, TOKYO = "48.8584:2.2945", "48.8606:2.3376", "35.6762:139.6503"


def _place(server: Server, *specs: str) -> None:
    result = subprocess.run([sys.executable, "-m", "tests.e2e.place_media", *specs], env=server.env,
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_scrubber_jumps_to_an_older_month_and_the_map_clusters_photos(page: Page, server: Server) -> None:
    ids = add_photos(server, "demo-user", 6, first_seed=141)
    _place(server, f"{ids[0]}:2025-03-02:{PARIS}", f"{ids[1]}:2025-03-20:{LOUVRE}", f"{ids[2]}:2025-03-21",
           f"{ids[3]}:2021-01-10:{TOKYO}", f"{ids[4]}:2019-07-04", f"{ids[5]}:2019-07-05")
    sign_in(page, "demo-user", server.passwords["demo-user"])
    expect(page.locator("#user-menu")).to_be_visible()
    nav(page, "Timeline")
    expect(page).to_have_url(f"{server.url}{routes.TIMELINE}")
    expect(page.locator("#month-2025-03 .timeline-tile")).to_have_count(3)
    expect(page.locator("#month-2025-03")).to_contain_text("March 2025")
    scrubber = page.locator("#timeline-scrubber")
    expect(scrubber.locator("[data-jump='2019-07']")).to_contain_text("2")

    scrubber.locator("[data-jump='2019-07']").click()
    july = page.locator("#month-2019-07")
    expect(july.locator(".timeline-tile")).to_have_count(2)
    expect(july).to_be_in_viewport()
    expect(july).to_contain_text("Friday 5 July")
    expect(page.locator("#month-2025-03")).to_have_count(0)  # the window starts at the month jumped to
    page.click("#timeline-newer")
    expect(page.locator("#month-2021-01 .timeline-tile")).to_have_count(1)
    expect(page.locator("#month-2019-07 .timeline-tile")).to_have_count(2)

    # Dragging along the scrubber and letting go on a month jumps there too.
    start = scrubber.locator("[data-jump='2025-03']").bounding_box()
    end = scrubber.locator("[data-jump='2021-01']").bounding_box()
    assert start and end
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(end["x"] + 5, end["y"] + 5, steps=5)
    page.mouse.up()
    expect(page.locator("#month-2021-01")).to_be_in_viewport()
    expect(page.locator("#month-2025-03")).to_have_count(0)

    page.locator(f"#month-2021-01 .timeline-tile[data-id='{ids[3]}']").click()
    expect(page).to_have_url(f"{server.url}{routes.media_page(ids[3])}")

    nav(page, "Map")
    expect(page.locator("#map-located")).to_have_text("3 photos with a place")
    expect(page.locator("#photo-map .leaflet-container, #photo-map.leaflet-container")).to_have_count(1)
    expect(page.locator("#photo-map .ms-land").first).to_be_attached()  # the world outline
    paris = page.locator("#photo-map .ms-pin[data-count='2']")
    expect(paris).to_have_count(1)
    expect(paris.locator(".ms-count")).to_have_text("2")
    expect(page.locator("#photo-map .ms-pin[data-count='1']")).to_have_count(1)  # Tokyo
    expect(page.locator("#map-in-view")).to_have_text("3 photos in view")

    paris.click()  # zooms in until the two photos are apart
    expect(page.locator("#photo-map .ms-pin[data-count='1']")).to_have_count(2)
    expect(page.locator("#map-in-view")).to_have_text("2 photos in view")
    expect(page.locator(f"#map-photos .timeline-tile[data-id='{ids[1]}']")).to_be_visible()
    page.locator("#photo-map .ms-pin[data-count='1']").first.click()
    expect(page).to_have_url(re.compile(rf"/media/({ids[0]}|{ids[1]})$"))

    page.goto(routes.MAP)
    page.fill("#map-since", "2020-01-01")
    page.fill("#map-until", "2021-12-31")
    expect(page.locator("#map-in-view")).to_have_text("1 photo in view")
    expect(page.locator("#photo-map .ms-pin")).to_have_count(1)


def test_the_scrubber_shows_years_at_phone_width(phone: Page, server: Server) -> None:
    ids = add_photos(server, "demo-user", 2, first_seed=151)
    _place(server, f"{ids[0]}:2026-01-03", f"{ids[1]}:2016-02-03")
    sign_in(phone, "demo-user", server.passwords["demo-user"])
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.TIMELINE)
    year = phone.locator("#timeline-scrubber [data-jump='year-2016']")
    expect(year).to_be_visible()
    expect(phone.locator("#timeline-scrubber [data-jump='2016-02']")).to_be_hidden()  # years only on a phone
    box = phone.locator("#timeline-scrubber").bounding_box()
    assert box and box["x"] + box["width"] <= 390 and box["width"] < 70
    year.click()
    expect(phone.locator("#month-2016-02 .timeline-tile")).to_have_count(1)
    expect(phone.locator("#month-2016-02")).to_be_in_viewport()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
