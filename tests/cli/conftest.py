"""Fixtures of the command-line tests.

Some run `station.cli.main` in this process (test_twin.py, test_twin_path.py): what the twin
learns of a server is kept per process and URL (station/api/capabilities.py), and a later test
may get the same port for a server of the other mode. Each test starts with nothing learned.
"""

from __future__ import annotations

import pytest

from station.api.capabilities import forget_all


@pytest.fixture(autouse=True)
def nothing_learned_of_any_server() -> None:
    forget_all()
