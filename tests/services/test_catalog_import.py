"""Importing a title's details, artwork and genres into a catalog entry from recorded TMDB/OMDb answers
(both databases, no internet)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from mediashare.errors import NotFound, PermissionDenied, ValidationFailed
from mediashare.models import Role
from mediashare.services import catalog, catalog_import, genres, reconcile
from mediashare.services import catalog_metadata as metadata
from tests.factories import make_user
from tests.recorded_server import FIXTURES
from tests.services.test_catalog import publish, video
from tests.services.test_catalog_metadata import OMDB_KEY, POSTER, TMDB_KEY, _options, server  # noqa: F401

pytestmark = pytest.mark.usefixtures("server")


@pytest.fixture
def admin(session: Session):
    admin = make_user(session, role=Role.ADMIN)
    metadata.set_api_key(session, actor=admin, name="tmdb", key=TMDB_KEY)
    metadata.set_api_key(session, actor=admin, name="omdb", key=OMDB_KEY)
    return admin


def _drop_genre(session: Session, admin, name: str) -> None:
    for genre in genres.all_genres(session):
        if genre.name == name:
            genres.delete(session, actor=admin, genre_id=genre.id)


def test_an_admin_imports_the_matrix_into_an_entry(session: Session, admin, server, tmp_path: Path) -> None:  # noqa: F811
    options = _options(server)
    _drop_genre(session, admin, "Science Fiction")
    found, notices = catalog_import.find(session, actor=admin, title="The Matrix", year="1999", **options)
    assert notices == []
    matrix = found[0]
    assert (matrix.title, matrix.year, matrix.kind, matrix.providers) == ("The Matrix", 1999, "film", "TMDB, OMDb")
    filled = catalog_import.prefill(session, actor=admin, ref=matrix.ref, **options)
    assert filled.values["title"] == "The Matrix" and filled.values["year"] == "1999"
    assert filled.values["kind"] == "film" and filled.values["runtime_minutes"] == "136"
    assert filled.values["rating"] == "8.2" and filled.values["age_rating"] == "R"
    assert filled.values["cast"].startswith("Keanu Reeves, Laurence Fishburne")
    assert filled.values["plot"].startswith("Set in the 22nd century")
    assert filled.genre_names == ["Action", "Science Fiction"]  # the missing one created: the importer is an admin
    assert "Science Fiction" in [g.name for g in genres.all_genres(session)]

    entry = publish(session, admin, video(session, admin, tmp_path), **filled.values)
    assert catalog_import.set_genres(session, actor=admin, entry_id=entry.id, genre_ids=filled.genre_ids) == [
        "Action", "Science Fiction"]
    problems = catalog_import.store_art(session, actor=admin, entry_id=entry.id, poster_url=filled.poster_url,
                                        backdrop_url=filled.backdrop_url, **options)
    # the recorded server has no backdrop: a clear message, and the poster and details stay
    assert len(problems) == 1 and problems[0].startswith("The backdrop could not be imported:")
    session.refresh(entry)
    assert (entry.title, entry.year, entry.runtime_minutes, entry.rating) == ("The Matrix", 1999, 136, 8.2)
    assert entry.poster_key and entry.backdrop_key is None

    customer = make_user(session)
    data, content_type, _ = catalog_import.art(session, viewer=customer, entry_id=entry.id, which="poster")
    assert data == (FIXTURES / "poster_w780.jpg").read_bytes() and content_type == "image/jpeg"
    with pytest.raises(NotFound, match="no imported backdrop"):
        catalog_import.art(session, viewer=customer, entry_id=entry.id, which="backdrop")
    # the catalog's genre filter and rows; reconcile keeps the stored poster
    action = next(g for g in genres.all_genres(session) if g.name == "Action")
    assert [c.entry.title for c in catalog.browse(session, viewer=customer, genre=action.id)] == ["The Matrix"]
    assert [(g.name, [c.entry.id for c in cards]) for g, cards in catalog_import.rows(session, viewer=customer)] == [
        ("Action", [entry.id]), ("Science Fiction", [entry.id])]
    reconcile.reconcile(session, grace=timedelta(0))
    catalog.unpublish(session, actor=admin, entry_id=entry.id)
    with pytest.raises(NotFound):
        catalog_import.art(session, viewer=customer, entry_id=entry.id, which="poster")
    assert catalog_import.art(session, viewer=admin, entry_id=entry.id, which="poster")[0] == data  # its manager


def test_a_resellers_import_only_matches_genres_and_outsiders_never_see_the_poster(
        session: Session, admin, server, tmp_path: Path) -> None:  # noqa: F811
    options = _options(server)
    reseller = make_user(session, role=Role.RESELLER)
    customer, stranger = make_user(session, parent=reseller), make_user(session, parent=make_user(
        session, role=Role.RESELLER))
    _drop_genre(session, admin, "Science Fiction")
    filled = catalog_import.prefill(session, actor=reseller, ref="tmdb=movie:603", **options)
    assert filled.genre_names == ["Action"]  # "Science Fiction" does not exist and a reseller cannot create it
    assert "Science Fiction" not in [g.name for g in genres.all_genres(session)]
    entry = publish(session, reseller, video(session, reseller, tmp_path), **filled.values)
    catalog_import.set_genres(session, actor=reseller, entry_id=entry.id, genre_ids=filled.genre_ids)
    assert catalog_import.store_art(session, actor=reseller, entry_id=entry.id, poster_url=filled.poster_url,
                                    **options) == []
    assert catalog_import.art(session, viewer=customer, entry_id=entry.id, which="poster")[1] == "image/jpeg"
    with pytest.raises(NotFound):
        catalog_import.art(session, viewer=stranger, entry_id=entry.id, which="poster")
    # nobody but its managers changes the entry's genres or art; a refused image address is a message
    with pytest.raises(NotFound):
        catalog_import.set_genres(session, actor=make_user(session, role=Role.RESELLER), entry_id=entry.id,
                                  genre_ids=[])
    with pytest.raises(ValidationFailed):
        catalog_import.set_genres(session, actor=reseller, entry_id=entry.id, genre_ids=["x"])
    refused = catalog_import.store_art(session, actor=reseller, entry_id=entry.id,
                                       poster_url="http://169.254.169.254/latest/meta-data", **options)
    assert len(refused) == 1 and refused[0].startswith("The poster could not be imported:")
    with pytest.raises(PermissionDenied):
        catalog_import.find(session, actor=customer, title="The Matrix", **options)
