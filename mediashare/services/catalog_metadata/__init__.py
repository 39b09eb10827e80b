"""Movie and series metadata from outside providers (TMDB, OMDb), merged into one entry.

Admins keep each provider's API key, turn providers on and off and order them (platform settings);
a provider without a key is disabled and says so. A search asks every usable provider, and hits that
are the same title (same IMDb id, or same title, year and kind when one side has no IMDb id) become
one candidate that remembers each provider's id (its `ref`). `details(ref)` fetches every provider's
entry — providers the ref does not name are found through the IMDb id — and merges them field by
field, the first provider in the admin's order winning. Every request goes through the SSRF guard
(services/safe_fetch.py) with the providers' hosts plus the hosts an admin allowed.

`policy` and `endpoints` are for tests (a recorded local server); nothing a user sends reaches them.
Without them, the production defaults apply: the providers' real hosts, unless the operator started
the program with the test-only environment variable METADATA_RECORDED_ORIGIN (settings.py), which
points both providers and their images at that recorded loopback server (`recorded_origin`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from mediashare.errors import MediashareError, NotFound, ValidationFailed
from mediashare.models import Role, User
from mediashare.services import access, platform
from mediashare.services.catalog_metadata import omdb, tmdb
from mediashare.services.catalog_metadata.base import Candidate, Entry, Kind, Provider, Rating
from mediashare.services.catalog_metadata.images import DownloadedImage, fetch_image
from mediashare.services.safe_fetch import FetchPolicy, normalize_host
from mediashare.settings import get_settings

__all__ = [
    "Candidate", "DownloadedImage", "Endpoints", "Entry", "Kind", "MergedCandidate", "ProviderStatus", "Rating",
    "SearchResults", "details", "download_image", "provider_statuses", "search", "set_allowed_hosts",
    "set_api_key", "set_enabled", "set_order",
]

NAMES = ("tmdb", "omdb")
LABELS = {"tmdb": "TMDB", "omdb": "OMDb"}
KEY_SETTINGS = {"tmdb": "tmdb_api_key", "omdb": "omdb_api_key"}
SIGNUP = {"tmdb": "themoviedb.org → Settings → API", "omdb": "omdbapi.com/apikey.aspx"}
ORDER_SETTING = "metadata_providers"
HOSTS_SETTING = "fetch_allowed_hosts"
COUNTRY_SETTING = "metadata_certification_country"
MAX_KEY = 512
MAX_HOSTS = 20
MAX_TITLE = 200
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_REF_PART = re.compile(r"^(tmdb|omdb)=([A-Za-z0-9:]{1,40})$")


@dataclass(frozen=True)
class Endpoints:
    """Where the providers live (tests point them at a local recorded server)."""

    tmdb_api: str = tmdb.API_BASE
    tmdb_images: str = tmdb.IMAGE_BASE
    omdb_api: str = omdb.API_BASE

    @classmethod
    def recorded(cls, origin: str) -> Endpoints:
        """Both providers and their images on one recorded server (the paths tests/recorded_server.py serves)."""
        return cls(tmdb_api=f"{origin}/3", tmdb_images=f"{origin}/t/p", omdb_api=f"{origin}/omdb/")


@dataclass(frozen=True)
class ProviderStatus:
    name: str
    label: str
    enabled: bool  # the admin's switch
    has_key: bool
    key_hint: str  # "••••1a2b" (never the key)
    usable: bool
    message: str  # why it is not used, or "Ready"


@dataclass(frozen=True)
class MergedCandidate:
    title: str
    year: int | None
    kind: Kind
    overview: str
    poster_url: str
    imdb_id: str
    sources: tuple[tuple[str, str], ...]  # (provider, provider id), preferred first

    @property
    def ref(self) -> str:
        return ";".join(f"{name}={pid}" for name, pid in self.sources)

    @property
    def providers(self) -> str:
        return " + ".join(LABELS[name] for name, _ in self.sources)


@dataclass
class SearchResults:
    candidates: list[MergedCandidate] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # a provider skipped or failing, in words


def _order(session: Session) -> list[tuple[str, bool]]:
    """(name, enabled) in the admin's order; unknown names dropped, missing ones appended (enabled)."""
    stored = platform.get(session, ORDER_SETTING)
    seen: list[tuple[str, bool]] = []
    for item in stored if isinstance(stored, list) else []:
        if isinstance(item, dict) and item.get("name") in NAMES and item["name"] not in {n for n, _ in seen}:
            seen.append((item["name"], item.get("enabled") is not False))
    seen += [(name, True) for name in NAMES if name not in {n for n, _ in seen}]
    return seen


