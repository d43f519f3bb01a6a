"""Small helpers for tests that start real processes or read station's source (importable: tests/ is on
sys.path)."""

from __future__ import annotations

import ast
import contextlib
import io
import os
import socket
import subprocess
from pathlib import Path
from unittest import mock

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


def station_in_process(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`station ARGV` run by `station.cli.main` in this process with exactly `env` as its
    environment: its exit status, stdout and stderr, as a shell would see them. A Python started
    for each command costs about half a second of CPU; tests keep a real process for what only
    a process shows (a closed pipe, `--help`, a server started by `station serve`), and for what
    a process keeps between its requests: what a server can do is learned once per process and
    server URL (station/api/capabilities.py), here once per pytest worker until `forget_all()`
    (tests/cli/conftest.py calls it before each test)."""
    from station import cli

    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env, clear=True), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        try:
            status = cli.main(list(argv))
        except SystemExit as exit_:  # argparse's wrong use (2)
            status = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(["station", *argv], status, out.getvalue(), err.getvalue())


def without_undo(settings: Settings | None = None) -> Settings:
    """The settings of a test's station: a release or cancel is sent at once, as before the undo
    window (issue 14), unless the test sets `undo_seconds` itself (tests/ui/test_undo.py). The
    product's default stays 8 seconds."""
    settings = settings or Settings()
    if "undo_seconds" in settings.model_fields_set:
        return settings
    return settings.model_copy(update={"undo_seconds": 0})
