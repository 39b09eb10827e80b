#!/usr/bin/env bash
# Install everything (plus test tools and Chromium) and run the whole test suite: every database
# test runs on SQLite and on PostgreSQL; browser tests drive the production build in Chromium.
# PostgreSQL: TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test);
# Redis: TEST_REDIS_URL (default redis://127.0.0.1:6379/15). With CI=true, missing ones fail.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh dev
export PATH="$PWD/.tools/node_modules/.bin:$PATH" REFLEX_USE_SYSTEM_BUN=1 REFLEX_TELEMETRY_ENABLED=false
.venv/bin/ruff check mediashare tests alembic/env.py bench rxconfig.py
exec .venv/bin/python -m pytest "$@"
