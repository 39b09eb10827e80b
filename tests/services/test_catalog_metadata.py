"""Metadata providers against a local server serving recorded TMDB and OMDb answers (no internet)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from mediashare.errors import FetchFailed, FetchRefused, PermissionDenied, ValidationFailed
from mediashare.models import AuditEvent, Role
from mediashare.services import catalog_metadata as metadata
from mediashare.services import genres
from mediashare.services.catalog_metadata import Endpoints, Kind
from mediashare.services.catalog_metadata.images import fetch_image
from mediashare.services.safe_fetch import FetchPolicy
from tests.factories import make_user
from tests.recorded_server import FIXTURES, OMDB_KEY, POSTER, TMDB_KEY, RecordedServer, serve_the_matrix


@pytest.fixture
def server() -> Iterator[RecordedServer]:
    recorded = serve_the_matrix(RecordedServer())
    recorded.add("/t/p/w780/fake.jpg", b'{"not": "a picture"}', content_type="image/jpeg")
    yield recorded
    recorded.close()


def _options(server: RecordedServer) -> dict:
    return {"policy": FetchPolicy.for_hosts([], test_origin=("127.0.0.1", server.port)),
            "endpoints": Endpoints(tmdb_api=f"{server.base}/3", tmdb_images=f"{server.base}/t/p",
                                   omdb_api=f"{server.base}/omdb/")}


@pytest.fixture
def admin(session: Session):
    admin = make_user(session, role=Role.ADMIN)
    metadata.set_api_key(session, actor=admin, name="tmdb", key=f"  {TMDB_KEY} ")
    metadata.set_api_key(session, actor=admin, name="omdb", key=OMDB_KEY)
    return admin


def test_search_merges_both_providers_and_deduplicates_by_imdb_id(session: Session, admin, server) -> None:
    results = metadata.search(session, actor=admin, title="  The   Matrix ", **_options(server))
    assert results.notices == []
    titles = [(c.title, c.year, c.kind, c.providers) for c in results.candidates]
    assert titles == [
        ("The Matrix", 1999, Kind.FILM, "TMDB + OMDb"),
        ("The Matrix Revisited", 2001, Kind.FILM, "TMDB"),
        ("The Matrix Reloaded", 2003, Kind.FILM, "OMDb"),
        ("The Matrix Revolutions", 2003, Kind.FILM, "OMDb"),
    ]
    matrix = results.candidates[0]
    assert matrix.imdb_id == "tt0133093" and matrix.ref == "tmdb=movie:603;omdb=tt0133093"
    assert matrix.poster_url == f"{server.base}/t/p/w185/p96dm7sCMn4VYAStA6siNz30G1r.jpg"
    assert {seen.query.get("api_key") or seen.query.get("apikey") for seen in server.requests} == {TMDB_KEY, OMDB_KEY}


def test_details_fill_every_field_and_take_ratings_from_both(session: Session, admin, server) -> None:
    entry = metadata.details(session, actor=admin, ref="tmdb=movie:603", **_options(server))
    assert (entry.title, entry.original_title, entry.year, entry.kind) == ("The Matrix", "The Matrix", 1999, Kind.FILM)
    assert entry.plot.startswith("Set in the 22nd century")
    assert entry.genres == ("Action", "Science Fiction")
    assert (entry.runtime_minutes, entry.age_rating, entry.imdb_id) == (136, "R", "tt0133093")
    assert entry.cast[:3] == ("Keanu Reeves", "Laurence Fishburne", "Carrie-Anne Moss")
    assert entry.poster_url == f"{server.base}{POSTER}"
    assert entry.backdrop_url == f"{server.base}/t/p/w1280/tlm8UkiQsitc8rSuIAscQDCnP8d.jpg"
    # OMDb was found through the IMDb id and adds its ratings; TMDB, first in order, leads.
    assert [(r.source, r.out_of_ten) for r in entry.ratings] == [
        ("TMDB", 8.2), ("IMDb", 8.7), ("Rotten Tomatoes", 8.3), ("Metacritic", 7.3)]
    assert entry.rating == 8.2 and entry.ratings[1].votes == 2_134_567
    assert entry.sources == (("tmdb", "movie:603"), ("omdb", "tt0133093"))
    # Our taxonomy gets the provider's genres (OMDb says "Sci-Fi" for the same one).
    assert [g.name for g in genres.map_names(session, actor=admin, names=entry.genres, create_missing=True)] == [
        "Action", "Science Fiction"]


def test_an_omdb_pick_is_completed_from_tmdb_in_the_admins_order(session: Session, admin, server) -> None:
    metadata.move(session, actor=admin, name="omdb", offset=-1)
    entry = metadata.details(session, actor=admin, ref="omdb=tt0133093", **_options(server))
    assert entry.provider == "omdb" and entry.genres == ("Action", "Sci-Fi")
    assert entry.runtime_minutes == 136 and entry.age_rating == "R"
    assert entry.backdrop_url.endswith("/t/p/w1280/tlm8UkiQsitc8rSuIAscQDCnP8d.jpg")  # only TMDB has one
    assert [r.source for r in entry.ratings][:2] == ["IMDb", "Rotten Tomatoes"]
    assert entry.sources == (("omdb", "tt0133093"), ("tmdb", "movie:603"))


def test_a_provider_without_a_key_is_disabled_with_a_clear_message(session: Session, server) -> None:
    admin = make_user(session, role=Role.ADMIN)
    with pytest.raises(ValidationFailed, match=r"No metadata provider is ready\. TMDB is disabled: it has no API key"):
        metadata.search(session, actor=admin, title="The Matrix", **_options(server))
    metadata.set_api_key(session, actor=admin, name="omdb", key=OMDB_KEY)
    results = metadata.search(session, actor=admin, title="The Matrix", **_options(server))
    assert results.notices == ["TMDB is disabled: it has no API key. Get one at themoviedb.org → Settings → API "
                               "and add it here."]
    assert [c.providers for c in results.candidates] == ["OMDb"] * 3
    statuses = {s.name: s for s in metadata.provider_statuses(session, actor=admin)}
    assert not statuses["tmdb"].usable and statuses["omdb"].usable and statuses["omdb"].message == "Ready"
    metadata.set_enabled(session, actor=admin, name="omdb", enabled=False)
    with pytest.raises(ValidationFailed, match="OMDb is turned off"):
        metadata.search(session, actor=admin, title="The Matrix", **_options(server))


def test_keys_are_never_shown_or_audited(session: Session, admin) -> None:
    statuses = {s.name: s for s in metadata.provider_statuses(session, actor=admin)}
    assert statuses["tmdb"].key_hint == "••••cdef" and statuses["omdb"].key_hint == "••••c3d4"
    audited = json.dumps([e.details for e in session.exec(select(AuditEvent)).all()])
    assert TMDB_KEY not in audited and OMDB_KEY not in audited and '"to": "set"' in audited
    with pytest.raises(ValidationFailed, match="does not look like"):
        metadata.set_api_key(session, actor=admin, name="tmdb", key="two words")
    reseller = make_user(session, role=Role.RESELLER)
    with pytest.raises(PermissionDenied):
        metadata.set_api_key(session, actor=reseller, name="tmdb", key="x" * 32)
    with pytest.raises(PermissionDenied):
        metadata.provider_statuses(session, actor=reseller)


def test_a_refused_key_is_reported_per_provider(session: Session, admin, server) -> None:
    metadata.set_api_key(session, actor=admin, name="tmdb", key="wrong-key-0000")
    metadata.set_api_key(session, actor=admin, name="omdb", key="bad00000")
    results = metadata.search(session, actor=admin, title="The Matrix", **_options(server))
    assert results.candidates == []
    assert results.notices == [
        "TMDB: TMDB refused the API key (401). Check it in the provider settings.",
        "OMDb: OMDb refused the API key (401). Check it in the provider settings.",
    ]


def test_posters_are_downloaded_through_the_guard_and_checked(session: Session, admin, server) -> None:
    options = _options(server)
    image = metadata.download_image(session, actor=admin, url=f"{server.base}{POSTER}", **options)
    assert (image.width, image.height, image.content_type) == (200, 300, "image/jpeg")
    assert image.data == (FIXTURES / "poster_w780.jpg").read_bytes()
    with pytest.raises(FetchFailed, match="not a valid image"):
        metadata.download_image(session, actor=admin, url=f"{server.base}/t/p/w780/fake.jpg", **options)
    with pytest.raises(FetchFailed, match=r"200 × 300 pixels, more than the 50,000 allowed"):
        fetch_image(f"{server.base}{POSTER}", policy=options["policy"], max_pixels=50_000)
    with pytest.raises(FetchFailed, match="more than the 5,000 bytes"):
        fetch_image(f"{server.base}{POSTER}", policy=options["policy"], max_bytes=5_000)
    with pytest.raises(FetchRefused, match="not on the list"):
        metadata.download_image(session, actor=admin, url="https://images.example.org/p.jpg", **options)
    metadata.set_allowed_hosts(session, actor=admin, text="images.example.org\n")
    assert metadata.allowed_hosts(session) == ["images.example.org"]
    with pytest.raises(ValidationFailed, match="is not a host name"):
        metadata.set_allowed_hosts(session, actor=admin, text="https://x.example.org/path")
    with pytest.raises(ValidationFailed, match="is not a host name"):
        metadata.set_allowed_hosts(session, actor=admin, text="10.0.0.1")


def test_an_ordinary_user_cannot_search(session: Session, admin, server) -> None:
    user = make_user(session)
    with pytest.raises(PermissionDenied):
        metadata.search(session, actor=user, title="The Matrix", **_options(server))
    with pytest.raises(ValidationFailed, match="search again"):
        metadata.details(session, actor=admin, ref="evil=../../etc", **_options(server))
