"""Every reason word of the contract has a test named after it that asserts it."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

from station.api.models import Reason

HERE = Path(__file__).parent


@functools.cache
def collect_named_tests() -> dict[str, str]:
    found = {}
    for path in HERE.glob("test_*.py"):
        if path.name == Path(__file__).name:
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
                found[f"{path.name}::{node.name}"] = ast.get_source_segment(source, node) or ""
    return found


@pytest.mark.parametrize("word", [r.value for r in Reason])
def test_every_reason_word_has_its_named_test(word):
    tests = collect_named_tests()
    named = [name for name, body in tests.items() if word in name.split("::")[1] and f'"{word}"' in body]
    assert named, f"no test named after {word!r} asserts it"
