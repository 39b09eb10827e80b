"""The catalog in a real browser: an admin publishes a video priced 3 from its media page; a
customer finds it in the catalog, confirms the price and plays it; reloading and playing again
within the window costs nothing. A customer plays a song in the mini-player, queues another from
a second page, the player moves on to it, and the watch history lists both. A customer opens an
album from the Music row and presses Play album: its songs play in track order."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from mediashare import db, routes
from mediashare.models import User
from mediashare.services import catalog, ledger
from tests.e2e.conftest import Server, balance, nav, sign_in, store_media
from tests.factories import PASSWORD, make_user
from tests.media_files import wav_file, webm_file

pytestmark = pytest.mark.e2e


def test_admin_publishes_a_priced_video_and_a_customer_pays_once(
        page: Page, phone: Page, server: Server, tmp_path: Path) -> None:
    (video_id,) = store_media(server, "demo-admin", webm_file(tmp_path / "night-train.webm"))
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(f"/media/{video_id}")
    page.click("#media-publish")
    dialog = page.locator("#catalog-editor")
    expect(dialog).to_be_visible()
    expect(page.locator("#catalog-title")).to_have_value("night-train")
    page.fill("#catalog-title", "Night Train")
    page.fill("#catalog-year", "2021")
    page.fill("#catalog-price", "3")
    page.fill("#catalog-plot", "A train, at night.")
    page.fill("#catalog-cast", "Ann Actor, Bob Builder")
    page.click("#catalog-editor-submit")
    expect(page.get_by_text("Published to the catalog.")).to_be_visible()
    nav(page, "Published titles")  # the Admin menu's management list
    expect(page.locator(".catalog-managed")).to_contain_text("Night Train")

    with db.session_scope(server.database_url) as session:
        customer = make_user(session)
        ledger.grant(session, actor=None, to=customer, amount=10, reference="welcome")
        username = customer.username
    sign_in(phone, username, PASSWORD)
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.CATALOG)
    expect(phone.locator("#catalog-row-new")).to_contain_text("Night Train")
    phone.locator("#catalog-row-new .catalog-poster").first.click()
    expect(phone.locator("#catalog-title")).to_have_text("Night Train")
    expect(phone.locator("#catalog-cast")).to_contain_text("Bob Builder")
    expect(phone.locator("#catalog-price")).to_contain_text("3 credits")
    phone.click("#catalog-play")
    expect(phone.locator("#catalog-confirm")).to_contain_text("3 credits")
    expect(phone.locator("#catalog-confirm")).to_contain_text("10")
    phone.click("#catalog-confirm-play")
    phone.wait_for_function("document.getElementById('catalog-player')?.readyState >= 1")
    assert balance(server, username) == 7

    phone.reload()
    expect(phone.locator("#catalog-window")).to_contain_text("until")
    phone.click("#catalog-play")  # the window is open: no confirmation, no charge
    phone.wait_for_function("document.getElementById('catalog-player')?.readyState >= 1")
    assert balance(server, username) == 7
    expect(phone.locator("#catalog-confirm")).to_have_count(0)
    phone.click("#catalog-my-list")
    phone.goto(routes.CATALOG)
    expect(phone.locator("#catalog-row-list")).to_contain_text("Night Train")
    phone.fill("#catalog-search", "train")
    phone.keyboard.press("Enter")
    expect(phone.locator("#catalog-grid .catalog-poster")).to_have_count(1)
    phone.fill("#catalog-search", "no such film")
    phone.keyboard.press("Enter")
    expect(phone.locator("#catalog-empty")).to_contain_text("Nothing matches")


def test_a_customer_queues_songs_that_play_in_turn_and_shows_up_in_the_history(
        phone: Page, server: Server, tmp_path: Path) -> None:
    first, second = store_media(server, "demo-admin", wav_file(tmp_path / "first.wav", seconds=6),
                                wav_file(tmp_path / "second.wav", seconds=1.5))
    with db.session_scope(server.database_url) as session:
        admin = session.exec(select(User).where(User.username == "demo-admin")).one()
        for media_id, title in ((first, "First Song"), (second, "Second Song")):
            catalog.publish(session, actor=admin, media_id=media_id,
                            values={"title": title, "kind": "music", "price": "0"})
        username = make_user(session).username
    sign_in(phone, username, PASSWORD)
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.CATALOG)
    phone.locator("#catalog-row-music .catalog-poster", has_text="First Song").click()
    expect(phone.locator("#catalog-title")).to_have_text("First Song")
    phone.click("#music-play")
    expect(phone.locator("#music-now-title")).to_have_text("First Song")
    phone.wait_for_function("document.getElementById('music-player')?.paused === false")

    phone.go_back()  # to the catalog and on to the second song's page, within the tab
    phone.locator("#catalog-row-music .catalog-poster", has_text="Second Song").click()
    expect(phone.locator("#catalog-title")).to_have_text("Second Song")
    expect(phone.locator("#music-now-title")).to_have_text("First Song")  # the player came along
    phone.click("#music-add-to-queue")
    phone.click("#music-queue-toggle")
    expect(phone.locator("#music-queue .music-queue-track")).to_have_count(2)
    expect(phone.locator("#music-now-title")).to_have_text("Second Song", timeout=30_000)  # the first one ended
    phone.wait_for_function("document.getElementById('music-player')?.paused === false")

    phone.go_back()
    phone.click("#catalog-history-link")
    expect(phone.locator(".history-line")).to_have_count(2)
    expect(phone.locator(".history-line").first).to_contain_text("Second Song")
    expect(phone.locator(".history-line").nth(1)).to_contain_text("First Song")


def test_a_customer_plays_an_album_in_track_order_from_the_music_row(
        page: Page, phone: Page, server: Server, tmp_path: Path) -> None:
    # track 1 is short, so the player moves on to track 2 quickly
    files = {title: wav_file(tmp_path / f"{title}.wav", seconds=seconds)
             for title, seconds in (("Second Movement", 6.5), ("First Movement", 1.25), ("Third Movement", 2.25))}
    second, first, third = store_media(server, "demo-admin", *files.values())
    with db.session_scope(server.database_url) as session:
        admin = session.exec(select(User).where(User.username == "demo-admin")).one()
        for media_id, title, track in ((second, "Second Movement", "2"), (third, "Third Movement", "3")):
            catalog.publish(session, actor=admin, media_id=media_id,
                            values={"title": title, "kind": "music", "price": "0", "artist": "the quartet",
                                    "album": "NIGHT SUITE", "track_number": track})
        username = make_user(session).username
    # the admin publishes track 1 from its page; a bad track number is refused and nothing typed is lost
    sign_in(page, "demo-admin", server.passwords["demo-admin"])
    expect(page.locator("#user-menu")).to_be_visible()
    page.goto(f"/media/{first}")
    page.click("#media-publish")
    expect(page.locator("#catalog-music-fields")).to_be_visible()  # an audio item is published as music
    page.fill("#catalog-title", "First Movement")
    page.fill("#catalog-price", "0")
    page.fill("#catalog-artist", "The Quartet")
    page.fill("#catalog-album", "Night Suite")
    page.fill("#catalog-track_number", "0")
    page.click("#catalog-editor-submit")
    expect(page.get_by_text("The track number must be from 1 to 999.")).to_be_visible()
    expect(page.locator("#catalog-artist")).to_have_value("The Quartet")
    expect(page.locator("#catalog-album")).to_have_value("Night Suite")
    page.fill("#catalog-track_number", "1")
    page.click("#catalog-editor-submit")
    expect(page.get_by_text("Published to the catalog.")).to_be_visible()

    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)[:200]))
    sign_in(phone, username, PASSWORD)
    expect(phone.locator("#user-menu")).to_be_visible()
    phone.goto(routes.CATALOG)
    expect(phone.locator("#catalog-row-music .catalog-poster", has_text="Night Suite")).to_contain_text("3 songs")
    phone.screenshot(path=str(tmp_path / "catalog-at-390px.png"))
    phone.locator("#catalog-row-music .catalog-poster", has_text="Night Suite").click()
    expect(phone.locator("#album-title")).to_have_text("Night Suite")
    expect(phone.locator("#album-artist")).to_have_text("The Quartet")
    expect(phone.locator("#album-summary")).to_contain_text("3 songs")
    expect(phone.locator(".album-track-title")).to_have_text(["First Movement", "Second Movement", "Third Movement"])
    expect(phone.locator(".album-track-length")).to_have_text(["0:01", "0:06", "0:02"])
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0  # fits 390 px
    phone.screenshot(path=str(tmp_path / "album-at-390px.png"), full_page=True)

    phone.click("#album-play")
    expect(phone.locator("#music-now-title")).to_have_text("First Movement")
    expect(phone.locator("#music-now-artist")).to_have_text(" — The Quartet")
    phone.wait_for_function("document.getElementById('music-player')?.paused === false")
    expect(phone.locator("#music-now-title")).to_have_text("Second Movement", timeout=30_000)  # track 1 ended
    phone.wait_for_function("document.getElementById('music-player')?.paused === false")
    phone.click("#music-queue-toggle")
    expect(phone.locator("#music-queue .music-queue-track")).to_have_count(3)
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    phone.screenshot(path=str(tmp_path / "album-playing-at-390px.png"), full_page=True)
    assert errors == []
