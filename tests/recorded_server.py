"""A local HTTP server that answers with recorded provider responses (no test needs the internet)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "providers"
TMDB_KEY = "0123456789abcdef0123456789abcdef"
OMDB_KEY = "a1b2c3d4"
POSTER = "/t/p/w780/p96dm7sCMn4VYAStA6siNz30G1r.jpg"


@dataclass
class Route:
    path: str
    body: bytes
    status: int = 200
    content_type: str = "application/json; charset=utf-8"
    query: dict[str, str] = field(default_factory=dict)  # must all be present with these values
    headers: dict[str, str] = field(default_factory=dict)
    send_length: bool = True
    delay: float = 0.0


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class RecordedServer:
    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                server.requests.append(Seen(parts.path, query, {k.lower(): v for k, v in self.headers.items()}))
                route = next((r for r in server.routes if r.path == parts.path
                              and all(query.get(k) == v for k, v in r.query.items())), None)
                if route is None:
                    route = Route(parts.path, b'{"status_code": 34, "status_message": "not found"}', status=404)
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body)))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                with contextlib.suppress(OSError):  # the client hung up (size limit)
                    self.wfile.write(route.body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def add(self, path: str, body: bytes | str | dict | list, **options: object) -> None:
        if isinstance(body, dict | list):
            body = json.dumps(body)
        self.routes.append(Route(path, body.encode() if isinstance(body, str) else body, **options))  # type: ignore[arg-type]

    def add_fixture(self, path: str, name: str, **options: object) -> None:
        self.add(path, (FIXTURES / name).read_bytes(), **options)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()



def serve_the_matrix(recorded: RecordedServer) -> RecordedServer:
    """TMDB (under /3, images under /t/p) and OMDb (under /omdb/) as recorded for "The Matrix" (tt0133093)
    with the keys TMDB_KEY and OMDB_KEY: searches, details, the IMDb lookup and the poster; other keys
    get the providers' real "invalid key" answers. The paths catalog_metadata.Endpoints.recorded uses."""
    key = {"api_key": TMDB_KEY}
    recorded.add_fixture("/3/search/movie", "tmdb_search_movie_matrix.json", query={**key, "query": "The Matrix"})
    recorded.add_fixture("/3/search/tv", "tmdb_search_tv_empty.json", query=key)
    recorded.add_fixture("/3/movie/603", "tmdb_movie_603.json",
                         query={**key, "append_to_response": "credits,release_dates,external_ids"})
    recorded.add_fixture("/3/find/tt0133093", "tmdb_find_tt0133093.json", query={**key, "external_source": "imdb_id"})
    for path in ("/3/search/movie", "/3/search/tv", "/3/movie/603", "/3/find/tt0133093"):
        recorded.add_fixture(path, "tmdb_error_401.json", status=401)  # any other key
    omdb = {"apikey": OMDB_KEY}
    recorded.add_fixture("/omdb/", "omdb_search_matrix.json", query={**omdb, "s": "The Matrix"})
    recorded.add_fixture("/omdb/", "omdb_tt0133093.json", query={**omdb, "i": "tt0133093", "plot": "full"})
    recorded.add_fixture("/omdb/", "omdb_not_found.json", query=omdb)
    recorded.add_fixture("/omdb/", "omdb_invalid_key.json", status=401)
    recorded.add_fixture(POSTER, "poster_w780.jpg", content_type="image/jpeg")
    return recorded
