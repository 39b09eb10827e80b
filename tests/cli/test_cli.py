"""`python -m mediashare`: real subprocesses, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlmodel import Session

from mediashare.models import Role
from mediashare.services import auth, users
from mediashare.settings import PROJECT_ROOT


def run(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mediashare", *args],
        input=stdin, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120,
        env={**os.environ, **env},
    )


def test_migrate_then_check_on_the_embedded_default(isolated_settings) -> None:
    assert run("migrate").returncode == 0
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "database   ok" in result.stdout and "storage    ok" in result.stdout
    assert "purge_trash last run never" in result.stdout  # the periodic purge has not run yet
    assert (isolated_settings / "mediashare.db").exists()


def test_create_superuser_from_flags_and_stdin(database_url: str, session: Session) -> None:
    result = run("create-superuser", "--username", "Boss", "--email", "boss@example.com", "--password-stdin",
                 stdin="a long enough password\n")
    assert result.returncode == 0, result.stderr
    boss = users.find_by_login(session, "boss")
    assert boss.role is Role.SUPERUSER and boss.is_verified
    assert auth.login(session, identifier="boss", password="a long enough password", client=auth.Client())


def test_create_superuser_refuses_bad_input_with_exit_1_and_a_sentence(database_url: str) -> None:
    result = run("create-superuser", "--username", "x", "--email", "x@example.com", "--password-stdin",
                 stdin="a long enough password\n")
    assert result.returncode == 1
    assert result.stderr.startswith("error: A username has 3 to 32 characters")


def test_create_superuser_without_a_terminal_or_flags_explains_what_to_pass(database_url: str) -> None:
    result = run("create-superuser")
    assert result.returncode == 1 and "--username" in result.stderr


def test_seed_demo_is_idempotent(database_url: str) -> None:
    first = json.loads(run("seed-demo", "--json").stdout)
    second = json.loads(run("seed-demo", "--json").stdout)
    assert [a["username"] for a in first] == [a["username"] for a in second]
    assert all(a["password"] for a in first) and not any(a["password"] for a in second)
    human = run("seed-demo")
    assert human.returncode == 0 and "demo-reseller" in human.stdout and "already existed" in human.stdout


def test_check_fails_with_exit_1_when_the_database_is_down() -> None:
    result = run("check", DATABASE_URL="postgresql://mediashare@127.0.0.1:1/mediashare")
    assert result.returncode == 1
    assert "database   unreachable" in result.stdout


@pytest.mark.parametrize("args", [("check",), ("migrate",)])
def test_invalid_settings_exit_2_naming_the_variable(args: tuple[str, ...]) -> None:
    result = run(*args, PUBLIC_URL="not a url")
    assert result.returncode == 2
    assert result.stderr.startswith("error: Setting PUBLIC_URL ")


def test_unknown_command_is_a_usage_error() -> None:
    assert run("frobnicate").returncode == 2


def test_reconcile_spares_fresh_partial_uploads_unless_told_no_server_is_running(database_url: str) -> None:
    from mediashare.services import ingest

    partial = ingest.storage().receive_path()
    partial.write_bytes(b"half an upload")
    result = run("reconcile")
    assert result.returncode == 0, result.stderr
    assert partial.exists()  # it may belong to an upload still in progress
    result = run("reconcile", "--grace-minutes", "0")
    assert result.returncode == 0, result.stderr
    assert "1 partial files" in result.stdout and not partial.exists()
    assert run("reconcile", "--grace-minutes", "-5").returncode == 2
