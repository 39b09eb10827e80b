#!/usr/bin/env bash
# Install everything, prepare the database and demo accounts, and serve MediaShare on one port.
# Embedded defaults: SQLite and files under data/, no other servers needed. See README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/python -m mediashare migrate
.venv/bin/python -m mediashare seed-demo
exec .venv/bin/python -m mediashare run "$@"
