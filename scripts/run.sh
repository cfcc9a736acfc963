#!/usr/bin/env bash
# Install the bot's requirements into .venv and run it (settings from the environment or .env).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec .venv/bin/python bot.py
