"""Start-up refuses bad configuration with one clear line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def start_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DEV_GUILD_ID"}}
    # Run from an empty directory so a developer's own .env can't leak into the test.
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py")],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "DISCORD_TOKEN is required but not set"),
        ({"DISCORD_TOKEN": "  "}, "DISCORD_TOKEN is invalid: must not be empty"),
        ({"DISCORD_TOKEN": "t", "DEV_GUILD_ID": "my-server"}, "DEV_GUILD_ID is invalid"),
        ({"DISCORD_TOKEN": "t", "DATABASE_PATH": "/no/such/dir/x.db"}, "DATABASE_PATH is invalid"),
        ({"DISCORD_TOKEN": "t", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL is invalid"),
        (
            {"DISCORD_TOKEN": "t", "DATABASE_URL": "mysql://desk:pw@db/tickets"},
            "DATABASE_URL is invalid: must start with postgresql://",
        ),
        (
            {"DISCORD_TOKEN": "t", "DISCORD_GATEWAY_URL": "http://x"},
            "DISCORD_GATEWAY_URL is invalid",
        ),
    ],
)
def test_bad_settings_stop_with_one_line(tmp_path, env, expected):
    result = start_bot(tmp_path, **env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_token_is_never_echoed(tmp_path):
    result = start_bot(tmp_path, DISCORD_TOKEN="super-secret-token", DEV_GUILD_ID="nope")
    assert "super-secret-token" not in result.stderr + result.stdout