def _key(session: Session, name: str) -> str:
    value = platform.get(session, KEY_SETTINGS[name])
    return value.strip() if isinstance(value, str) else ""


def _statuses(session: Session) -> list[ProviderStatus]:
    result = []
    for name, enabled in _order(session):
        key = _key(session, name)
        label = LABELS[name]
        if not enabled:
            message = f"{label} is turned off."
        elif not key:
            message = f"{label} is disabled: it has no API key. Get one at {SIGNUP[name]} and add it here."
        else:
            message = "Ready"
        result.append(ProviderStatus(name=name, label=label, enabled=enabled, has_key=bool(key),
                                     key_hint=f"••••{key[-4:]}" if len(key) >= 8 else ("••••" if key else ""),
                                     usable=enabled and bool(key), message=message))
    return result


def provider_statuses(session: Session, *, actor: User) -> list[ProviderStatus]:
    """Each provider in order with whether it is usable and why not (admins; keys are never returned)."""
    access.require_role(actor, Role.ADMIN)
    return _statuses(session)


def allowed_hosts(session: Session) -> list[str]:
    stored = platform.get(session, HOSTS_SETTING)
    return [h for h in (normalize_host(x) for x in stored if isinstance(x, str)) if h] if isinstance(stored, list) \
        else []


def recorded_origin() -> str:
    """The recorded test server imports talk to instead of the providers (METADATA_RECORDED_ORIGIN), or ""."""
    return get_settings().metadata_recorded_origin or ""


def _policy(session: Session, policy: FetchPolicy | None) -> FetchPolicy:
    extra = allowed_hosts(session)
    if policy is not None:
        return policy.with_hosts(extra)
    return FetchPolicy.for_hosts(extra, test_origin=get_settings().metadata_test_origin)


def _endpoints(endpoints: Endpoints | None) -> Endpoints:
    if endpoints is not None:
        return endpoints
    origin = recorded_origin()
    return Endpoints.recorded(origin) if origin else Endpoints()


def _build(session: Session, name: str, *, policy: FetchPolicy, endpoints: Endpoints) -> Provider:
    key = _key(session, name)
    if name == "tmdb":
        country = str(platform.get(session, COUNTRY_SETTING) or "US")
        return tmdb.TMDB(api_key=key, policy=policy, api_base=endpoints.tmdb_api, image_base=endpoints.tmdb_images,
                         certification_country=country)
    return omdb.OMDb(api_key=key, policy=policy, api_base=endpoints.omdb_api)


def _usable(session: Session, *, policy: FetchPolicy | None, endpoints: Endpoints | None,
            notices: list[str] | None = None) -> list[Provider]:
    built = _policy(session, policy)
    providers = []
    for status in _statuses(session):
        if status.usable:
            providers.append(_build(session, status.name, policy=built, endpoints=_endpoints(endpoints)))
        elif notices is not None and status.enabled:
            notices.append(status.message)
    if not providers:
        reasons = " ".join(s.message for s in _statuses(session))
        raise ValidationFailed(f"No metadata provider is ready. {reasons}", field="provider")
    return providers


def _clean_title(title: object) -> str:
    if not isinstance(title, str) or not title.strip():
        raise ValidationFailed("Type a title to search for.", field="title")
    return " ".join(title.split())[:MAX_TITLE]


def _clean_year(year: object) -> int | None:
    if year is None or year == "":
        return None
    if isinstance(year, bool) or not isinstance(year, int) or not 1870 <= year <= 2200:
        raise ValidationFailed("The year is a four-digit year such as 1999, or empty.", field="year")
    return year


def _same_title(a: MergedCandidate, b: Candidate) -> bool:
    if a.imdb_id and b.imdb_id:
        return a.imdb_id == b.imdb_id
    return (a.title.casefold(), a.year, a.kind) == (b.title.casefold(), b.year, b.kind) and a.year is not None


