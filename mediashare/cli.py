"""Command line: migrate, create-superuser, seed-demo, check, ledger verify, plans grant, run.

Exit codes: 0 done; 1 the operation failed (the message says why); 2 bad usage or settings.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence

from mediashare import __version__, db, frontend_build
from mediashare.errors import MediashareError, SettingsError
from mediashare.settings import PROJECT_ROOT, get_settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
log = logging.getLogger("mediashare")


def _say(message: str) -> None:
    print(message, flush=True)


def _fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr, flush=True)


def _recorded_metadata_notice() -> str:
    """The sentence every start says while METADATA_RECORDED_ORIGIN (test-only) is set, else ""."""
    origin = get_settings().metadata_recorded_origin
    return (f"Metadata imports come from the recorded test server at {origin}, not TMDB/OMDb "
            "(METADATA_RECORDED_ORIGIN is set; it is for tests only).") if origin else ""


def cmd_migrate(_args: argparse.Namespace) -> int:
    from mediashare import migrations

    migrations.upgrade()
    _say("Database is up to date.")
    return EXIT_OK


def _minutes(text: str) -> int:
    """A whole number of minutes, 0 or more (argparse type)."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of minutes")
    return int(text)


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise MediashareError("No terminal to ask for a password: pass --password-stdin and pipe it in.")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise MediashareError("The two passwords differ.")
    return first


def _ask(label: str, value: str | None) -> str:
    if value:
        return value
    if not sys.stdin.isatty():
        raise MediashareError(f"No terminal to ask for the {label}: pass --{label}.")
    return input(f"{label.capitalize()}: ").strip()


def cmd_create_superuser(args: argparse.Namespace) -> int:
    from mediashare.models import Role
    from mediashare.services import users

    username = _ask("username", args.username)
    email = _ask("email", args.email)
    password = _read_password(args)
    with db.session_scope() as session:
        user = users.create_user(
            session, actor=None, username=username, email=email, password=password,
            role=Role.SUPERUSER, display_name=args.name or "", verified=True,
        )
    _say(f"Created superuser {user.username} <{user.email}>.")
    return EXIT_OK


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from mediashare.services import demo

    with db.session_scope() as session:
        accounts = demo.seed(session, reset_passwords=args.reset_passwords)
    if args.json:
        _say(json.dumps([{"username": a.username, "role": a.role.value, "password": a.password} for a in accounts]))
        return EXIT_OK
    _say("Demo accounts (passwords are shown once; keep them or run seed-demo --reset-passwords):")
    for account in accounts:
        shown = account.password if account.password else "(unchanged; already existed)"
        _say(f"  {account.role.value:<10} {account.username:<16} {shown}")
    return EXIT_OK


def cmd_check(_args: argparse.Namespace) -> int:
    from mediashare.services import health

    settings = get_settings()
    _say(f"MediaShare {__version__}")
    _say(f"  settings   ok (public URL {settings.public_url})")
    if _recorded_metadata_notice():
        _say(f"  metadata   {_recorded_metadata_notice()}")
    try:
        settings.secret()
        _say("  secret key ok")
    except (MediashareError, OSError) as error:
        _say(f"  secret key FAILED: {error}")
        return EXIT_FAILED
    report = health.check(
        database_url=settings.resolved_database_url,
        redis_url=settings.redis_url,
        media_root=settings.resolved_media_root,
    )
    for part, status in report.parts.items():
        _say(f"  {part:<10} {status}")
    if report.healthy:
        _say_last_runs()
    return EXIT_OK if report.healthy else EXIT_FAILED


def _say_last_runs() -> None:
    from mediashare.jobs import schedule as periodic
    from mediashare.services import schedule

    try:
        with db.session_scope() as session:
            runs = {name: schedule.last_run(session, name) for name in periodic.TASKS}
    except Exception as error:  # e.g. not migrated yet: the health lines above already said enough
        _say(f"  scheduler  unknown ({type(error).__name__})")
        return
    for name, last in runs.items():
        _say(f"  {name:<10} last run {last.isoformat(timespec='seconds') if last else 'never'}")


def reflex_environment() -> dict[str, str]:
    """The environment Reflex runs in: the system bun (from npm), no telemetry."""
    env = dict(os.environ)
    local_bin = PROJECT_ROOT / ".tools" / "node_modules" / ".bin"
    if local_bin.is_dir():
        env["PATH"] = f"{local_bin}{os.pathsep}{env.get('PATH', '')}"
    env["REFLEX_USE_SYSTEM_BUN"] = "1"
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    return env


def cmd_run(args: argparse.Namespace) -> int:
    from mediashare import migrations

    settings = get_settings()
    settings.secret()  # create the key file now, not in the middle of a request
    if _recorded_metadata_notice():
        log.warning(_recorded_metadata_notice())
    migrations.upgrade()
    cmd_reconcile(args)
    db.dispose_all()
    env = reflex_environment()
    if shutil.which("bun", path=env["PATH"]) is None:
        raise MediashareError("bun is not installed: run scripts/install.sh first.")
    port = args.port or settings.port
    if args.rebuild or not frontend_build.is_current(port):
        _say("Building the frontend (a minute or two; later starts reuse the build until the code changes)")
        built = subprocess.run([sys.executable, "-m", "mediashare.frontend_build", "build", str(port)],
                               env=env, cwd=PROJECT_ROOT, check=False)
        if built.returncode != 0:
            raise MediashareError("Building the frontend failed (its messages are above).")
    _say(f"Starting MediaShare at {settings.public_url}")
    os.chdir(PROJECT_ROOT)
    command = [sys.executable, "-m", "mediashare.frontend_build", "serve", str(port)]
    os.execvpe(command[0], command, env)
    return EXIT_OK  # not reached


