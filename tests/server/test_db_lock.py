"""Database work runs off the event loop (issue 11 item 7).

The routes were `async def` over synchronous SQLite: while another process held the write lock,
`GET /api` (no database) took 9.6 s and a login 13.7 s. Here another process holds SQLite's write
lock on the server's file (a real uvicorn); a login waits for it, and meanwhile `GET /api` and a
read of the jobs (WAL readers do not wait for a writer) are answered again and again; once the
other process lets go, the login gets in.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from station.server.app import ServerSettings
from station.server.run import EmbeddedServer

from .support import API

LOGIN = {"grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
         "scope": "jobs", "login_info": {"type": 2, "pin": "1234"}}
HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()  # hold the write lock until the test closes stdin
conn.execute("ROLLBACK")
"""


@pytest.fixture
def served(tmp_path) -> Iterator[EmbeddedServer]:
    with EmbeddedServer(ServerSettings(db=str(tmp_path / "station.db"))) as server:
        yield server


@contextmanager
def write_lock_held_elsewhere(db: str) -> Iterator[subprocess.Popen]:
    """Another process holding the write lock of `db` until its stdin is closed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, db], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        if proc.poll() is None:
            proc.stdin.close()
            proc.wait(timeout=10)


async def test_requests_without_the_write_lock_are_answered_while_a_login_waits(served):
    async with httpx.AsyncClient(base_url=served.base_url, timeout=30) as http:
        first = await http.post("/api/auth/token", json=LOGIN)
        assert first.status_code == 200, first.text
        headers = {"Authorization": f"Bearer {first.json()['access_token']}"}
        with write_lock_held_elsewhere(served.settings.db) as other:
            login = asyncio.create_task(http.post("/api/auth/token", json=LOGIN))
            answered = 0
            started = time.monotonic()
            while time.monotonic() - started < 1.5:  # the login is well inside SQLite's wait by then
                tick = time.monotonic()
                assert (await http.get("/api")).status_code == 200
                assert (await http.get(f"{API}/jobs", headers=headers)).status_code == 200
                assert time.monotonic() - tick < 2, "a request that writes nothing waited for the lock"
                answered += 1
                assert not login.done(), login.result().text  # the login still waits for the lock
            assert answered >= 3
            other.stdin.close()  # the other process lets go
            other.wait(timeout=10)
        response = await asyncio.wait_for(login, timeout=15)
        assert response.status_code == 200, response.text
