"""The imported poster over HTTP: the entry's audience gets the stored bytes, everyone else 404 (or 401
when signed out), and nobody once the entry is unpublished."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session
from starlette.testclient import TestClient

from mediashare import routes
from mediashare.models import Role
from mediashare.services import catalog, catalog_import
from mediashare.services import catalog_metadata as metadata
from tests.api.test_media_route import _sign_in, client  # noqa: F401  (fixture)
from tests.factories import make_user
from tests.recorded_server import FIXTURES
from tests.services.test_catalog import publish, video
from tests.services.test_catalog_metadata import POSTER, TMDB_KEY, _options, server  # noqa: F401


def test_only_the_audience_gets_the_imported_poster(client: TestClient, session: Session, server,  # noqa: F811
                                                    tmp_path: Path) -> None:
    admin = make_user(session, role=Role.ADMIN)
    metadata.set_api_key(session, actor=admin, name="tmdb", key=TMDB_KEY)
    reseller, other = make_user(session, role=Role.RESELLER), make_user(session, role=Role.RESELLER)
    metadata.set_enabled(session, actor=admin, name="omdb", enabled=False)
    customer, outsider = make_user(session, parent=reseller), make_user(session, parent=other)
    entry = publish(session, reseller, video(session, reseller, tmp_path), title="The Matrix")
    assert catalog_import.store_art(session, actor=reseller, entry_id=entry.id, poster_url=f"{server.base}{POSTER}",
                                    **_options(server)) == []
    session.refresh(entry)
    url = routes.catalog_art_url(entry.id, "poster", entry.poster_key)
    assert client.get(url).status_code == 401  # signed out
    _sign_in(client, session, outsider)
    assert client.get(url).status_code == 404
    _sign_in(client, session, customer)
    answer = client.get(url)
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    assert answer.content == (FIXTURES / "poster_w780.jpg").read_bytes()
    assert client.get(url.replace("/poster", "/backdrop")).status_code == 404  # none imported
    catalog.unpublish(session, actor=reseller, entry_id=entry.id)
    assert client.get(url).status_code == 404
