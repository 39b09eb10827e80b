"""Build the production frontend once and serve it until the code changes.

`reflex run --env prod` compiles every page and bundles the frontend at every start (about 30 s
here, longer on a busy machine). `mediashare run` instead builds only when the build is missing or
stale, and otherwise starts the server on the existing build in a few seconds. A build is current
when `.web/mediashare-build.json` names the same key: a hash of everything the bundle is made from
(our package, assets, rxconfig.py, the frontend lock files, the Reflex version) and the port, which
Reflex writes into the bundle.

Run as `python -m mediashare.frontend_build build|serve` in a fresh interpreter: Reflex compiles
in this process and Granian must start before the app is imported.
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import metadata

from mediashare.settings import PROJECT_ROOT, get_settings

WEB_DIR = PROJECT_ROOT / ".web"
STAMP = WEB_DIR / "mediashare-build.json"
_SOURCES = ("mediashare", "assets", "rxconfig.py", "reflex.lock", "requirements.txt")
_SKIPPED_PARTS = {"__pycache__"}


def build_key(port: int) -> str:
    """The key of the build these sources and this port produce."""
    digest = hashlib.sha256()
    digest.update(f"reflex {metadata.version('reflex')} port {port}\n".encode())
    for name in _SOURCES:
        root = PROJECT_ROOT / name
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if _SKIPPED_PARTS.intersection(path.relative_to(PROJECT_ROOT).parts) or path.suffix == ".pyc":
                continue
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def is_current(port: int) -> bool:
    """Whether `.web` holds a finished build of the current sources for `port`."""
    try:
        recorded = json.loads(STAMP.read_text())["key"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return recorded == build_key(port) and (WEB_DIR / "build" / "client").is_dir()


def _prepare_reflex(port: int, host: str) -> None:
    from reflex.istate.manager import reset_disk_state_manager
    from reflex.reflex import _init
    from reflex.utils import prerequisites
    from reflex_base import constants
    from reflex_base.config import get_config, reload_config
    from reflex_base.environment import environment

    environment.REFLEX_COMPILE_CONTEXT.set(constants.CompileContext.RUN)
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_BACKEND_ONLY.set(False)
    environment.REFLEX_FRONTEND_ONLY.set(False)
    config = get_config()
    prerequisites.assert_in_reflex_dir()
    if prerequisites.needs_reinit():
        _init(name=config.app_name)
    reset_disk_state_manager()
    config._set_persistent(frontend_port=port, backend_port=port, backend_host=host)
    reload_config()


def build(port: int, host: str) -> None:
    """Compile the pages and bundle the frontend for `port` (what `reflex run --env prod` does
    before serving), then record the build's key."""
    from reflex.reflex import _compile_app
    from reflex.utils import build as reflex_build
    from reflex.utils import path_ops, prerequisites

    _prepare_reflex(port, host)
    STAMP.unlink(missing_ok=True)
    key = build_key(port)
    with path_ops.file_lock(prerequisites.get_web_dir()):
        _compile_app(avoid_dirty_check=False)
        reflex_build.setup_frontend_prod(PROJECT_ROOT)
    STAMP.write_text(json.dumps({"key": key, "port": port}))


def serve(port: int, host: str) -> None:
    """Serve the built frontend, the websocket and our routes from one process on `port`."""
    from reflex.utils import exec as reflex_exec
    from reflex_base.config import get_config
    from reflex_base.environment import environment

    _prepare_reflex(port, host)
    environment.REFLEX_SKIP_COMPILE.set(True)
    reflex_exec.notify_app_running()
    reflex_exec.run_backend_prod(host, port, get_config().loglevel.subprocess_level(), True)


def main(argv: list[str]) -> int:
    settings = get_settings()
    port, host = int(argv[1]) if len(argv) > 1 else settings.port, settings.host
    if argv[:1] == ["build"]:
        build(port, host)
    elif argv[:1] == ["serve"]:
        serve(port, host)
    else:
        print("usage: python -m mediashare.frontend_build build|serve [PORT]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
