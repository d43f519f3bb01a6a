"""Nothing in station/ imports the App (station/ui/app.py) but the command line: screens post
messages up instead of calling it, so no module of the UI can close a circle through it.
Counted: every import, at the top, under TYPE_CHECKING or inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

STATION = Path(__file__).resolve().parents[2] / "station"
ENTRY_POINTS = {"station.cli"}


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(STATION.parent).with_suffix("").parts)


def test_only_the_entry_points_import_the_app():
    importers = {
        module_name(path) for path in STATION.rglob("*.py") if "station.ui.app" in imported_modules(path)
    }
    assert importers - ENTRY_POINTS == set(), "these import station.ui.app: post a message instead"
    assert importers == ENTRY_POINTS  # the positive control: the search finds the one that does


def test_the_kiosk_guard_and_screens_know_the_app_only_as_textuals():
    for module in ("kiosk.py", "screens/login.py", "screens/jobs.py", "screens/helpdesk.py"):
        assert "StationApp" not in (STATION / "ui" / module).read_text(encoding="utf-8"), module
