"""Shared fixtures: isolated settings per test, and databases on SQLite *and* PostgreSQL.

Every test that asks for `database_url` (or `session`) runs twice, once per database kind, against
a schema built by our real migrations. PostgreSQL and Redis are used for real; with CI=true a
missing one fails the run instead of skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from mediashare import db, migrations
from mediashare.jobs import queue
from mediashare.settings import get_settings

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() == "true"

_SETTINGS_VARIABLES = (
    "DATA_DIR", "DATABASE_URL", "REDIS_URL", "JOB_QUEUE", "MEDIA_ROOT", "SECRET_KEY", "PUBLIC_URL", "PORT", "HOST",
    "SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_SECURITY", "SMTP_FROM",
    "LOCKOUT_THRESHOLD", "LOCKOUT_MINUTES", "SESSION_IDLE_MINUTES", "SESSION_ABSOLUTE_DAYS",
    "SCHEDULER_ENABLED", "SCHEDULER_CHECK_SECONDS", "TRASH_PURGE_EVERY_HOURS", "UPLOAD_MAX_REQUEST_BYTES",
    "METADATA_RECORDED_ORIGIN",
)


def unavailable(what: str, error: object) -> None:
    """Skip on a developer machine without the service; fail in CI, where it must be there."""
    message = f"{what} is not reachable: {error}"
    if IN_CI:
        pytest.fail(message + " (CI=true: real services are required)")
    pytest.skip(message)


@contextmanager
def temporary_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; yields its URL."""
    try:
        admin = db.make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:
        unavailable("PostgreSQL", error)
    name = f"ms_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        # A test database need not survive a power cut: commits stop waiting for the disk.
        connection.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        db.dispose_all()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A real Redis (database 15 by default; shared with other runs, so never flushed)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        unavailable("Redis", error)
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own DATA_DIR and no settings leaking in from the developer's shell."""
    for name in _SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def migrated_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A database of each kind brought to head by our migrations, once per test session."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("template") / "template.db"
        url = f"sqlite:///{path}"
        migrations.upgrade(url)
        db.dispose_all()
        yield "sqlite", str(path)
        return
    with temporary_pg_database() as url:
        migrations.upgrade(url)
        _seed_rows(url)
        yield "postgresql", url


_seeds: dict[str, dict[str, list[dict]]] = {}


def _seed_rows(url: str) -> dict[str, list[dict]]:
    """The rows our migrations insert (reference data such as media types), read once per database."""
    if url not in _seeds:
        with db.engine(url).connect() as connection:
            _seeds[url] = {
                table.name: [dict(row._mapping) for row in connection.execute(table.select())]
                for table in SQLModel.metadata.sorted_tables
            }
        _seeds[url] = {name: rows for name, rows in _seeds[url].items() if rows}
    return _seeds[url]


@pytest.fixture
def database_url(migrated_database: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DATABASE_URL for one test: a copy of the SQLite template, or the PostgreSQL database that
    is emptied (TRUNCATE) after each test."""
    kind, location = migrated_database
    if kind == "sqlite":
        copy = tmp_path / "test.db"
        shutil.copyfile(location, copy)
        url = f"sqlite:///{copy}"
    else:
        url = location
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    # Jobs the test queued in the local pool (derivatives, transcodes) may still run: let them
    # finish before the database is emptied, or they read rows being truncated (a deadlock).
    queue.drain_local()
    if kind == "postgresql":
        _empty_pg_database(url)
    else:
        db.engine(url).dispose()


def _empty_pg_database(url: str) -> None:
    """Back to the state the migrations left: every row deleted but the seeded ones, every
    sequence rewound. DELETE on the few tables a test wrote to, not TRUNCATE of all of them:
    TRUNCATE makes new files for every table and index and took 1-2 s per test on a busy machine."""
    tables = SQLModel.metadata.sorted_tables
    seeds = _seed_rows(url)
    with db.engine(url).begin() as connection:
        probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
        written = {row[0] for row in connection.execute(sa.text(probe))} | set(seeds)
        connection.execute(sa.text("SET LOCAL session_replication_role = replica"))  # no FK checks while emptying
        for table in reversed(tables):
            if table.name in written:
                connection.execute(table.delete())
        connection.execute(sa.text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'"))
        for table_name, rows in seeds.items():  # rows the migrations put in, back as they were
            table = SQLModel.metadata.tables[table_name]
            connection.execute(table.insert(), rows)
            if "id" in table.c and isinstance(table.c.id.type, sa.Integer) and table.c.id.autoincrement:
                connection.execute(sa.text(  # the sequence past the seeded ids
                    f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "
                    f"(SELECT greatest(coalesce(max(id), 0) + 1, 1) FROM \"{table_name}\"), false)"))
    # Give the emptied tables their space back (VACUUM truncates a table with only dead rows), so
    # the next test's rows are stored, and read back unordered, in the order they were written, as
    # after TRUNCATE; a few milliseconds.
    with db.engine(url).execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(sa.text("VACUUM " + ", ".join(f'"{name}"' for name in sorted(written))))


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session on the test's database, as services receive it."""
    with Session(db.engine(database_url), expire_on_commit=False) as session:
        yield session


class Mailbox:
    """Messages received by the test SMTP server, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def wait_for(self, *, to: str, subject: str = "", timeout: float = 10.0) -> EmailMessage:
        """The newest message to `to` whose subject contains `subject`, waiting up to `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.messages):
                if to.lower() in str(message["To"]).lower() and subject in str(message["Subject"]):
                    return message
            time.sleep(0.05)
        subjects = [str(m["Subject"]) for m in self.messages]
        raise AssertionError(f"no email to {to} with {subject!r} in the subject; got {subjects}")

    @staticmethod
    def links(message: EmailMessage) -> list[str]:
        """Every http(s) link in the text part."""
        text = message.get_body(preferencelist=("plain",)).get_content()
        return re.findall(r"https?://[^\s<>\"]+", text)


@contextmanager
def running_smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server (aiosmtpd) on a free localhost port; yields its mailbox and port."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            mailbox.messages.append(message_from_bytes(envelope.content, policy=default_policy))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on localhost; SMTP_* settings point at it."""
    with running_smtp_server() as (mailbox, port):
        monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SMTP_PORT", str(port))
        monkeypatch.setenv("SMTP_SECURITY", "none")
        monkeypatch.setenv("SMTP_FROM", "MediaShare <no-reply@mediashare.test>")
        get_settings.cache_clear()
        try:
            yield mailbox
        finally:
            get_settings.cache_clear()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last (in their own order). Playwright's driver, shared by the whole session,
    keeps an event loop running in this thread from the first browser test on, and tests that call
    `asyncio.run()` must come before that."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
