"""TMDB (api.themoviedb.org, API v3 JSON; images from image.tmdb.org). Ids are "movie:603" / "tv:1399"."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode, urlsplit

from mediashare.errors import NotFound, ValidationFailed
from mediashare.services.catalog_metadata.base import (
    MAX_CAST,
    Candidate,
    Entry,
    Kind,
    Rating,
    clip,
    get_json,
    imdb_id_of,
    year_of,
)
from mediashare.services.safe_fetch import FetchPolicy

API_BASE = "https://api.themoviedb.org/3"
IMAGE_BASE = "https://image.tmdb.org/t/p"
POSTER_SIZE = "w780"
BACKDROP_SIZE = "w1280"
_ID = re.compile(r"^(movie|tv):(\d{1,10})$")
_PATH = re.compile(r"^/[A-Za-z0-9_\-]+\.(jpg|jpeg|png|webp)$")


class TMDB:
    name = "tmdb"
    label = "TMDB"

    def __init__(self, *, api_key: str, policy: FetchPolicy, api_base: str = API_BASE, image_base: str = IMAGE_BASE,
                 certification_country: str = "US", language: str = "en-US") -> None:
        self._key = api_key.strip()
        self._api = api_base.rstrip("/")
        self._images = image_base.rstrip("/")
        self._country = certification_country.upper()
        self._language = language
        self._policy = policy.with_hosts(self.hosts())

    def hosts(self) -> set[str]:
        return {urlsplit(self._api).hostname or "", urlsplit(self._images).hostname or ""}

    # A v4 "API read access token" is a JWT sent as a bearer token; a v3 key goes in the query.
    def _get(self, path: str, **params: object) -> dict:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        headers: dict[str, str] = {}
        if self._key.startswith("eyJ"):
            headers["Authorization"] = f"Bearer {self._key}"
        else:
            query["api_key"] = self._key
        url = f"{self._api}{path}?{urlencode(query)}"
        return get_json(url, policy=self._policy, provider=self.label, headers=headers)

    def _image(self, path: object, size: str) -> str:
        return f"{self._images}/{size}{path}" if isinstance(path, str) and _PATH.match(path) else ""

    def search(self, title: str, year: int | None = None) -> list[Candidate]:
        movies = self._get("/search/movie", query=title, year=year, include_adult="false", language=self._language)
        shows = self._get("/search/tv", query=title, first_air_date_year=year, include_adult="false",
                          language=self._language)
        found: list[Candidate] = []
        for kind, data, title_key, date_key in ((Kind.FILM, movies, "title", "release_date"),
                                                (Kind.SERIES, shows, "name", "first_air_date")):
            for hit in data.get("results") or []:
                if not isinstance(hit, dict) or not isinstance(hit.get("id"), int) or hit.get("adult") is True:
                    continue
                found.append(Candidate(
                    provider=self.name, provider_id=f"{'movie' if kind is Kind.FILM else 'tv'}:{hit['id']}",
                    title=clip(hit.get(title_key), 300), year=year_of(hit.get(date_key)), kind=kind,
                    overview=clip(hit.get("overview"), 600), poster_url=self._image(hit.get("poster_path"), "w185"),
                ))
        return found

    def _parse_id(self, provider_id: str) -> tuple[str, int]:
        match = _ID.match(provider_id or "")
        if not match:
            raise ValidationFailed("That is not a TMDB id.", field="provider_id")
        return match.group(1), int(match.group(2))

    def _certification(self, data: dict, kind: str) -> str:
        by_country: dict[str, str] = {}
        if kind == "movie":
            for country in (data.get("release_dates") or {}).get("results") or []:
                certs = [r.get("certification") for r in country.get("release_dates") or [] if isinstance(r, dict)]
                cert = next((clip(c, 20) for c in certs if clip(c, 20)), "")
                if cert:
                    by_country[str(country.get("iso_3166_1"))] = cert
        else:
            for rating in (data.get("content_ratings") or {}).get("results") or []:
                if isinstance(rating, dict) and clip(rating.get("rating"), 20):
                    by_country[str(rating.get("iso_3166_1"))] = clip(rating.get("rating"), 20)
        return by_country.get(self._country, "")

    def details(self, provider_id: str) -> Entry:
        kind, number = self._parse_id(provider_id)
        extra = "credits,release_dates,external_ids" if kind == "movie" else "credits,content_ratings,external_ids"
        data = self._get(f"/{kind}/{number}", append_to_response=extra, language=self._language)
        if kind == "movie":
            title, original, date = data.get("title"), data.get("original_title"), data.get("release_date")
            runtime = data.get("runtime")
        else:
            title, original, date = data.get("name"), data.get("original_name"), data.get("first_air_date")
            runtimes = data.get("episode_run_time") or []
            runtime = runtimes[0] if runtimes else None
        cast = [clip(person.get("name"), 120) for person in ((data.get("credits") or {}).get("cast") or [])
                if isinstance(person, dict)]
        imdb = imdb_id_of(data.get("imdb_id")) or imdb_id_of((data.get("external_ids") or {}).get("imdb_id"))
        ratings = ()
        if isinstance(data.get("vote_average"), int | float) and data.get("vote_count"):
            ratings = (Rating(source="TMDB", value=round(float(data["vote_average"]), 1), scale=10.0,
                              votes=int(data["vote_count"])),)
        return Entry(
            provider=self.name, provider_id=provider_id, title=clip(title, 300), original_title=clip(original, 300),
            year=year_of(date), kind=Kind.FILM if kind == "movie" else Kind.SERIES, plot=clip(data.get("overview")),
            genres=tuple(clip(g.get("name"), 60) for g in data.get("genres") or [] if isinstance(g, dict)
                         and clip(g.get("name"), 60)),
            ratings=ratings, runtime_minutes=runtime if isinstance(runtime, int) and runtime > 0 else None,
            poster_url=self._image(data.get("poster_path"), POSTER_SIZE),
            backdrop_url=self._image(data.get("backdrop_path"), BACKDROP_SIZE),
            cast=tuple(name for name in cast if name)[:MAX_CAST], age_rating=self._certification(data, kind),
            imdb_id=imdb, sources=((self.name, provider_id),),
        )

    def rating(self, provider_id: str) -> list[Rating]:
        return list(self.details(provider_id).ratings)

    def find_by_imdb(self, imdb_id: str) -> str | None:
        if not imdb_id_of(imdb_id):
            return None
        try:
            data = self._get(f"/find/{quote(imdb_id)}", external_source="imdb_id")
        except NotFound:
            return None
        for key, kind in (("movie_results", "movie"), ("tv_results", "tv")):
            for hit in data.get(key) or []:
                if isinstance(hit, dict) and isinstance(hit.get("id"), int):
                    return f"{kind}:{hit['id']}"
        return None
