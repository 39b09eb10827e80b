"""One Settings object, read from the environment (and an optional `.env` file).

Every setting is an environment variable of the same name in upper case. Invalid values stop the
program at start with one sentence naming the variable (`SettingsError`). The secret key is never a
default in the code: it comes from `SECRET_KEY` or from `DATA_DIR/secret.key`, generated on first
start with mode 0600.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mediashare.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = "secret.key"
_MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    """Process-wide configuration; read once, then treated as immutable."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    data_dir: Path = Field(default=PROJECT_ROOT / "data")
    database_url: str = ""  # empty: SQLite file DATA_DIR/mediashare.db
    redis_url: str | None = None
    job_queue: str = Field(default="mediashare", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")  # RQ queue name
    media_root: Path | None = None  # None: DATA_DIR/media
    secret_key: SecretStr | None = None
    public_url: str = "http://localhost:8000"
    host: str = "0.0.0.0"
    port: int = Field(default=8000, ge=1, le=65535)

    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_from: str = "MediaShare <no-reply@localhost>"

    session_idle_minutes: int = Field(default=7 * 24 * 60, ge=5)
    session_absolute_days: int = Field(default=30, ge=1)
    lockout_threshold: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)

    scheduler_enabled: bool = True  # periodic jobs (trash purge) started by the app and workers
    scheduler_check_seconds: int = Field(default=600, ge=1)  # how often each process looks for due tasks
    trash_purge_every_hours: int = Field(default=24, ge=1)
    # the most one upload request may carry (a whole batch of files; see api/upload_limit.py)
    upload_max_request_bytes: int = Field(default=64 * 1024**3, ge=1024**2)
    # Test-only: metadata imports talk to this recorded provider server instead of TMDB/OMDb
    # (services/safe_fetch.py). Only http://<loopback IPv4>:<port>; never settable from the UI or DB.
    metadata_recorded_origin: str | None = None

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if value and not value.startswith(("sqlite://", "postgresql://", "postgresql+psycopg2://")):
            raise ValueError(
                "must start with sqlite:// or postgresql:// "
                "(e.g. postgresql://user@127.0.0.1:5432/mediashare)"
            )
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be the address people use, like https://photos.example.com")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError("must be an origin without a path, like https://photos.example.com")
        return value.rstrip("/")

    @field_validator("metadata_recorded_origin")
    @classmethod
    def _metadata_recorded_origin(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        try:
            port = parts.port
            address = ipaddress.ip_address(parts.hostname or "")
        except ValueError:
            port, address = None, None
        if (parts.scheme != "http" or not isinstance(address, ipaddress.IPv4Address) or not address.is_loopback
                or not port or value != f"http://{address}:{port}"):
            raise ValueError("must be http://<loopback IPv4 address>:<port> and nothing else, like "
                             "http://127.0.0.1:8765 (the recorded metadata server of the tests)")
        return value

    # Derived values -----------------------------------------------------------------------------

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to an SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'mediashare.db'}"

    @property
    def resolved_media_root(self) -> Path:
        return self.media_root or self.data_dir / "media"

    @property
    def public_origin(self) -> str:
        """scheme://host[:port] of PUBLIC_URL: the only origin allowed to open a websocket."""
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def metadata_test_origin(self) -> tuple[str, int] | None:
        """(host, port) of METADATA_RECORDED_ORIGIN, the recorded test server imports use, or None."""
        if not self.metadata_recorded_origin:
            return None
        parts = urlsplit(self.metadata_recorded_origin)
        return parts.hostname or "", parts.port or 0

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    def secret(self) -> str:
        """SECRET_KEY from the environment, else the generated key file (created on first use)."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        return _load_or_create_key(self.data_dir / SECRET_KEY_FILE)


def _load_or_create_key(path: Path) -> str:
    """Read the key file, or create it with a fresh random key readable by the owner only."""
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process won the race: use its key
            return _load_or_create_key(path)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return key
    if len(key) < _MIN_SECRET_LENGTH:
        raise SettingsError(f"The key file {path} holds a key shorter than {_MIN_SECRET_LENGTH} characters.")
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)  # repair a key file someone made readable by others
    return key


def _explain(error: ValidationError) -> str:
    """One sentence naming the first invalid variable."""
    first = error.errors()[0]
    name = str(first["loc"][0]).upper() if first.get("loc") else "a setting"
    message = str(first.get("msg", "is invalid")).removeprefix("Value error, ")
    value = first.get("input")
    shown = f" (got {value!r})" if isinstance(value, str | int) and name not in ("SECRET_KEY", "SMTP_PASSWORD") else ""
    return f"Setting {name} {message[0].lower() + message[1:]}{shown}."


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; raises SettingsError with one clear sentence."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise SettingsError(_explain(error)) from None
    if settings.secret_key is not None and len(settings.secret_key.get_secret_value()) < _MIN_SECRET_LENGTH:
        raise SettingsError(f"Setting SECRET_KEY must be at least {_MIN_SECRET_LENGTH} characters long.")
    return settings


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings (cached; tests clear the cache after changing the environment)."""
    return load_settings()
