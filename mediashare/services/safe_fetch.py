"""Fetching a URL from the outside world without becoming a proxy into our own network (SSRF guard).

Every outgoing request of ours (metadata providers, their posters) goes through `fetch`:

- **Only https**, only to hosts on the allow-list (the providers' own hosts plus the ones an admin
  adds in the platform setting `fetch_allowed_hosts`), on the default port.
- **We resolve the name ourselves** and refuse it when any of its addresses is private, loopback,
  link-local, multicast, reserved, unspecified, shared (CGNAT) or otherwise not global — IPv4 and IPv6,
  including IPv4-mapped, 6to4, Teredo and NAT64 addresses that embed a private IPv4 address.
- **We connect to the address we checked** (the URL carries the IP; the Host header and the TLS SNI
  and certificate check keep the name), so a second DNS answer cannot point us elsewhere (DNS rebinding).
- **Redirects are followed by hand**, at most MAX_REDIRECTS, and each hop is checked like the first.
- **Limits:** connect/read timeouts, a total deadline, and a size cap enforced while streaming (a
  lying or missing Content-Length does not help). Optional content-type checks (`expect`).

Tests talk to a local recorded server through `FetchPolicy.test_origin`, an explicit (host, port)
that admits plain http to exactly that loopback origin and nothing else. Code passes it (service
tests), or the operator does through the test-only environment variable METADATA_RECORDED_ORIGIN
(browser tests start the app as a separate process): settings.py accepts only
`http://<loopback IPv4>:<port>` there, catalog_metadata then uses it as the default policy's
test_origin (and points the providers at it), `run` logs a warning and /admin/metadata says so.
No user input, platform setting or database value ever reaches it.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from mediashare.errors import FetchFailed, FetchRefused

MAX_REDIRECTS = 3
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
TOTAL_TIMEOUT = 20.0
USER_AGENT = "MediaShare/1.0 (+metadata import)"
_REDIRECTS = {301, 302, 303, 307, 308}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Resolver = Callable[[str, int], list[str]]


def _system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchFailed(f"The name {host} could not be resolved.") from error
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def normalize_host(value: str) -> str:
    """A host name as we compare them: trimmed, lower case, IDNA (punycode), no trailing dot."""
    host = value.strip().rstrip(".").lower()
    if not host:
        return ""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def forbidden_reason(address: str) -> str | None:
    """Why we never connect to `address` (None when it is a public unicast address)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or (ip.sixtofour if ip.sixtofour else None)
        if embedded is None and ip.teredo:
            embedded = ip.teredo[1]
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = forbidden_reason(str(embedded))
            if inner:
                return f"{inner} (inside {ip})"
    for flag, reason in (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private address"),
    ):
        if getattr(ip, flag):
            return reason
    if not ip.is_global:
        return "not a public address"
    return None