def _merge_candidates(hits: list[Candidate]) -> list[MergedCandidate]:
    merged: list[MergedCandidate] = []
    for hit in hits:
        for index, existing in enumerate(merged):
            if _same_title(existing, hit) and hit.provider not in {n for n, _ in existing.sources}:
                merged[index] = MergedCandidate(
                    title=existing.title, year=existing.year or hit.year, kind=existing.kind,
                    overview=existing.overview or hit.overview, poster_url=existing.poster_url or hit.poster_url,
                    imdb_id=existing.imdb_id or hit.imdb_id,
                    sources=(*existing.sources, (hit.provider, hit.provider_id)))
                break
        else:
            merged.append(MergedCandidate(title=hit.title, year=hit.year, kind=hit.kind, overview=hit.overview,
                                          poster_url=hit.poster_url, imdb_id=hit.imdb_id,
                                          sources=((hit.provider, hit.provider_id),)))
    return merged


def search(session: Session, *, actor: User, title: object, year: object = None,
           policy: FetchPolicy | None = None, endpoints: Endpoints | None = None) -> SearchResults:
    """Every usable provider's hits for `title` (and `year`), merged; a failing provider becomes a notice."""
    access.require_role(actor, Role.RESELLER)
    clean, wanted_year = _clean_title(title), _clean_year(year)
    results = SearchResults()
    hits: list[Candidate] = []
    for provider in _usable(session, policy=policy, endpoints=endpoints, notices=results.notices):
        try:
            hits += provider.search(clean, wanted_year)
        except MediashareError as error:
            results.notices.append(f"{provider.label}: {error}")
    results.candidates = _merge_candidates(hits)
    return results


def parse_ref(ref: object) -> dict[str, str]:
    """"tmdb=movie:603;omdb=tt0133093" → {"tmdb": "movie:603", "omdb": "tt0133093"} (validated)."""
    if not isinstance(ref, str) or not ref or len(ref) > 200:
        raise ValidationFailed("Pick a search result first.", field="ref")
    parts: dict[str, str] = {}
    for part in ref.split(";"):
        match = _REF_PART.match(part)
        if not match or match.group(1) in parts:
            raise ValidationFailed("That search result is not valid any more; search again.", field="ref")
        parts[match.group(1)] = match.group(2)
    return parts


def _merge_entries(entries: list[Entry]) -> Entry:
    def first(name: str) -> Any:
        return next((getattr(e, name) for e in entries if getattr(e, name)), getattr(entries[0], name))

    ratings: dict[str, Rating] = {}
    for entry in entries:
        for rating in entry.ratings:
            ratings.setdefault(rating.source, rating)
    lead = entries[0]
    return Entry(
        provider=lead.provider, provider_id=lead.provider_id, title=first("title"),
        original_title=first("original_title") or first("title"), year=first("year"), kind=lead.kind,
        plot=first("plot"), genres=first("genres"), ratings=tuple(ratings.values()),
        runtime_minutes=first("runtime_minutes"), poster_url=first("poster_url"), backdrop_url=first("backdrop_url"),
        cast=first("cast"), age_rating=first("age_rating"), imdb_id=first("imdb_id"),
        sources=tuple(source for entry in entries for source in entry.sources),
    )


def details(session: Session, *, actor: User, ref: object, policy: FetchPolicy | None = None,
            endpoints: Endpoints | None = None) -> Entry:
    """The merged entry for a search result's `ref`: the named providers first, then the others found
    through the IMDb id; an entry whose IMDb id differs from the first one's is left out."""
    access.require_role(actor, Role.RESELLER)
    wanted = parse_ref(ref)
    providers = _usable(session, policy=policy, endpoints=endpoints)
    rank = {provider.name: index for index, provider in enumerate(providers)}
    got: dict[str, Entry] = {}
    errors: list[str] = []
    imdb = ""
    for provider in providers:
        if provider.name in wanted:
            try:
                entry = provider.details(wanted[provider.name])
            except MediashareError as error:
                errors.append(f"{provider.label}: {error}")
                continue
            if imdb and entry.imdb_id and entry.imdb_id != imdb:
                continue
            imdb = imdb or entry.imdb_id
            got[provider.name] = entry
    if not got:
        names = ", ".join(LABELS[name] for name in wanted)
        raise NotFound(" ".join(errors) or f"{names} is not in use any more; search again.")
    for provider in providers:
        if provider.name in got or not imdb:
            continue
        try:
            found = provider.find_by_imdb(imdb)
            entry = provider.details(found) if found else None
        except MediashareError:
            continue  # extra detail only: the entry stands without it
        if entry is not None and (not entry.imdb_id or entry.imdb_id == imdb):
            got[provider.name] = entry
    return _merge_entries(sorted(got.values(), key=lambda e: rank[e.provider]))


