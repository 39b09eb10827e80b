"""The catalog's whole import flow in a real browser, against recorded TMDB/OMDb answers (no internet):
the admin saves the providers' keys, imports "The Matrix" into a stored video from its media page
(details, genres, poster), prices it at 2 and publishes it; a customer finds it in the genre row, plays
it (2 credits, once), leaves at 0:30, comes back and the player resumes at 0:30 without a second charge.

The app runs as its own process, so it reaches the recorded server through the test-only setting
METADATA_RECORDED_ORIGIN (settings.py, services/safe_fetch.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from mediashare import db, routes
from mediashare.models import CatalogEntry, Genre, PlaybackPosition, User
from mediashare.services import ledger
from tests.e2e.conftest import CHROMIUM, Server, balance, configured_server, sign_in, store_media
from tests.factories import PASSWORD, make_user
from tests.media_files import clip_file
from tests.recorded_server import FIXTURES, OMDB_KEY, TMDB_KEY, RecordedServer, serve_the_matrix

pytestmark = pytest.mark.e2e

PRICE = 2
PLAYER = "document.getElementById('catalog-player')"


@pytest.fixture(scope="module")
def recorded() -> Iterator[RecordedServer]:
    """The recorded providers, plus the backdrop and the search list's small poster (the same recorded JPEG)."""
    server = serve_the_matrix(RecordedServer())
    picture = (FIXTURES / "poster_w780.jpg").read_bytes()
    server.add("/t/p/w1280/tlm8UkiQsitc8rSuIAscQDCnP8d.jpg", picture, content_type="image/jpeg")
    server.add("/t/p/w185/p96dm7sCMn4VYAStA6siNz30G1r.jpg", picture, content_type="image/jpeg")
    yield server
    server.close()


