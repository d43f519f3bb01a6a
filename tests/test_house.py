"""The house, checked on the source: no module of station imports a module that imports it back
(imports under TYPE_CHECKING and inside functions count), no file over 400 lines, no mixins."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests_support import PACKAGE, imports_of

MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def station_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def import_graph() -> dict[str, set[str]]:
    """Each module of station and the modules of station it imports (a name imported from a
    module, `from station.ui.app import StationApp`, counts as importing that module)."""
    modules = station_modules()
    return {
        name: {imported for imported in imports_of(path) if imported in modules and imported != name}
        for name, path in modules.items()
    }


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def one_loop(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A path through `group` that comes back to where it started: a -> b -> ... -> a."""
    members = set(group)
    start = group[0]
    path = [start]
    seen = {start}
    node = start
    while True:
        nxt = sorted(graph[node] & members)
        if start in nxt and len(path) > 1:
            return [*path, start]
        step = next((n for n in nxt if n not in seen), None)
        if step is None:  # every way on is taken: close on the first one seen
            back = next(n for n in nxt if n in seen)
            return [*path[path.index(back):], back]
        path.append(step)
        seen.add(step)
        node = step


def describe(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{len(group)} modules import each other ({', '.join(group)}), e.g. {' -> '.join(one_loop(graph, group))}"
        for group in circles(graph)
    ]


def test_the_circle_finder_sees_a_circle_and_a_straight_line():
    """Positive control for the test below."""
    assert describe({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        "3 modules import each other (a, b, c), e.g. a -> b -> c -> a"
    ]
    assert describe({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_graph_counts_imports_in_functions_and_under_type_checking():
    graph = import_graph()
    assert "station.api.models" in graph["station.api.client"]
    # station.__main__ imports station.cli at the top; station.cli imports heavy modules inside functions.
    assert "station.cli" in graph["station.__main__"]
    hidden = {
        name for name, path in station_modules().items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
    }
    assert hidden, "no module imports under TYPE_CHECKING: this check no longer checks anything"


def test_no_module_of_station_imports_a_module_that_imports_it_back():
    assert describe(import_graph()) == []


def test_the_server_seed_and_store_do_not_import_each_other():
    graph = import_graph()
    both_ways = "station.server.store" in graph["station.server.seed"] and (
        "station.server.seed" in graph["station.server.store"]
    )
    assert not both_ways


def files_over(limit: int) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE.parent)}: {lines} lines"
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > limit
    ]


def mixins() -> Iterator[str]:
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Mixin"):
                yield f"{path.relative_to(PACKAGE.parent)}: class {node.name}"


def test_no_file_of_station_is_over_400_lines():
    assert files_over(MAX_LINES) == []


def test_no_mixins():
    assert list(mixins()) == []
