"""METADATA_RECORDED_ORIGIN, the test-only setting browser tests start the app with: the production
default import path (no policy, no endpoints passed) reaches the recorded server, while the SSRF
guard still refuses every other loopback address, port and scheme (both databases, no internet)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from mediashare.errors import FetchRefused
from mediashare.models import Role, User
from mediashare.services import catalog_import
from mediashare.services import catalog_metadata as metadata
from mediashare.settings import get_settings
from tests.factories import make_user
from tests.recorded_server import FIXTURES, OMDB_KEY, POSTER, TMDB_KEY, RecordedServer, serve_the_matrix
from tests.services.test_catalog import publish, video


@pytest.fixture
def server() -> Iterator[RecordedServer]:
    """The recorded TMDB/OMDb server, named as the operator's METADATA_RECORDED_ORIGIN."""
    recorded = serve_the_matrix(RecordedServer())
    yield recorded
    recorded.close()


@pytest.fixture
def elsewhere() -> Iterator[RecordedServer]:
    """A second loopback server (another port) that must never be reached."""
    other = serve_the_matrix(RecordedServer())
    yield other
    other.close()


@pytest.fixture
def recorded_origin(server: RecordedServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordedServer]:
    monkeypatch.setenv("METADATA_RECORDED_ORIGIN", server.base)
    get_settings.cache_clear()
    yield server
    get_settings.cache_clear()


@pytest.fixture
def admin(session: Session) -> User:
    admin = make_user(session, role=Role.ADMIN)
    metadata.set_api_key(session, actor=admin, name="tmdb", key=TMDB_KEY)
    metadata.set_api_key(session, actor=admin, name="omdb", key=OMDB_KEY)
    return admin


def test_the_default_import_path_reaches_the_recorded_server(
        session: Session, admin: User, recorded_origin: RecordedServer, tmp_path: Path) -> None:
    server = recorded_origin
    assert metadata.recorded_origin() == server.base
    found, notices = catalog_import.find(session, actor=admin, title="The Matrix")
    assert notices == []
    assert (found[0].title, found[0].year, found[0].providers) == ("The Matrix", 1999, "TMDB, OMDb")
    filled = catalog_import.prefill(session, actor=admin, ref=found[0].ref)
    assert (filled.values["title"], filled.values["year"], filled.values["cast"][:12]) == (
        "The Matrix", "1999", "Keanu Reeves")
    assert filled.genre_names == ["Action", "Science Fiction"]
    assert filled.poster_url == f"{server.base}{POSTER}"

    entry = publish(session, admin, video(session, admin, tmp_path), **filled.values)
    catalog_import.set_genres(session, actor=admin, entry_id=entry.id, genre_ids=filled.genre_ids)
    problems = catalog_import.store_art(session, actor=admin, entry_id=entry.id, poster_url=filled.poster_url)
    assert problems == []
    data, content_type, _ = catalog_import.art(session, viewer=make_user(session), entry_id=entry.id,
                                               which="poster")
    assert data == (FIXTURES / "poster_w780.jpg").read_bytes() and content_type == "image/jpeg"
    asked = {seen.path for seen in server.requests}
    assert {"/3/search/movie", "/3/movie/603", "/omdb/", POSTER} <= asked


def test_the_guard_still_refuses_every_other_loopback_address(
        session: Session, admin: User, recorded_origin: RecordedServer, elsewhere: RecordedServer,
        tmp_path: Path) -> None:
    server = recorded_origin
    port = server.port
    assert metadata.download_image(session, actor=admin, url=f"{server.base}{POSTER}").content_type == "image/jpeg"
    for url in (f"{elsewhere.base}{POSTER}",  # the same host, another port
                f"http://localhost:{port}{POSTER}", f"http://127.0.0.2:{port}{POSTER}",
                f"http://[::1]:{port}{POSTER}", f"https://127.0.0.1:{port}{POSTER}",
                f"http://user@127.0.0.1:{port}{POSTER}", f"http://127.0.0.1{POSTER}"):
        with pytest.raises(FetchRefused):
            metadata.download_image(session, actor=admin, url=url)
    # A redirect from the recorded server to another loopback port is checked like the first hop.
    server.add("/t/p/w780/moved.jpg", b"", status=302, headers={"Location": f"{elsewhere.base}{POSTER}"})
    with pytest.raises(FetchRefused):
        metadata.download_image(session, actor=admin, url=f"{server.base}/t/p/w780/moved.jpg")
    entry = publish(session, admin, video(session, admin, tmp_path), title="Elsewhere")
    problems = catalog_import.store_art(session, actor=admin, entry_id=entry.id,
                                        poster_url=f"{elsewhere.base}{POSTER}")
    assert len(problems) == 1 and problems[0].startswith("The poster could not be imported:")
    assert elsewhere.requests == []


def test_without_the_setting_the_recorded_server_is_refused(
        session: Session, admin: User, server: RecordedServer) -> None:
    assert metadata.recorded_origin() == ""
    with pytest.raises(FetchRefused, match="Only https"):
        metadata.download_image(session, actor=admin, url=f"{server.base}{POSTER}")
    assert server.requests == []
