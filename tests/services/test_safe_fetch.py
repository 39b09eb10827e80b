"""The SSRF guard: what it refuses (loopback, metadata endpoints, private redirects, other hosts) and its limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mediashare.errors import FetchFailed, FetchRefused
from mediashare.services import safe_fetch
from mediashare.services.safe_fetch import FetchPolicy, fetch, forbidden_reason
from tests.recorded_server import RecordedServer


@pytest.fixture
def server() -> Iterator[RecordedServer]:
    recorded = RecordedServer()
    yield recorded
    recorded.close()


def _resolver(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        return table[host]
    return resolve


def _policy(server: RecordedServer, **options) -> FetchPolicy:
    """The test origin admits the recorded server; everything else follows the real rules."""
    return FetchPolicy.for_hosts(options.pop("hosts", ["api.example.com", "internal.example.com"]),
                                 test_origin=("127.0.0.1", server.port), **options)


def test_the_guard_refuses_http_to_loopback(server: RecordedServer) -> None:
    server.add("/secret", {"ok": True})
    with pytest.raises(FetchRefused, match="Only https"):
        fetch(f"{server.base}/secret", policy=FetchPolicy.for_hosts(["127.0.0.1"]))
    with pytest.raises(FetchRefused, match="Only https"):
        fetch("http://127.0.0.1/", policy=_policy(server))  # the test origin is one exact port
    with pytest.raises(FetchRefused, match="loopback"):
        fetch("https://127.0.0.1/", policy=FetchPolicy.for_hosts(["127.0.0.1"]))
    with pytest.raises(FetchRefused, match="loopback"):
        fetch("https://localhost/", policy=FetchPolicy.for_hosts(["localhost"]))  # resolved by us
    assert server.requests == []


def test_the_guard_refuses_the_cloud_metadata_address() -> None:
    with pytest.raises(FetchRefused, match="Only https"):
        fetch("http://169.254.169.254/latest/meta-data/", policy=FetchPolicy.for_hosts(["169.254.169.254"]))
    with pytest.raises(FetchRefused, match="link-local"):
        fetch("https://169.254.169.254/latest/meta-data/", policy=FetchPolicy.for_hosts(["169.254.169.254"]))
    rebinding = FetchPolicy.for_hosts(["api.example.com"], resolver=_resolver({"api.example.com": ["169.254.169.254"]}))
    with pytest.raises(FetchRefused, match=r"api\.example\.com points to a link-local address"):
        fetch("https://api.example.com/3/movie/1", policy=rebinding)


def test_the_guard_refuses_a_redirect_to_a_private_address(server: RecordedServer) -> None:
    server.add("/to-internal", b"", status=302, headers={"Location": "https://internal.example.com/admin"})
    server.add("/to-metadata", b"", status=301, headers={"Location": "http://169.254.169.254/latest/"})
    server.add("/to-mapped", b"", status=307, headers={"Location": "https://[::ffff:10.0.0.7]/"})
    policy = _policy(server, resolver=_resolver({"internal.example.com": ["93.184.215.14", "10.0.0.5"]}))
    with pytest.raises(FetchRefused, match=r"internal\.example\.com points to a private address"):
        fetch(f"{server.base}/to-internal", policy=policy)
    with pytest.raises(FetchRefused, match="Only https"):
        fetch(f"{server.base}/to-metadata", policy=policy)
    with pytest.raises(FetchRefused):
        fetch(f"{server.base}/to-mapped", policy=policy.with_hosts(["::ffff:10.0.0.7"]))
    assert [seen.path for seen in server.requests] == ["/to-internal", "/to-metadata", "/to-mapped"]


def test_the_guard_refuses_a_host_that_is_not_allowed(server: RecordedServer) -> None:
    with pytest.raises(FetchRefused, match=r"evil\.example\.net is not on the list"):
        fetch("https://evil.example.net/poster.jpg", policy=_policy(server))
    server.add("/hop", b"", status=302, headers={"Location": "https://evil.example.net/x"})
    with pytest.raises(FetchRefused, match=r"evil\.example\.net is not on the list"):
        fetch(f"{server.base}/hop", policy=_policy(server))
    with pytest.raises(FetchRefused, match="port 8443"):
        fetch("https://api.example.com:8443/", policy=_policy(server))
    with pytest.raises(FetchRefused, match="user name or password"):
        fetch("https://user:pw@api.example.com/", policy=_policy(server))
    with pytest.raises(FetchRefused):
        fetch("file:///etc/passwd", policy=_policy(server))


def test_redirects_within_the_rules_are_followed_and_limited(server: RecordedServer) -> None:
    server.add("/start", b"", status=302, headers={"Location": "/middle"})
    server.add("/middle", b"", status=303, headers={"Location": f"{server.base}/end"})
    server.add("/end", {"answer": 42})
    result = fetch(f"{server.base}/start", policy=_policy(server), expect=("application/json",))
    assert (result.status, result.json(), result.url) == (200, {"answer": 42}, f"{server.base}/end")
    server.add("/loop", b"", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchRefused, match="Too many redirects"):
        fetch(f"{server.base}/loop", policy=_policy(server))
    assert sum(seen.path == "/loop" for seen in server.requests) == safe_fetch.MAX_REDIRECTS + 1


def test_size_type_and_time_limits(server: RecordedServer) -> None:
    big = b"x" * 300_000
    server.add("/big", big, content_type="application/octet-stream")
    server.add("/big-unlabelled", big, content_type="application/octet-stream", send_length=False)
    server.add("/json", {"not": "an image"})
    server.add("/slow", {"late": True}, delay=1.5)
    with pytest.raises(FetchFailed, match="more than the 100,000 bytes"):
        fetch(f"{server.base}/big", policy=_policy(server), max_bytes=100_000)
    with pytest.raises(FetchFailed, match="more than the 100,000 bytes"):  # no Content-Length: counted while streaming
        fetch(f"{server.base}/big-unlabelled", policy=_policy(server), max_bytes=100_000)
    assert len(fetch(f"{server.base}/big-unlabelled", policy=_policy(server)).body) == len(big)
    with pytest.raises(FetchFailed, match="sent application/json, not image/jpeg"):
        fetch(f"{server.base}/json", policy=_policy(server), expect=("image/jpeg",))
    with pytest.raises(FetchFailed, match="took too long"):
        fetch(f"{server.base}/slow", policy=_policy(server, read_timeout=0.3))


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("192.168.1.1", "private"),
    ("172.16.0.1", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("100.64.0.1", "not a public"), ("fc00::1", "private"), ("240.0.0.1", "reserved"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "link-local"), ("64:ff9b::a9fe:a9fe", "link-local"),
    ("2002:0a00:0001::1", "private"),
])
def test_internal_addresses_are_named_and_refused(address: str, reason: str) -> None:
    assert reason in (forbidden_reason(address) or "")


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert forbidden_reason(address) is None


def test_the_connection_goes_to_the_checked_address_with_the_name_kept_for_tls() -> None:
    """DNS rebinding: the URL we connect to carries the address we checked, so no second lookup happens."""
    calls: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["2606:4700:4700::1111"] if host == "v6.example.com" else ["93.184.215.14"]

    policy = FetchPolicy.for_hosts(["API.Example.com.", "v6.example.com"], resolver=resolve)
    target = safe_fetch._check("https://api.example.com/3/movie/603?api_key=k", policy)
    assert (target.url, target.host_header, target.host) == (
        "https://93.184.215.14/3/movie/603?api_key=k", "api.example.com", "api.example.com")
    assert safe_fetch._check("https://v6.example.com/a", policy).url == "https://[2606:4700:4700::1111]/a"
    assert calls == ["api.example.com", "v6.example.com"]


def test_the_test_origin_can_only_be_a_loopback_port() -> None:
    for origin in (("10.0.0.1", 80), ("169.254.169.254", 80), ("api.example.com", 80), ("127.0.0.1", 0)):
        with pytest.raises(ValueError, match="loopback"):
            FetchPolicy.for_hosts([], test_origin=origin)
