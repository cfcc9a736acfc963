"""`python -m api`: the API as its own process needs a database several processes share;
with SQLite it refuses with one line saying to run it inside the bot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_api(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("API_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "api"],
        cwd=ROOT,
        env={**clean, "DISCORD_TOKEN": "x", "DATABASE_PATH": str(tmp_path / "t.db"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_sqlite_it_must_run_inside_the_bot(tmp_path):
    done = run_api(tmp_path, API_PORT="8123")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("Configuration error: the HTTP API")
    assert "inside the bot" in done.stderr and "Traceback" not in done.stderr


def test_it_needs_a_port(tmp_path):
    done = run_api(tmp_path)
    assert done.returncode == 2
    assert "API_PORT is required" in done.stderr
