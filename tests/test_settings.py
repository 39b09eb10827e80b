"""Settings: one clear sentence for bad values, a generated secret key that persists privately."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mediashare.errors import SettingsError
from mediashare.settings import PROJECT_ROOT, load_settings

RECORDED = "Setting METADATA_RECORDED_ORIGIN must be http://<loopback IPv4 address>:<port> and nothing else"


def test_defaults_are_embedded_sqlite_and_local_storage(isolated_settings: Path) -> None:
    settings = load_settings()
    assert settings.resolved_database_url == f"sqlite:///{isolated_settings / 'mediashare.db'}"
    assert settings.resolved_media_root == isolated_settings / "media"
    assert settings.redis_url is None
    assert settings.public_origin == "http://localhost:8000"


def test_secret_key_is_generated_once_kept_private_and_reused_by_a_new_process(isolated_settings: Path) -> None:
    key_file = isolated_settings / "secret.key"
    assert not key_file.exists()
    key = load_settings().secret()
    assert len(key) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_settings().secret() == key
    # A restart is a new process reading the same file.
    env = {**os.environ, "DATA_DIR": str(isolated_settings)}
    code = "from mediashare.settings import load_settings; print(load_settings().secret())"
    again = subprocess.run([sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, capture_output=True,
                           text=True, check=True).stdout.strip()
    assert again == key


def test_a_world_readable_key_file_is_made_private(isolated_settings: Path) -> None:
    isolated_settings.mkdir(parents=True)
    key_file = isolated_settings / "secret.key"
    key_file.write_text("k" * 48)
    key_file.chmod(0o644)
    assert load_settings().secret() == "k" * 48
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_the_environment_wins_and_writes_no_file(
    isolated_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    assert load_settings().secret() == "s" * 40
    assert not (isolated_settings / "secret.key").exists()


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PUBLIC_URL", "photos.example.com", "Setting PUBLIC_URL must be the address people use"),
        ("PUBLIC_URL", "https://photos.example.com/app", "Setting PUBLIC_URL must be an origin without a path"),
        ("DATABASE_URL", "mysql://localhost/db", "Setting DATABASE_URL must start with sqlite:// or postgresql://"),
        ("REDIS_URL", "localhost:6379", "Setting REDIS_URL must start with redis://"),
        ("PORT", "eighty", "Setting PORT "),
        ("PORT", "70000", "Setting PORT "),
        ("SMTP_SECURITY", "maybe", "Setting SMTP_SECURITY "),
        ("SECRET_KEY", "short", "Setting SECRET_KEY must be at least 32 characters long."),
        *[("METADATA_RECORDED_ORIGIN", value, RECORDED) for value in (
            "https://127.0.0.1:8765", "http://10.0.0.5:8765", "http://93.184.215.14:8765", "http://localhost:8765",
            "http://127.0.0.1", "http://127.0.0.1:0", "http://127.0.0.1:70000", "http://127.0.0.1:8765/",
            "http://127.0.0.1:8765/omdb", "http://127.0.0.1:8765?x=1", "http://127.0.0.1:8765#top",
            "http://user@127.0.0.1:8765", "http://[::1]:8765", "http://127.1:8765", "127.0.0.1:8765",
            "http://127.0.0.1:8765@evil.example:80")],
    ],
)
def test_invalid_settings_fail_with_one_sentence_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(expected)
    assert message.endswith(".") and "\n" not in message
    if variable == "SECRET_KEY":
        assert value not in message  # never echo a secret


def test_public_origin_drives_secure_cookies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLIC_URL", "https://photos.example.com:8443/")
    settings = load_settings()
    assert settings.public_origin == "https://photos.example.com:8443"
    assert settings.secure_cookies


def test_the_recorded_metadata_origin_is_a_loopback_address_and_port_or_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings().metadata_test_origin is None
    monkeypatch.setenv("METADATA_RECORDED_ORIGIN", "http://127.0.0.1:8765")
    settings = load_settings()
    assert settings.metadata_recorded_origin == "http://127.0.0.1:8765"
    assert settings.metadata_test_origin == ("127.0.0.1", 8765)


def test_a_bad_recorded_metadata_origin_stops_the_program_at_start(isolated_settings: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(isolated_settings), "METADATA_RECORDED_ORIGIN": "http://10.1.2.3:80"}
    result = subprocess.run([sys.executable, "-m", "mediashare", "check"], env=env, cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {RECORDED}")
    assert "METADATA_RECORDED_ORIGIN" in result.stderr and "10.1.2.3" in result.stderr
