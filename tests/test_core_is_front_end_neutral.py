"""core/ words nothing in any front end's syntax: no Discord mentions, no slash commands.

Another front end (the HTTP API, the dashboard) shows what core says, so a Discord mention
(`<@…>`, `<@&…>`, `<#…>`) or a slash-command hint (`/admin setup`) in core would reach it
as markup. Core raises codes with params; `wording/catalogue.py` words them for Discord.
Comments and docstrings count too: a grep for these must come back empty.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

DISCORD_SYNTAX = {
    "a mention": re.compile(r"<[@#]"),
    "a backticked slash command": re.compile(r"`/\w"),
    "a slash command": re.compile(r"(?<![\w/.])/(ticket|admin|forms)\b"),
}


def core_lines() -> list[tuple[str, int, str]]:
    return [
        (str(path.relative_to(ROOT)), number, line)
        for path in sorted((ROOT / "core").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    ]


@pytest.mark.parametrize("what", sorted(DISCORD_SYNTAX))
def test_core_has_no_discord_syntax(what: str) -> None:
    pattern = DISCORD_SYNTAX[what]
    found = [f"{path}:{number}: {line.strip()}" for path, number, line in core_lines()]
    offenders = [line for line in found if pattern.search(line.split(": ", 1)[1])]
    assert offenders == [], f"{what} in core/ (word it in wording/catalogue.py instead)"


@pytest.mark.parametrize(
    "sample",
    ["Ask an admin to run `/admin setup`.", "by <@50>", "for <@&7> only", "see /ticket list"],
)
def test_the_check_catches_discord_syntax(sample: str) -> None:
    assert any(pattern.search(sample) for pattern in DISCORD_SYNTAX.values())