def download_image(session: Session, *, actor: User, url: object, policy: FetchPolicy | None = None,
                   endpoints: Endpoints | None = None) -> DownloadedImage:
    """A poster or backdrop from a provider's image host (or an allowed host), validated; storing
    it as a derivative of the catalog item is the caller's job."""
    access.require_role(actor, Role.RESELLER)
    if not isinstance(url, str) or not url or len(url) > 2000:
        raise ValidationFailed("There is no image address.", field="url")
    built = _policy(session, policy)
    hosts: set[str] = set()
    for name in NAMES:
        hosts |= _build(session, name, policy=built, endpoints=_endpoints(endpoints)).hosts()
    return fetch_image(url, policy=built.with_hosts(hosts))


# -- settings (admins) -------------------------------------------------------------------------------

def _require_name(name: object) -> str:
    if name not in NAMES:
        raise ValidationFailed("There is no such metadata provider.", field="provider")
    return str(name)


def set_api_key(session: Session, *, actor: User, name: object, key: object) -> None:
    """Store (or with "" remove) a provider's API key; audited without the key."""
    provider = _require_name(name)
    if not isinstance(key, str):
        raise ValidationFailed("An API key is text.", field="key")
    clean = key.strip()
    if len(clean) > MAX_KEY or any(ch.isspace() or not ch.isprintable() for ch in clean):
        raise ValidationFailed(f"That does not look like a {LABELS[provider]} API key (no spaces, at most "
                               f"{MAX_KEY} characters).", field="key")
    platform.set_value(session, actor=actor, key=KEY_SETTINGS[provider], value=clean)


def _save_order(session: Session, actor: User, order: list[tuple[str, bool]]) -> None:
    platform.set_value(session, actor=actor, key=ORDER_SETTING,
                       value=[{"name": name, "enabled": enabled} for name, enabled in order])


def set_enabled(session: Session, *, actor: User, name: object, enabled: object) -> None:
    provider = _require_name(name)
    if not isinstance(enabled, bool):
        raise ValidationFailed("Say on or off.", field="enabled")
    _save_order(session, actor, [(n, enabled if n == provider else e) for n, e in _order(session)])


def move(session: Session, *, actor: User, name: object, offset: object) -> None:
    """Move a provider up (-1) or down (+1) in the order."""
    provider = _require_name(name)
    if offset not in (-1, 1) or isinstance(offset, bool):
        raise ValidationFailed("Move by one place up or down.", field="offset")
    order = _order(session)
    index = [n for n, _ in order].index(provider)
    other = min(max(index + int(offset), 0), len(order) - 1)  # type: ignore[call-overload]
    order[index], order[other] = order[other], order[index]
    _save_order(session, actor, order)


def set_order(session: Session, *, actor: User, names: object) -> None:
    if not isinstance(names, list) or sorted(names) != sorted(NAMES):
        raise ValidationFailed(f"List every provider once: {', '.join(NAMES)}.", field="order")
    enabled = dict(_order(session))
    _save_order(session, actor, [(name, enabled[name]) for name in names])


def parse_hosts(text: object) -> list[str]:
    """Host names typed one per line or comma-separated: plain DNS names only (no IPs, ports, paths)."""
    if not isinstance(text, str):
        raise ValidationFailed("Hosts are text.", field="hosts")
    hosts: list[str] = []
    for raw in re.split(r"[\s,]+", text):
        if not raw:
            continue
        host = normalize_host(raw)
        if not _HOST.match(host):
            raise ValidationFailed(f"“{raw[:80]}” is not a host name (write it like images.example.com, "
                                   "without https:// or a path).", field="hosts")
        if host not in hosts:
            hosts.append(host)
    if len(hosts) > MAX_HOSTS:
        raise ValidationFailed(f"Allow at most {MAX_HOSTS} extra hosts.", field="hosts")
    return hosts


def set_allowed_hosts(session: Session, *, actor: User, text: object) -> list[str]:
    hosts = parse_hosts(text)
    platform.set_value(session, actor=actor, key=HOSTS_SETTING, value=hosts)
    return hosts
