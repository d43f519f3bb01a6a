"""`station serve` as a process: one line with the URL, Ctrl-C ends it cleanly, data kept."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

import station
from station.server.run import EmbeddedServer

ROOT = Path(station.__file__).resolve().parents[1]
SERVE = "import sys; from station.server.run import serve; sys.exit(serve(host='127.0.0.1', port=0, db=sys.argv[1]))"
LOGIN = {"grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
         "scope": "jobs", "login_info": {"type": 2, "pin": "1234"}}


def start(db: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env,
    )
    line = proc.stdout.readline()
    match = re.fullmatch(r"station server listening on (http://127\.0\.0\.1:\d+) \(API at \1/api\)\n", line)
    assert match, line
    return proc, match.group(1)


def stop(proc: subprocess.Popen, sig: int = signal.SIGINT) -> tuple[int, str]:
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return proc.returncode, err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_cleanly_and_keeps_its_data(tmp_path, sig):
    db = tmp_path / "served.db"
    proc, url = start(db)
    try:
        with httpx.Client(base_url=url, timeout=10) as http:
            token = http.post("/api/auth/token", json=LOGIN).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            released = http.post("/api/v3/jobs/process", json={"jobIds": [101]}, headers=headers)
            assert released.status_code == 202
            assert http.get("/nowhere").json()["data"][0]["reason"] == "not_found"
    finally:
        code, err = stop(proc, sig)
    assert code == 0
    assert "Traceback" not in err
    assert token not in err and "pin" not in err
    proc, url = start(db)
    try:
        with httpx.Client(base_url=url, timeout=10) as http:
            token = http.post("/api/auth/token", json=LOGIN).json()["access_token"]
            me = http.get("/api/v3/users/me", headers={"Authorization": f"Bearer {token}"}).json()
            assert me["accounts"][0]["balance"] == 12.26
    finally:
        stop(proc)


def test_serve_refuses_a_port_in_use(tmp_path, capsys):
    from station.server.run import serve

    with EmbeddedServer() as busy:
        code = serve(host="127.0.0.1", port=busy.port, db=str(tmp_path / "x.db"))
    assert code == 1
    assert "cannot listen" in capsys.readouterr().err


def test_embedded_server_start_and_stop():
    server = EmbeddedServer()
    server.start()
    try:
        assert server.running
        assert httpx.get(server.base_url + "/api/openapi.json").status_code == 200
    finally:
        server.stop()
    assert not server.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.base_url + "/api", timeout=2)
