#!/usr/bin/env bash
# Install what the tests need into a virtual environment, lint, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV_DIR=${VENV_DIR:-.venv}
[ -x "$VENV_DIR/bin/python" ] || python3 -m venv "$VENV_DIR"
"$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
# The dashboard's browser tests drive Debian's chromium (Playwright can't download browsers
# here). Installed when missing and possible; otherwise those tests skip and say so.
if [ ! -x /usr/bin/chromium ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
            >/dev/null 2>&1 || echo "chromium could not be installed: the browser tests will be skipped"
    else
        echo "no /usr/bin/chromium (and no root apt-get): the browser tests will be skipped"
    fi
fi
"$VENV_DIR/bin/ruff" check .
"$VENV_DIR/bin/ruff" format --check .
"$VENV_DIR/bin/python" -m pytest -n auto "$@"
