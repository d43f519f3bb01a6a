"""One spelling of "favourite" in everything a person reads on the station (issue 14: the footer
said "favorite", the messages "favourite"). The wire's field and the twin's command keep the
vendor's `favorite`; what is shown is checked here, in the source, so that a new screen or message
cannot bring the other spelling back unseen."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import station.ui

UI = Path(station.ui.__file__).parent
AMERICAN = re.compile(r"\bfavorites?\b", re.IGNORECASE)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _is_binding(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Binding"


def _shown_strings(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module that read as words: a binding's description, or any text
    with a space in it (identifiers, ids and CSS classes have none); docstrings are for readers of
    the code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    strings: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if _is_binding(node) and len(node.args) >= 3:
            described = node.args[2]
            if isinstance(described, ast.Call) and described.args:  # N_("favourite"): marked for the catalog
                described = described.args[0]
            if isinstance(described, ast.Constant):
                strings.append((node.lineno, str(described.value)))
        words = isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value.strip()
        if words and id(node) not in skip:
            strings.append((node.lineno, node.value))
    return strings


def test_the_station_says_favourite_one_way():
    found = [
        f"{path.relative_to(UI)}:{line}: {text!r}"
        for path in sorted(UI.rglob("*.py"))
        for line, text in _shown_strings(path)
        if AMERICAN.search(text)
    ]
    assert found == []


def test_the_check_sees_a_binding_and_a_message(tmp_path):
    """The positive control: both kinds of text are read, and the other spelling is found in each."""
    module = tmp_path / "screen.py"
    module.write_text('BINDINGS = [Binding("f", "favorite", "favorite", id="x")]\nsay("Now a favorite.")\n')
    assert [text for _, text in _shown_strings(module) if AMERICAN.search(text)] == ["favorite", "Now a favorite."]
    shown = [text for _, text in _shown_strings(UI / "screens" / "jobs.py")]
    assert "favourite" in shown  # the footer's word, as a binding's description
