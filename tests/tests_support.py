"""Small helpers for tests that start real processes or read station's source (importable: tests/ is on
sys.path)."""

from __future__ import annotations

import ast
import socket
from pathlib import Path

from station.config import Settings

PACKAGE = Path(__file__).resolve().parents[1] / "station"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def imports_of(path: Path) -> set[str]:
    """Every module name a file imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def without_undo(settings: Settings | None = None) -> Settings:
    """The settings of a test's station: a release or cancel is sent at once, as before the undo
    window (issue 14), unless the test sets `undo_seconds` itself (tests/ui/test_undo.py). The
    product's default stays 8 seconds."""
    settings = settings or Settings()
    if "undo_seconds" in settings.model_fields_set:
        return settings
    return settings.model_copy(update={"undo_seconds": 0})
