#!/usr/bin/env bash
# Install everything MediaShare needs inside the repository: a virtual environment at .venv/ with
# the pinned Python packages, and bun (Reflex's JavaScript tool) from the npm registry into .tools/.
#   scripts/install.sh        runtime packages
#   scripts/install.sh dev    runtime + test/lint packages, and Chromium from Debian when absent
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-runtime}"
BUN_VERSION="1.4.5"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Python ----------------------------------------------------------------------------------
python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      python_bin="$candidate"; break
    fi
  done
fi
[ -n "$python_bin" ] || { echo "MediaShare needs Python 3.11 (set PYTHON=/path/to/python3.11)." >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  log "Creating .venv with $python_bin"
  if ! "$python_bin" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    log "Installing python3-venv from Debian"
    as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv python3.11-venv || true
    "$python_bin" -m venv .venv
  fi
fi

requirements="requirements.txt"
[ "$mode" = "dev" ] && requirements="requirements-dev.txt"
stamp=".venv/.installed-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)-$mode"
if [ ! -f "$stamp" ]; then
  log "Installing Python packages from $requirements"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi

# --- bun (Reflex cannot download it here; the npm registry has it) ----------------------------
if [ ! -x .tools/node_modules/.bin/bun ]; then
  command -v npm >/dev/null 2>&1 || { echo "MediaShare needs Node.js 20+ with npm." >&2; exit 1; }
  log "Installing bun $BUN_VERSION from npm into .tools/"
  mkdir -p .tools
  npm install --silent --no-audit --no-fund --prefix .tools "bun@$BUN_VERSION"
fi
.tools/node_modules/.bin/bun --version >/dev/null

# --- Chromium for the browser tests ----------------------------------------------------------
if [ "$mode" = "dev" ] && [ ! -x /usr/bin/chromium ]; then
  log "Installing Chromium from Debian (browser tests)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
log "Install complete"