def cmd_reconcile(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from mediashare.services import reconcile

    minutes = getattr(args, "grace_minutes", None)
    grace = reconcile.GRACE if minutes is None else timedelta(minutes=minutes)
    with db.session_scope() as session:
        report = reconcile.reconcile(session, grace=grace)
    _say(f"Reconciled storage: {report}.")
    return EXIT_OK


def cmd_purge_trash(_args: argparse.Namespace) -> int:
    from mediashare.jobs import media_purge

    removed = media_purge.purge_expired_trash()
    _say(f"Purged {removed} item(s) trashed more than 30 days ago.")
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    from mediashare.jobs import queue, schedule

    if not get_settings().redis_url:
        raise MediashareError("A separate worker needs REDIS_URL; without it the server runs jobs itself.")
    _say(f"Worker for queue {get_settings().job_queue!r}{' (until empty)' if args.burst else ''}")
    if not args.burst:
        schedule.start_thread()  # periodic jobs start even when no app process is up
    queue.run_worker(burst=args.burst)
    return EXIT_OK


def cmd_ledger_verify(_args: argparse.Namespace) -> int:
    from mediashare.services import ledger

    with db.session_scope() as session:
        report = ledger.verify(session)
    _say(f"Ledger: {report.accounts} accounts, {report.transactions} transactions, {report.entries} entries.")
    _say(f"  users hold {report.user_total:,} credits")
    for name, total in sorted(report.system_totals.items()):
        _say(f"  {name:<12} {total:,}")
    if report.ok:
        _say("Every balance matches its entries and credits are conserved.")
        return EXIT_OK
    _say(f"{len(report.problems)} problem(s):")
    for problem in report.problems:
        _say(f"  MISMATCH {problem}")
    return EXIT_FAILED


def cmd_plans_grant(args: argparse.Namespace) -> int:
    from mediashare.services import plans

    try:
        period = plans.parse_period(args.period) if args.period else plans.period_of()
    except MediashareError as error:
        _fail(str(error))
        return EXIT_USAGE
    with db.session_scope() as session:
        run = plans.grant_period(session, period=period)
    _say(f"Plan allotments for {run.period}: {run.granted} paid now, "
         f"{run.accounts - run.granted} paid before, {run.accounts} accounts on a plan with credits.")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mediashare", description="MediaShare command line")
    parser.add_argument("--version", action="version", version=f"MediaShare {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("migrate", help="apply pending database migrations").set_defaults(func=cmd_migrate)

    create = commands.add_parser("create-superuser", help="create a superuser (prompts, or flags for scripts)")
    create.add_argument("--username")
    create.add_argument("--email")
    create.add_argument("--name", help="display name")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(func=cmd_create_superuser)

    seed = commands.add_parser("seed-demo", help="create demo accounts for every role (idempotent)")
    seed.add_argument("--reset-passwords", action="store_true", help="give existing demo accounts new passwords")
    seed.add_argument("--json", action="store_true", help="print the accounts as JSON")
    seed.set_defaults(func=cmd_seed_demo)

    commands.add_parser("check", help="check settings, database, Redis and storage").set_defaults(func=cmd_check)

    reconcile = commands.add_parser("reconcile", help="remove unfinished uploads and files no row points at")
    reconcile.add_argument("--grace-minutes", type=_minutes, default=None, metavar="N",
                           help="leave what is younger than N minutes, as uploads may still be running (default "
                                "60; 0 only when no server is running, e.g. after a crash and before a restart)")
    reconcile.set_defaults(func=cmd_reconcile)

    commands.add_parser("purge-trash", help="delete items trashed more than 30 days ago (run daily)").set_defaults(
        func=cmd_purge_trash)

    ledger_parser = commands.add_parser("ledger", help="credit ledger tools")
    ledger_commands = ledger_parser.add_subparsers(dest="ledger_command", required=True, metavar="COMMAND")
    ledger_commands.add_parser(
        "verify", help="recompute every balance from the entries; exit 1 on any mismatch"
    ).set_defaults(func=cmd_ledger_verify)

    plans_parser = commands.add_parser("plans", help="plan tools")
    plans_commands = plans_parser.add_subparsers(dest="plans_command", required=True, metavar="COMMAND")
    grant = plans_commands.add_parser(
        "grant", help="pay each account on a plan its monthly allotment, once per month (safe to repeat)")
    grant.add_argument("--period", metavar="YYYY-MM", help="the month to pay (default: this month, UTC)")
    grant.set_defaults(func=cmd_plans_grant)

    worker = commands.add_parser("worker", help="process background jobs from Redis (needs REDIS_URL)")
    worker.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    worker.set_defaults(func=cmd_worker)

    run = commands.add_parser("run", help="apply migrations and serve the app on one port")
    run.add_argument("--port", type=int, help="port to listen on (default: PORT, 8000)")
    run.add_argument("--rebuild", action="store_true",
                     help="build the frontend even when the existing build is current")
    run.set_defaults(func=cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        get_settings()
        return args.func(args)
    except SettingsError as error:
        _fail(str(error))
        return EXIT_USAGE
    except MediashareError as error:
        _fail(str(error))
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    finally:
        db.dispose_all()
