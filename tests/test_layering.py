"""The rules of the house (design.md), checked on the source: who may import whom."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests_support import PACKAGE, imports_of


def files_in(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def offending(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for path in files_in(layer):
        for name in imports_of(path):
            if name.startswith(forbidden):
                bad.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return bad


def test_api_imports_neither_ui_nor_server():
    assert files_in("api"), "station/api is empty"
    assert offending("api", ("station.ui", "station.server", "textual", "fastapi")) == []


def test_server_imports_only_the_models_of_api_and_never_ui():
    assert files_in("server"), "station/server is empty"
    bad = offending("server", ("station.ui", "station.api.client", "station.api.errors", "textual"))
    assert bad == []


def test_ui_never_imports_server():
    assert files_in("ui"), "station/ui is empty"
    assert offending("ui", ("station.server", "fastapi", "uvicorn")) == []


@pytest.mark.parametrize("module", ["station", "station.api.models"])
def test_light_modules_do_not_pull_in_heavy_frameworks(module):
    code = (
        f"import sys, {module}; "
        "heavy = [m for m in ('textual', 'fastapi', 'httpx') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
