"""Forwarded headers (issue 11, item 2): a client cannot name its own address.

uvicorn believes `X-Forwarded-For` from 127.0.0.1 by default; behind a local proxy (or from
any process on the machine) each wrong PIN could then come "from" a new address and never be
slowed down. These tests run a real uvicorn on 127.0.0.1, in a thread and as `station serve`.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

import station
from station.cli import main
from station.server.app import ServerSettings
from station.server.run import EmbeddedServer

from .support import CLIENT_ID, CLIENT_SECRET

ROOT = Path(station.__file__).resolve().parents[1]


def login(pin: str) -> dict:
    return {"grant_type": "login_info", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "scope": "jobs", "login_info": {"type": 2, "pin": pin}}


def spoofed(n: int) -> dict[str, str]:
    """Headers naming a new client address at each request, in both forms."""
    return {"X-Forwarded-For": f"198.51.100.{n}", "Forwarded": f"for=198.51.100.{n};proto=https"}


async def six_wrong_pins_then_the_right_one(url: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        for n in range(6):
            wrong = await http.post("/api/auth/token", json=login("0000"), headers=spoofed(n))
            assert wrong.status_code == 401, wrong.text
        return await http.post("/api/auth/token", json=login("1234"), headers=spoofed(99))


async def test_forwarded_headers_from_127_0_0_1_are_ignored_by_default(clock):
    with EmbeddedServer(ServerSettings(clock=clock)) as server:
        answer = await six_wrong_pins_then_the_right_one(server.base_url)
    assert answer.status_code == 429, answer.text  # all seven came from 127.0.0.1
    assert answer.json()["data"][0]["reason"] == "locked_out"


async def test_a_trusted_proxy_names_the_client_and_only_x_forwarded_for_counts(clock):
    with EmbeddedServer(ServerSettings(clock=clock), trusted_proxies=["127.0.0.1"]) as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as http:
            kiosk = {"X-Forwarded-For": "10.30.0.1"}
            for _ in range(6):
                assert (await http.post("/api/auth/token", json=login("0000"), headers=kiosk)).status_code == 401
            assert (await http.post("/api/auth/token", json=login("1234"), headers=kiosk)).status_code == 429
            # Another client behind the same proxy was never slowed down.
            other = {"X-Forwarded-For": "10.30.0.2"}
            assert (await http.post("/api/auth/token", json=login("1234"), headers=other)).status_code == 200
            # The client cannot escape: `Forwarded` is not read, and the proxy's own last entry wins.
            for headers in ({**kiosk, "Forwarded": "for=10.30.0.3"}, {"X-Forwarded-For": "10.30.0.4, 10.30.0.1"}):
                assert (await http.post("/api/auth/token", json=login("1234"), headers=headers)).status_code == 429


@contextmanager
def station_serve(folder: Path, *options: str) -> Iterator[str]:
    """`station serve --seed demo` as a process on a free port, data in `folder`; yields its URL."""
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "station", "serve", "--port", "0", "--seed", "demo",
         "--db", str(folder / "served.db"), *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        line = proc.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        assert match, line
        yield match.group(1)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


async def test_station_serve_ignores_forwarded_headers_unless_told_whom_to_trust(tmp_path):
    with station_serve(tmp_path / "a") as url:
        answer = await six_wrong_pins_then_the_right_one(url)
        assert answer.status_code == 429, answer.text
    with station_serve(tmp_path / "b", "--trusted-proxy", "127.0.0.1") as url:
        answer = await six_wrong_pins_then_the_right_one(url)
        assert answer.status_code == 200, answer.text  # the control: here each came from its own address


@pytest.mark.parametrize("value", ["proxy.example.org", "*", "10.0.0.0/33"])
def test_a_trusted_proxy_must_be_an_address(value, capsys):
    assert main(["serve", "--trusted-proxy", value]) == 2
    assert "is not an IP address or network" in capsys.readouterr().err
