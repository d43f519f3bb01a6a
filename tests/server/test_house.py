"""The server's house (issue 12): no import circle inside `station/server`, no file over 400 lines.

Every import counts: at the top, under `TYPE_CHECKING`, inside a function. An import names the
module it reads (`from station.server import jobs` reads `station.server.jobs`); a package's own
`__init__` running first is not counted as an import of it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import station.server

SERVER = Path(station.server.__file__).resolve().parent
ROOT = SERVER.parents[1]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def server_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(SERVER.rglob("*.py"))}


def imports_of(path: Path, known: set[str]) -> set[str]:
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package, known)


def imports_in(source: str, package: str, known: set[str]) -> set[str]:
    """The modules of `known` that this source imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return found & known


def import_graph() -> dict[str, set[str]]:
    modules = server_modules()
    return {name: imports_of(path, set(modules)) - {name} for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every module that can reach itself, with one way round."""
    found = []
    for start in graph:
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, way = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    found.append([*way, start])
                    stack.clear()
                    break
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*way, nxt]))
    return found


def test_no_module_of_the_server_imports_one_that_imports_it_back():
    graph = import_graph()
    assert "station.server.jobs.release" in graph and "station.server.store" in graph
    assert circles(graph) == []


def test_the_circle_finder_finds_a_circle():
    """The control: the old seed and store, each importing the other (one inside a function)."""
    graph = {"a.store": {"a.keys", "a.seed"}, "a.seed": {"a.store"}, "a.keys": set()}
    assert [way for way in circles(graph) if way[0] == "a.store"] == [["a.store", "a.seed", "a.store"]]


def test_imports_inside_functions_and_type_checking_count():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from station.server.seed import Hasher\n"
        "def f():\n    from station.server import auth\n    from .jobs import rules\n"
    )
    found = imports_in(source, "station.server", set(server_modules()))
    assert found == {"station.server.seed", "station.server.auth", "station.server.jobs.rules"}


def test_no_file_of_the_server_is_over_400_lines():
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in server_modules().values()
    }
    assert max(lengths.values()) > 100  # the files were read
    assert {path: n for path, n in lengths.items() if n > 400} == {}