@pytest.fixture(scope="module", params=["embedded", "production"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           recorded: RecordedServer) -> Iterator[Server]:
    """The app in both configurations, its metadata imports pointed at the recorded server."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    yield from configured_server(request.param, tmp_path_factory.mktemp(f"import-{request.param}"),
                                 extra_env={"METADATA_RECORDED_ORIGIN": recorded.base})


def _saved_position(server: Server, username: str, media_id: int) -> float | None:
    with db.session_scope(server.database_url) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        row = session.exec(select(PlaybackPosition).where(PlaybackPosition.user_id == user.id,
                                                          PlaybackPosition.media_id == media_id)).first()
        return row.position_seconds if row is not None else None


def _wait_for_position(page: Page, server: Server, username: str, media_id: int, near: float) -> float:
    """Poll the server's database until the saved position is within a second of `near`."""
    for _ in range(60):
        position = _saved_position(server, username, media_id)
        if position is not None and abs(position - near) <= 1:
            return position
        page.wait_for_timeout(500)
    raise AssertionError(f"the saved position stayed at {position}, not {near}")


def test_admin_imports_a_film_and_a_customer_resumes_it_where_they_left(
        page: Page, phone: Page, server: Server, recorded: RecordedServer, tmp_path: Path) -> None:
    (video_id,) = store_media(server, "demo-admin", clip_file(tmp_path / "feature.webm", seconds=50))
    assert "Metadata imports come from the recorded test server at " + recorded.base in server.log.read_text()

    # The admin pastes the providers' keys; the page says where metadata really comes from.
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(routes.ADMIN_METADATA)
    expect(page.locator("#metadata-recorded-origin")).to_contain_text(
        f"Metadata comes from the recorded test server at {recorded.base} (METADATA_RECORDED_ORIGIN)")
    for name, key, label in (("tmdb", TMDB_KEY, "TMDB"), ("omdb", OMDB_KEY, "OMDb")):
        page.fill(f"#key-{name}", key)
        page.press(f"#key-{name}", "Enter")
        expect(page.get_by_text(f"{label} key saved.")).to_be_visible()
    expect(page.locator(".provider-row", has_text="Ready")).to_have_count(2)

    # Import "The Matrix" into the video's catalog entry, price it and publish it.
    page.goto(f"/media/{video_id}")
    page.click("#media-publish")
    expect(page.locator("#catalog-editor")).to_be_visible()
    page.fill("#catalog-find-title", "The Matrix")
    page.click("#catalog-find")
    match = page.locator(".catalog-found").first
    expect(match).to_contain_text("The Matrix")
    expect(match).to_contain_text("1999 · film · TMDB, OMDb")
    match.locator(".catalog-found-use").click()
    expect(page.locator("#catalog-imported-from")).to_have_text("Details from TMDB, OMDb")
    expect(page.locator("#catalog-title")).to_have_value("The Matrix")
    expect(page.locator("#catalog-year")).to_have_value("1999")
    expect(page.locator("#catalog-plot")).to_have_value(re.compile(r"^Set in the 22nd century"))
    expect(page.locator("#catalog-cast")).to_have_value(
        "Keanu Reeves, Laurence Fishburne, Carrie-Anne Moss, Hugo Weaving")
    expect(page.locator("#catalog-rating")).to_have_value("8.2")
    expect(page.locator("#catalog-runtime_minutes")).to_have_value("136")
    expect(page.locator("#catalog-age_rating")).to_have_value("R")
    expect(page.locator(".catalog-genre-choice[aria-pressed='true']")).to_have_text(["Action", "Science Fiction"])
    page.fill("#catalog-price", str(PRICE))
    page.click("#catalog-editor-submit")
    expect(page.get_by_text("Published to the catalog.")).to_be_visible()
    expect(page.get_by_text("Poster and backdrop imported.")).to_be_visible()
    with db.session_scope(server.database_url) as session:
        entry = session.exec(select(CatalogEntry).where(CatalogEntry.media_id == video_id)).one()
        assert (entry.title, entry.year, entry.price) == ("The Matrix", 1999, PRICE)
        assert entry.poster_key and entry.backdrop_key
        science_fiction = session.exec(select(Genre).where(Genre.name == "Science Fiction")).one().id
        admin = session.exec(select(User).where(User.username == "demo-admin")).one()
        customer = make_user(session, parent=admin)
        ledger.grant(session, actor=None, to=customer, amount=10, reference="welcome")
        username = customer.username

    # A customer (on a phone) finds it in its genre row, with the imported poster, and pays once to play it.
    sign_in(phone, username, PASSWORD)
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.CATALOG)
    row = phone.locator(f"#catalog-row-genre-{science_fiction}")
    expect(row).to_contain_text("Science Fiction")
    film = row.locator(".catalog-poster", has_text="The Matrix")
    expect(film).to_have_count(1)
    film.scroll_into_view_if_needed()
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=film.locator("img").element_handle())
    film.click()
    expect(phone.locator("#catalog-title")).to_have_text("The Matrix")
    expect(phone.locator("#catalog-genres")).to_contain_text("Science Fiction")
    expect(phone.locator("#catalog-price")).to_contain_text(f"{PRICE} credits")
    phone.click("#catalog-play")
    expect(phone.locator("#catalog-confirm")).to_contain_text("Your balance: 10 credits")
    phone.click("#catalog-confirm-play")
    expect(phone.get_by_text(f"{PRICE} credits paid. Enjoy the show.")).to_be_visible()
    phone.wait_for_function(f"{PLAYER}?.readyState >= 1 && !{PLAYER}.paused && {PLAYER}.currentTime > 0")
    assert balance(server, username) == 10 - PRICE

    # It reaches 0:30 and the customer leaves for the credits page.
    phone.evaluate(f"() => {{ const p = {PLAYER}; p.pause(); p.currentTime = 30; }}")
    phone.wait_for_function(f"{PLAYER}.seeking === false && Math.abs({PLAYER}.currentTime - 30) < 0.5")
    _wait_for_position(phone, server, username, video_id, 30)
    phone.goto(routes.CREDITS)
    expect(phone.locator("#credits-balance")).to_have_text(str(10 - PRICE))

    # Back on the title (through "Continue watching"), Play resumes at 0:30 without a second charge.
    phone.goto(routes.CATALOG)
    phone.locator("#catalog-row-continue .catalog-poster", has_text="The Matrix").click()
    expect(phone.locator("#catalog-window")).to_contain_text("until")
    phone.click("#catalog-play")
    phone.wait_for_function(f"{PLAYER}?.readyState >= 1 && !{PLAYER}.paused && {PLAYER}.currentTime >= 29")
    resumed = phone.evaluate(f"{PLAYER}.currentTime")
    assert 29 <= resumed <= 33
    expect(phone.locator("#catalog-confirm")).to_have_count(0)
    assert balance(server, username) == 10 - PRICE
    phone.goto(routes.CREDITS)
    expect(phone.locator("#credits-balance")).to_have_text(str(10 - PRICE))
