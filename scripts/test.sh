#!/usr/bin/env bash
# The whole suite, offline. Installs the test browser and PostgreSQL first when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
bash scripts/install-browser.sh
bash scripts/ensure-postgres.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
"$VENV/bin/pytest" -q "$@"
