"""`station serve --api vendor` and `station demo --api vendor`: the embedded server speaks only
the vendor's API; without the flag it speaks the profile, as before."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

import station
from station import cli

ROOT = Path(station.__file__).resolve().parents[1]
LOGIN = {"grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
         "scope": "jobs", "login_info": {"type": 2, "pin": "1234"}}


def what_it_speaks(url: str) -> dict[str, Any]:
    """Logged in as alice: the status of a profile call, and the fields of the job list."""
    with httpx.Client(base_url=url, timeout=10) as http:
        token = http.post("/api/auth/token", json=LOGIN)
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        me = http.get("/api/v3/users/me", headers=headers)
        listed = http.get("/api/v3/jobs", headers=headers).json()
    return {"me": me.status_code, "me_data": me.json().get("data"), "list": set(listed),
            "job": set(listed["jobs"][0])}


@pytest.mark.parametrize("api", [None, "profile", "vendor"])
def test_station_serve_speaks_the_api_it_is_told(api):
    flags = ["--api", api] if api else []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "station", "serve", "--port", "0", "--seed", "demo", *flags],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        line = proc.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        assert match, line
        spoken = what_it_speaks(match.group(1))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0 and "Traceback" not in err
    if api == "vendor":
        assert (spoken["me"], spoken["me_data"]) == (404, [])
        assert spoken["list"] == {"jobs", "count"}
        assert "state" not in spoken["job"]
    else:
        assert spoken["me"] == 200
        assert "profileQuery" in spoken["list"] and "state" in spoken["job"]


@pytest.mark.parametrize("api", ["profile", "vendor"])
def test_station_demo_passes_the_api_to_its_embedded_server(monkeypatch, tmp_path, api):
    """The demo's own server (a real one, on a free port) speaks what `--api` says; the app
    that would open on it is replaced by a look at that server."""
    for name in list(os.environ):
        if name.startswith("STATION_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    seen: dict[str, Any] = {}

    def look(settings, *, server: str, **options: Any) -> int:
        seen.update(what_it_speaks(server), demo=options.get("demo"))
        return 0

    monkeypatch.setattr(cli, "_run_station", look)
    assert cli.main(["demo", "--api", api]) == 0
    assert seen["demo"] is not None and seen["demo"].logins and seen["demo"].reset is not None
    assert seen["me"] == (404 if api == "vendor" else 200)


def test_an_unknown_api_is_refused_in_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "station", "serve", "--api", "v2"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    assert "invalid choice: 'v2'" in result.stderr and "Traceback" not in result.stderr
