"""The helpdesk's screens and dialogs are handed what they need (a Context, the session): they
use Textual's own App API and read nothing the station's App holds, and import no App."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import station

FILES = [
    "ui/screens/helpdesk.py", "ui/screens/owner_jobs.py", "ui/screens/audit.py", "ui/screens/all_jobs.py",
    "ui/screens/paged_table.py", "ui/modals/owner_picker.py", "ui/modals/project_picker.py",
    "ui/modals/reason.py", "ui/modals/search_pick.py", "ui/widgets/fixed_columns.py",
]
TEXTUAL_APP_API = {"push_screen", "push_screen_wait", "batch_update"}


def source(name: str) -> ast.Module:
    return ast.parse((Path(station.__file__).parent / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", FILES)
def test_only_textuals_app_api_is_used(name):
    used = {
        node.attr for node in ast.walk(source(name))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
        and node.value.attr == "app" and isinstance(node.value.value, ast.Name) and node.value.value.id == "self"
    }
    assert used <= TEXTUAL_APP_API, f"{name} reads the App's {sorted(used - TEXTUAL_APP_API)}"


@pytest.mark.parametrize("name", FILES)
def test_no_app_import_and_no_cursor_blink(name):
    tree = source(name)
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "station.ui.app" not in modules
    assert "cursor_blink" not in ast.unparse(tree)
