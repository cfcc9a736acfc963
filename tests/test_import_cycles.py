"""No import cycles between the project's modules, and no imports hidden in functions.

A cycle works until someone imports the modules in another order; a function-level
import is how one is usually hidden. The graph is built with `ast` from every import in
a module (at module level and inside functions alike), so hiding a cycle in a function
does not hide it from this test.

Importing `a.b.c` runs `a/__init__.py` and `a/b/__init__.py` first, so an import also
depends on the `__init__` of each package it passes through, except the packages the
importing module is itself inside (those are already being imported when it runs). A
feature package's `__init__` imports its modules to register them, so this is what keeps
the packages themselves from depending on each other both ways.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cogs", "core", "storage", "prompts", "api", "wording", "dashboard")
SCRIPTS = ("bot.py",)


def project_modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the project (tests excluded)."""
    found: dict[str, Path] = {}
    for script in SCRIPTS:
        if (ROOT / script).exists():
            found[script.removesuffix(".py")] = ROOT / script
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def imported_names(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports anywhere in its source, resolved."""
    package = name if is_package(name, modules) else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                # `from x import y` imports the module x.y when y is one, else a name of x.
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in modules else source)
    return {target for target in targets if target in modules}


def with_packages(name: str, targets: set[str], modules: dict[str, Path]) -> set[str]:
    """Each target plus the `__init__` of every package on its way (see the docstring)."""
    own = set()
    parts = name.split(".")
    for end in range(1, len(parts) + 1):
        own.add(".".join(parts[:end]))
    result = set()
    for target in targets:
        pieces = target.split(".")
        for end in range(1, len(pieces) + 1):
            step = ".".join(pieces[:end])
            if step in modules and (step == target or step not in own):
                result.add(step)
    result.discard(name)
    return result


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {
        name: with_packages(name, imported_names(name, path, modules), modules)
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as [a, b, ..., a], or None; depth-first, deterministic."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def lazy_imports(path: Path) -> list[str]:
    """Imports inside a function or class body, as `line: statement`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for scope in ast.walk(tree):
        if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.walk(scope):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    return sorted(set(found))


def test_the_graph_sees_the_project() -> None:
    graph = import_graph()
    # The search is broken if it misses these edges.
    assert "cogs.shared.desk" in graph["cogs.tickets.opener"]
    assert "cogs.tickets" in graph["cogs.ai.buttons"]  # the package's __init__ runs too
    assert "cogs.tickets.render" in graph["cogs.tickets.pages"]  # from cogs.tickets import render
    assert "cogs.app" in graph["bot"]  # a function-level import counts


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_lazy_imports_in_the_front_end() -> None:
    # No allow-list: a cycle is broken by moving the shared part down into cogs/shared or
    # by passing a function in (see cogs/app.py), never by importing late.
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "cogs").rglob("*.py"))
        if (found := lazy_imports(path))
    }
    assert offenders == {}
