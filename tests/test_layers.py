"""core, storage and prompts never import discord, so other front ends can reuse them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["core", "storage", "prompts", "api", "wording", "dashboard"])
def test_domain_layers_do_not_import_discord(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] == "discord"
        )
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_storage_does_not_import_front_end():
    for path in (ROOT / "storage").rglob("*.py"):
        assert not any(m.split(".")[0] == "cogs" for m in imported_modules(path)), path


# What each layer must never import (any module under these names, lazy imports included):
# core is the domain behind its ports, storage implements the ports, and only the wiring
# (wiring.py, called by bot.py) picks implementations.
FORBIDDEN = {
    "core": {"storage", "aiosqlite", "sqlite3", "asyncpg", "cogs", "discord", "wiring", "bot"},
    "storage": {"cogs", "discord", "wiring", "bot"},
    # The HTTP front end calls core only, like cogs/ but without Discord.
    # The words of every front end: plain text from core's messages.
    "wording": {
        "storage",
        "aiosqlite",
        "sqlite3",
        "asyncpg",
        "cogs",
        "discord",
        "wiring",
        "bot",
        "api",
    },
    "api": {"storage", "aiosqlite", "sqlite3", "asyncpg", "cogs", "discord", "wiring", "bot"},
    # The web dashboard: pages over core's services, mounted by the HTTP app.
    "dashboard": {
        "storage",
        "aiosqlite",
        "sqlite3",
        "asyncpg",
        "cogs",
        "discord",
        "wiring",
        "bot",
        "api",
    },
}
# Composition roots inside a layer: they pick implementations, like bot.py and wiring.py.
COMPOSITION_ROOTS = {"api/__main__.py"}


@pytest.mark.parametrize(("package", "forbidden"), sorted(FORBIDDEN.items()))
def test_layers_import_only_what_they_may(package, forbidden):
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] in forbidden
        )
        for path in (ROOT / package).rglob("*.py")
        if str(path.relative_to(ROOT)) not in COMPOSITION_ROOTS
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_api_entry_point_imports_no_store_or_discord():
    # `python -m api` asks the wiring for the store; it never names one, nor Discord.
    found = imported_modules(ROOT / "api" / "__main__.py")
    assert not {m for m in found if m.split(".")[0] in {"storage", "discord", "cogs"}}


# `python bot.py --check` reads the database without opening it for writing: the one
# storage import the front end may make (storage.health looks at whichever backend the
# settings choose; storage.sqlite.health is the SQLite side alone).
FRONT_END_STORAGE_IMPORTS = {"storage.health", "storage.sqlite.health"}


def test_only_the_wiring_chooses_the_store():
    offenders = {}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        top = relative.parts[0]
        if top in {"storage", "tests", "bench", "bot.py", "wiring.py"} or top.startswith("."):
            continue  # (dot folders: virtual environments such as CI's .venv-ci)
        allowed = FRONT_END_STORAGE_IMPORTS if relative.parts[0] == "cogs" else set()
        found = {m for m in imported_modules(path) if m.split(".")[0] == "storage"} - allowed
        if found:
            offenders[str(relative)] = sorted(found)
    assert offenders == {}
