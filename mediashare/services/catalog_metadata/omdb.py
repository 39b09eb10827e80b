"""OMDb (www.omdbapi.com, JSON). Ids are IMDb ids ("tt0133093"); posters come from IMDb's image CDN."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

from mediashare.errors import FetchFailed, NotFound, ValidationFailed
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

API_BASE = "https://www.omdbapi.com/"
POSTER_HOSTS = {"m.media-amazon.com", "ia.media-imdb.com"}
_KINDS = {"movie": Kind.FILM, "series": Kind.SERIES, "episode": Kind.EPISODE}
_RUNTIME = re.compile(r"^(\d{1,4})\s*min")


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _rating(source: str, value: str) -> Rating | None:
    """OMDb writes "8.7/10", "83%", "73/100"."""
    value = value.strip()
    if value.endswith("%") and _number(value[:-1]) is not None:
        return Rating(source=source, value=float(value[:-1]), scale=100.0)
    if "/" in value:
        top, _, bottom = value.partition("/")
        if _number(top) is not None and _number(bottom):
            return Rating(source=source, value=float(top), scale=float(bottom))  # type: ignore[arg-type]
    return None


class OMDb:
    name = "omdb"
    label = "OMDb"

    def __init__(self, *, api_key: str, policy: FetchPolicy, api_base: str = API_BASE) -> None:
        self._key = api_key.strip()
        self._api = api_base if api_base.endswith("/") else api_base + "/"
        self._policy = policy.with_hosts(self.hosts())

    def hosts(self) -> set[str]:
        return {urlsplit(self._api).hostname or "", *POSTER_HOSTS}

    def _get(self, **params: object) -> dict:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        query["apikey"] = self._key
        data = get_json(f"{self._api}?{urlencode(query)}", policy=self._policy, provider=self.label)
        if data.get("Response") == "False":
            error = clip(data.get("Error"), 200)
            if "api key" in error.lower():
                raise FetchFailed(f"OMDb refused the API key ({error}). Check it in the provider settings.")
            if "not found" in error.lower():
                raise NotFound("OMDb has no such title.")
            raise FetchFailed(f"OMDb could not answer: {error or 'unknown error'}.")
        return data

    def search(self, title: str, year: int | None = None) -> list[Candidate]:
        try:
            data = self._get(s=title, y=year)
        except NotFound:
            return []
        found = []
        for hit in data.get("Search") or []:
            imdb = imdb_id_of(hit.get("imdbID")) if isinstance(hit, dict) else ""
            if not imdb:
                continue
            found.append(Candidate(provider=self.name, provider_id=imdb, title=clip(hit.get("Title"), 300),
                                   year=year_of(hit.get("Year")), kind=_KINDS.get(str(hit.get("Type")), Kind.OTHER),
                                   poster_url=clip(hit.get("Poster"), 1000), imdb_id=imdb))
        return found

    def details(self, provider_id: str) -> Entry:
        if not imdb_id_of(provider_id):
            raise ValidationFailed("That is not an IMDb id (tt followed by digits).", field="provider_id")
        data = self._get(i=provider_id, plot="full")
        ratings: list[Rating] = []
        votes = _number(clip(data.get("imdbVotes"), 20))
        for item in data.get("Ratings") or []:
            if not isinstance(item, dict):
                continue
            source = clip(item.get("Source"), 60)
            source = "IMDb" if source == "Internet Movie Database" else source
            rating = _rating(source, clip(item.get("Value"), 20))
            if rating is not None:
                if source == "IMDb" and votes is not None:
                    rating = Rating(source=source, value=rating.value, scale=rating.scale, votes=int(votes))
                ratings.append(rating)
        runtime = _RUNTIME.match(clip(data.get("Runtime"), 20))
        return Entry(
            provider=self.name, provider_id=provider_id, title=clip(data.get("Title"), 300),
            year=year_of(data.get("Year")), kind=_KINDS.get(str(data.get("Type")), Kind.OTHER),
            plot=clip(data.get("Plot")), genres=tuple(g.strip() for g in clip(data.get("Genre"), 300).split(",")
                                                      if g.strip()),
            ratings=tuple(ratings), runtime_minutes=int(runtime.group(1)) if runtime else None,
            poster_url=clip(data.get("Poster"), 1000),
            cast=tuple(n.strip() for n in clip(data.get("Actors"), 2000).split(",") if n.strip())[:MAX_CAST],
            age_rating=clip(data.get("Rated"), 20) if clip(data.get("Rated"), 20) not in ("Not Rated", "Unrated")
            else "", imdb_id=imdb_id_of(data.get("imdbID")) or provider_id, sources=((self.name, provider_id),),
        )

    def rating(self, provider_id: str) -> list[Rating]:
        return list(self.details(provider_id).ratings)

    def find_by_imdb(self, imdb_id: str) -> str | None:
        return imdb_id if imdb_id_of(imdb_id) else None
