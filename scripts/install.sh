#!/usr/bin/env bash
# Install zhizao into ./.venv (Python 3.11+). `--test` also installs what the test suite needs:
# the test Python packages and the system packages listed in scripts/system-packages.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "${1:-}" = "--test" ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
  bash scripts/install-system.sh
else
  .venv/bin/python -m pip install -q -e .
fi