@dataclass(frozen=True)
class FetchPolicy:
    """Where `fetch` may go. `test_origin` is for tests only: code, or METADATA_RECORDED_ORIGIN, never input."""

    allowed_hosts: frozenset[str]
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    total_timeout: float = TOTAL_TIMEOUT
    test_origin: tuple[str, int] | None = None
    resolver: Resolver = field(default=_system_resolver, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.test_origin is not None:
            host, port = self.test_origin
            if forbidden_reason(host) != "a loopback address" or not isinstance(port, int) or not 0 < port < 65536:
                raise ValueError("test_origin is a loopback IP address and port (for the recorded test server only)")

    @classmethod
    def for_hosts(cls, hosts: Iterable[str], **options: Any) -> FetchPolicy:
        return cls(allowed_hosts=frozenset(h for h in (normalize_host(x) for x in hosts) if h), **options)

    def with_hosts(self, hosts: Iterable[str]) -> FetchPolicy:
        extra = {h for h in (normalize_host(x) for x in hosts) if h}
        return FetchPolicy(allowed_hosts=self.allowed_hosts | extra, max_bytes=self.max_bytes,
                           max_redirects=self.max_redirects, connect_timeout=self.connect_timeout,
                           read_timeout=self.read_timeout, total_timeout=self.total_timeout,
                           test_origin=self.test_origin, resolver=self.resolver)


@dataclass(frozen=True)
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    content_type: str  # media type only, lower case ("image/jpeg")
    body: bytes

    def json(self) -> Any:
        import json

        try:
            return json.loads(self.body)
        except ValueError as error:
            raise FetchFailed(f"{urlsplit(self.url).hostname} did not answer with valid JSON.") from error


@dataclass(frozen=True)
class _Target:
    url: str  # with the checked IP in place of the name
    host: str
    host_header: str
    https: bool


def _check(url: str, policy: FetchPolicy) -> _Target:
    """Refuse `url` unless the policy admits it; otherwise the address to connect to."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchRefused("That address is not a valid URL.") from error
    scheme = parts.scheme.lower()
    host = normalize_host(parts.hostname or "")
    if not host:
        raise FetchRefused("That address has no host name.")
    if parts.username or parts.password:
        raise FetchRefused("Addresses with a user name or password are not fetched.")
    test = policy.test_origin
    if test is not None and scheme == "http" and host == test[0] and port == test[1]:
        # The one explicit test origin: plain http to the recorded server on loopback.
        path = parts.path or "/"
        query = f"?{parts.query}" if parts.query else ""
        return _Target(url=f"http://{host}:{port}{path}{query}", host=host, host_header=f"{host}:{port}", https=False)
    if scheme != "https":
        raise FetchRefused(f"Only https addresses are fetched; {scheme or 'this'}:// is refused.")
    if port not in (None, 443):
        raise FetchRefused(f"Only the standard https port is allowed; port {port} is refused.")
    if host not in policy.allowed_hosts:
        raise FetchRefused(f"{host} is not on the list of hosts MediaShare may fetch from. "
                           "An administrator can add it in the metadata provider settings.")
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        addresses = policy.resolver(host, 443)
    if not addresses:
        raise FetchFailed(f"The name {host} could not be resolved.")
    for address in addresses:  # every answer must be public: any private one is a red flag
        reason = forbidden_reason(address)
        if reason:
            raise FetchRefused(f"{host} points to {reason}; MediaShare does not fetch from internal networks.")
    ip = addresses[0]
    netloc = f"[{ip}]" if ":" in ip else ip
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return _Target(url=f"https://{netloc}{path}{query}", host=host, host_header=host, https=True)


def _media_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


def fetch(url: str, *, policy: FetchPolicy, expect: Iterable[str] = (), headers: dict[str, str] | None = None,
          max_bytes: int | None = None) -> FetchResult:
    """GET `url` under `policy`; `expect` lists acceptable media types ("image/" prefixes allowed).

    Raises FetchRefused (the address or a redirect is not allowed) or FetchFailed (network errors,
    timeouts, too large, wrong content type). Non-2xx answers are returned; callers judge them.
    """
    limit = policy.max_bytes if max_bytes is None else max_bytes
    deadline = time.monotonic() + policy.total_timeout
    current = url
    first_host: str | None = None
    for _hop in range(policy.max_redirects + 1):
        target = _check(current, policy)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchFailed(f"{target.host} took too long to answer.")
        timeout = httpx.Timeout(connect=min(policy.connect_timeout, remaining),
                                read=min(policy.read_timeout, remaining), write=min(policy.read_timeout, remaining),
                                pool=min(policy.connect_timeout, remaining))
        # The caller's headers (an Authorization token) go to the first host only, never along a redirect.
        own = (headers or {}) if first_host in (None, target.host) else {}
        first_host = first_host or target.host
        request_headers = {"User-Agent": USER_AGENT, "Accept": ", ".join(expect) or "*/*", **own,
                           "Host": target.host_header}
        extensions = {"sni_hostname": target.host} if target.https else {}
        try:
            # A fresh client per hop: no connection (and its SNI) is ever reused for another name.
            with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, verify=True) as client:
                request = client.build_request("GET", target.url, headers=request_headers, extensions=extensions)
                response = client.send(request, stream=True)
                try:
                    if response.status_code in _REDIRECTS:
                        location = response.headers.get("location", "")
                        if not location:
                            raise FetchFailed(f"{target.host} sent a redirect without a destination.")
                        current = urljoin(current, location)
                        continue
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise FetchFailed(f"{target.host} sent more than the {limit:,} bytes allowed.")
                    content_type = _media_type(response.headers.get("content-type", ""))
                    wanted = tuple(expect)
                    if wanted and 200 <= response.status_code < 300 and not any(
                        content_type == w or (w.endswith("/") and content_type.startswith(w)) for w in wanted
                    ):
                        raise FetchFailed(f"{target.host} sent {content_type or 'an unlabelled answer'}, "
                                          f"not {' or '.join(wanted)}.")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > limit:
                            raise FetchFailed(f"{target.host} sent more than the {limit:,} bytes allowed.")
                        if time.monotonic() > deadline:
                            raise FetchFailed(f"{target.host} took too long to answer.")
                    return FetchResult(url=current, status=response.status_code, content_type=content_type,
                                       body=bytes(body))
                finally:
                    response.close()
        except httpx.TimeoutException as error:
            raise FetchFailed(f"{target.host} took too long to answer.") from error
        except httpx.HTTPError as error:
            raise FetchFailed(f"Could not reach {target.host} ({type(error).__name__}).") from error
    raise FetchRefused(f"Too many redirects (more than {policy.max_redirects}); the fetch was stopped.")
