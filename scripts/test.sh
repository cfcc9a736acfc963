#!/usr/bin/env bash
# Install what the tests need into a virtual environment, lint, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV_DIR=${VENV_DIR:-.venv}
[ -x "$VENV_DIR/bin/python" ] || python3 -m venv "$VENV_DIR"
"$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
"$VENV_DIR/bin/ruff" check .
"$VENV_DIR/bin/ruff" format --check .
"$VENV_DIR/bin/python" -m pytest -n auto "$@"
