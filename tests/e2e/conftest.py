"""The production build, started for real (`python -m mediashare run`), driven by Chromium.

Two configurations, each started once per module: `embedded` (SQLite, disk state, the default a
new user gets) and `production` (PostgreSQL, Redis state manager). Both send their email to a real
SMTP server (aiosmtpd) whose mailbox tests read as `server.mailbox`.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from sqlmodel import select

from mediashare import db
from mediashare.models import User
from mediashare.services import ledger
from mediashare.settings import PROJECT_ROOT
from tests.conftest import REDIS_URL, Mailbox, running_smtp_server, temporary_pg_database, unavailable

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
START_TIMEOUT = 420  # seconds: the first build installs the frontend packages


@dataclass(frozen=True)
class Server:
    url: str
    passwords: dict[str, str]
    log: Path
    mailbox: Mailbox
    env: dict[str, str] = field(default_factory=dict, repr=False)  # the server's environment
    pid: int = 0  # the server's process (and process group), for tests that kill it

    @property
    def database_url(self) -> str:
        """The server's own database (PostgreSQL in production, else its SQLite file)."""
        return self.env.get("DATABASE_URL") or f"sqlite:///{self.env['DATA_DIR']}/mediashare.db"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_ports: list[int] = []


def server_port() -> int:
    """The one port every server of this test run listens on. Servers run one at a time, and the
    frontend bundle has its port written in, so one port lets each server after the first start on
    the existing build in seconds instead of building it again (see mediashare.frontend_build)."""
    if not _ports:
        # Below the ephemeral range (32768 and up), so no outgoing connection takes it between servers.
        for candidate in random.sample(range(20_000, 32_000), 200):
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", candidate))
                except OSError:
                    continue
            _ports.append(candidate)
            break
        else:
            _ports.append(_free_port())
    return _ports[0]


def _mediashare(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "mediashare", *args], env=env, cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _start(env: dict[str, str], log_path: Path) -> Iterator[Server]:
    with running_smtp_server() as (mailbox, smtp_port):
        env = {**env, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port), "SMTP_SECURITY": "none",
               "SMTP_FROM": "MediaShare <no-reply@mediashare.test>"}
        yield from _serve(env, log_path, mailbox)


def _serve(env: dict[str, str], log_path: Path, mailbox: Mailbox) -> Iterator[Server]:
    port = server_port()
    url = f"http://127.0.0.1:{port}"
    env = {**env, "PORT": str(port), "PUBLIC_URL": url}
    _mediashare(env, "migrate")
    passwords = {a["username"]: a["password"] for a in json.loads(_mediashare(env, "seed-demo", "--json"))}
    with running_server(env, log_path) as process:
        yield Server(url=url, passwords=passwords, log=log_path, mailbox=mailbox, env=env, pid=process.pid)


@contextlib.contextmanager
def running_server(env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    """`python -m mediashare run` with `env` (PORT, PUBLIC_URL set), once it answers; stopped
    afterwards (a process group already killed by the test is fine)."""
    url = env["PUBLIC_URL"]
    with log_path.open("a") as log:
        process = subprocess.Popen([sys.executable, "-m", "mediashare", "run"], env=env, cwd=PROJECT_ROOT,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{log_path.read_text()[-4000:]}")
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200 and \
                        httpx.get(f"{url}/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within {START_TIMEOUT}s:\n{log_path.read_text()[-4000:]}")
            time.sleep(1)
        yield process
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="module", params=["embedded", "production"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not Path(CHROMIUM).exists():
        unavailable("Chromium", f"{CHROMIUM} is missing (scripts/install.sh dev installs it)")
    yield from configured_server(request.param, tmp_path_factory.mktemp(f"server-{request.param}"))


def configured_server(kind: str, data_dir: Path, *, extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    """A server of configuration `kind` ("embedded" or "production") with its data in `data_dir`."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY") and not k.startswith("SMTP_")}
    base["DATA_DIR"] = str(data_dir)
    base.update(extra_env or {})
    if kind == "embedded":
        yield from _start(base, data_dir / "server.log")
        return
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        unavailable("Redis", error)
    with temporary_pg_database() as database_url:
        yield from _start({**base, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL}, data_dir / "server.log")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The one Playwright driver of the session (a second one cannot start while it runs), for
    tests that launch a browser with their own flags (see `launch_chromium`)."""
    if not Path(CHROMIUM).exists():
        unavailable("Chromium", f"{CHROMIUM} is missing (scripts/install.sh dev installs it)")
    with sync_playwright() as driver:
        yield driver


def launch_chromium(playwright: Playwright, *extra_args: str) -> Browser:
    """Chromium with the usual flags plus `extra_args` (e.g. a fake camera)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args], headless=True)


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server.url,
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


def balance(server: Server, username: str) -> int:
    """`username`'s credit balance in the server's own database."""
    with db.session_scope(server.database_url) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        return ledger.balance(session, user=user)


def store_media(server: Server, username: str, *files: Path) -> list[int]:
    """Store `files` for `username` in the server's own database and storage (derivatives made)."""
    env = {k: v for k, v in server.env.items() if k != "REDIS_URL"}
    output = _mediashare_module(env, "tests.e2e.store_media", username, *map(str, files))
    return json.loads(output.strip().splitlines()[-1])


def _mediashare_module(env: dict[str, str], module: str, *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", module, *args], env=env, cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _seed_media(server: Server, *args: str) -> list:
    result = subprocess.run([sys.executable, "-m", "tests.e2e.seed_media", *args],
                            env=server.env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def add_photos(server: Server, username: str, count: int, *, first_seed: int = 1,
               derivatives: bool = True) -> list[int]:
    """Store `count` real photos for `username` in the server's database and storage (through
    ingest; derivatives made unless told not to, then `make_derivatives` does it); returns their ids."""
    later = () if derivatives else ("--no-derivatives",)
    return _seed_media(server, username, str(count), str(first_seed), *later)


def make_derivatives(server: Server, ids: list[int]) -> None:
    """Run the derivatives job for `ids` in the server's data (as a worker would)."""
    _seed_media(server, "--derivatives", *map(str, ids))


def nav(page: Page, label: str) -> None:
    """Follow a link of the wide top bar: an everyday one, or one inside the Business or Admin menu."""
    link = page.locator("#desktop-nav").get_by_text(label, exact=True)
    if link.count():
        link.click()
        return
    for group in ("#nav-admin", "#nav-business"):
        if page.locator(group).count():
            page.click(group)
            item = page.get_by_role("menuitem", name=label, exact=True)
            if item.count():
                item.click()
                return
            page.keyboard.press("Escape")
    raise AssertionError(f"The top bar has no link named {label!r}")


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/login")
    page.fill("#login-identifier", username)
    page.fill("#login-password", password)
    page.click("#login-submit")
