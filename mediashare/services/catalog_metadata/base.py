"""What every metadata provider speaks: search candidates, a normalized entry, ratings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from mediashare.errors import FetchFailed, NotFound, TooManyRequests
from mediashare.services.safe_fetch import FetchPolicy, FetchResult, fetch

IMDB_ID = re.compile(r"^tt\d{7,10}$")
MAX_CAST = 20
MAX_TEXT = 5000


class Kind(StrEnum):
    FILM = "film"
    SERIES = "series"
    EPISODE = "episode"
    OTHER = "other"


@dataclass(frozen=True)
class Rating:
    source: str  # "TMDB", "IMDb", "Rotten Tomatoes", "Metacritic"
    value: float  # on `scale`
    scale: float = 10.0
    votes: int | None = None

    @property
    def out_of_ten(self) -> float:
        return round(self.value * 10.0 / self.scale, 1) if self.scale else 0.0


@dataclass(frozen=True)
class Candidate:
    """One search hit of one provider."""

    provider: str
    provider_id: str
    title: str
    year: int | None
    kind: Kind
    overview: str = ""
    poster_url: str = ""
    imdb_id: str = ""


@dataclass(frozen=True)
class Entry:
    """A title's details as we store them, whichever provider gave them."""

    provider: str
    provider_id: str
    title: str
    original_title: str = ""
    year: int | None = None
    kind: Kind = Kind.FILM
    plot: str = ""
    genres: tuple[str, ...] = ()
    ratings: tuple[Rating, ...] = ()
    runtime_minutes: int | None = None
    poster_url: str = ""
    backdrop_url: str = ""
    cast: tuple[str, ...] = ()
    age_rating: str = ""
    imdb_id: str = ""
    sources: tuple[tuple[str, str], ...] = field(default=())  # (provider, id) every merged provider

    @property
    def rating(self) -> float | None:
        """The first rating, out of ten (providers in preference order)."""
        return self.ratings[0].out_of_ten if self.ratings else None


class Provider(Protocol):
    name: str  # "tmdb"
    label: str  # "TMDB"

    def hosts(self) -> set[str]: ...
    def search(self, title: str, year: int | None = None) -> list[Candidate]: ...
    def details(self, provider_id: str) -> Entry: ...
    def rating(self, provider_id: str) -> list[Rating]: ...
    def find_by_imdb(self, imdb_id: str) -> str | None: ...


def clip(value: object, limit: int = MAX_TEXT) -> str:
    """Provider text as we keep it: a string, trimmed, "N/A" as nothing, at most `limit` characters."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    return "" if text in ("N/A", "None") else text[:limit]


def year_of(value: object) -> int | None:
    """1999 from "1999-03-31", "1999", "2011–2019" (a series' run) or None."""
    match = re.match(r"^\s*(\d{4})", value) if isinstance(value, str) else None
    if match and 1870 <= int(match.group(1)) <= 2200:
        return int(match.group(1))
    return None


def imdb_id_of(value: object) -> str:
    return value if isinstance(value, str) and IMDB_ID.match(value) else ""


def get_json(url: str, *, policy: FetchPolicy, provider: str, params_note: str = "",
             headers: dict[str, str] | None = None) -> dict:
    """GET a provider's JSON; clear errors for refused keys, rate limits, missing titles."""
    result: FetchResult = fetch(url, policy=policy, expect=("application/json",), headers=headers)
    if result.status in (401, 403):
        raise FetchFailed(f"{provider} refused the API key ({result.status}). Check it in the provider settings.")
    if result.status == 404:
        raise NotFound(f"{provider} has no such title{params_note}.")
    if result.status == 429:
        raise TooManyRequests(f"{provider} says we asked too often. Try again in a minute.", minutes=1)
    if not 200 <= result.status < 300:
        raise FetchFailed(f"{provider} answered with an error ({result.status}). Try again later.")
    data = result.json()
    if not isinstance(data, dict):
        raise FetchFailed(f"{provider} sent an answer we do not understand.")
    return data
