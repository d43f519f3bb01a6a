"""Applications (issue 11, item 1): an application token acting for a person must give a reason
like the helpdesk; the public demo client exists only on demo data; any other server makes a
client secret of its own, shows it once on its terminal, keeps only a hash, and can replace it.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

import station
from station.cli import main
from station.server.app import ServerSettings, create_app
from station.server.seed import HANDOUT

from .support import API, BOB, CLIENT_ID, CLIENT_SECRET, DAVE, DUPLEX, audit_rows, job_id, reason, snapshot, spool_body

ROOT = Path(station.__file__).resolve().parents[1]
REASON = "asked at the desk by phone"


async def app_headers(http: httpx.AsyncClient, client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET) -> dict:
    response = await http.post("/api/auth/token", json={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, "scope": "jobs users"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def changes(app) -> dict[str, tuple[str, str, Any]]:
    """What the issue's application did to other people's jobs, one request each."""
    parking, handout = job_id(app, "Parking permit.pdf"), job_id(app, HANDOUT)
    return {
        "patch": ("PATCH", f"{API}/jobs/{parking}", {"favorite": True}),
        "give away": ("PATCH", f"{API}/jobs", {"jobs": [{"id": parking, "ownerId": DAVE}]}),
        "cancel many": ("POST", f"{API}/jobs/delete", [handout]),
        "cancel one": ("DELETE", f"{API}/jobs/{parking}", None),
        "release": ("POST", f"{API}/jobs/process", {"jobIds": [parking], "owner": "bob", "projectId": 2}),
        "spool": ("POST", f"{API}/jobs/client", spool_body(owner="dave")),
        "sides": ("POST", f"{API}/jobs/{handout}/script", {DUPLEX: {"duplex": False, "simplex": True}}),
    }


async def send(http: httpx.AsyncClient, change: tuple[str, str, Any], headers: dict) -> httpx.Response:
    method, url, body = change
    if url.endswith("/script"):  # an answer carries the state the server gave when asked
        asked = await http.post(url, json={}, headers=headers)
        assert asked.status_code == 200, asked.text
        body = {**body, "state": asked.json()["state"]}
    return await http.request(method, url, json=body, headers=headers)


@pytest.mark.parametrize("what", ["patch", "give away", "cancel many", "cancel one", "release", "spool", "sides"])
async def test_an_application_acting_for_a_person_needs_a_reason(http, app, what):
    headers = await app_headers(http)
    before = snapshot(app)
    refused = await send(http, changes(app)[what], headers)
    assert refused.status_code == 400, refused.text
    assert reason(refused) == "reason_required"
    assert snapshot(app) == before  # nothing changed, nothing recorded
    done = await send(http, changes(app)[what], {**headers, "X-Station-Reason": REASON})
    assert done.status_code < 300, done.text
    entry = audit_rows(app)[-1]
    assert (entry["actor"], entry["reason"]) == (f"app:{CLIENT_ID}", REASON)
    assert entry["owner_id"] in (BOB, DAVE)


async def test_the_demo_client_exists_only_on_demo_data(clock):
    app = create_app(ServerSettings(clock=clock, seed="none"))
    try:
        secret = app.state.new_client_secret
        assert secret and secret != CLIENT_SECRET
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://station.test") as http:
            demo = await http.post("/api/auth/token", json={
                "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
            assert demo.status_code == 401 and reason(demo) == "invalid_client"
            own = await app_headers(http, "station", secret)
            assert (await http.get(f"{API}/users", headers=own)).status_code == 200
    finally:
        app.state.store.close()


async def test_the_servers_own_secret_is_made_once_and_kept_only_as_a_hash(tmp_path, clock):
    settings = ServerSettings(db=str(tmp_path / "station.db"), clock=clock, seed="none")
    first = create_app(settings)
    secret = first.state.new_client_secret
    first.state.store.close()
    raw = b"".join(path.read_bytes() for path in tmp_path.iterdir())
    assert secret and secret.encode() not in raw
    second = create_app(settings)
    try:
        assert second.state.new_client_secret is None  # not made again, so never shown again
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://s.test") as http:
            await app_headers(http, "station", secret)
    finally:
        second.state.store.close()


async def test_a_new_client_secret_by_command_replaces_the_old_one_at_once(tmp_path, clock, capsys):
    db = tmp_path / "station.db"
    running = create_app(ServerSettings(db=str(db), clock=clock, seed="none"))
    old = running.state.new_client_secret
    try:
        assert main(["serve", "--db", str(db), "--new-client-secret"]) == 0
        printed = capsys.readouterr().out
        assert 'client_id = "station"' in printed
        new = re.search(r'^client_secret = "([^"]+)"$', printed, re.MULTILINE).group(1)
        assert new != old
        # The server that was running all along takes the new one and refuses the old one.
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=running), base_url="http://s.test") as http:
            await app_headers(http, "station", new)
            stale = await http.post("/api/auth/token", json={
                "grant_type": "client_credentials", "client_id": "station", "client_secret": old})
            assert stale.status_code == 401 and reason(stale) == "invalid_client"
    finally:
        running.state.store.close()
    assert new.encode() not in b"".join(path.read_bytes() for path in tmp_path.iterdir())


@pytest.mark.parametrize(("args", "code", "words"), [
    (["serve", "--new-client-secret"], 2, "needs --db FILE"),
    (["serve", "--db", "{tmp}/none.db", "--new-client-secret"], 1, "there is no database"),
])
def test_a_new_client_secret_needs_a_database_file(tmp_path, capsys, args, code, words):
    assert main([arg.replace("{tmp}", str(tmp_path)) for arg in args]) == code
    assert words in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def serve(db: Path, stdout: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "station", "serve", "--port", "0", "--db", str(db)],
        stdout=stdout, stderr=subprocess.PIPE, text=True, env=env,
    )


def stop(proc: subprocess.Popen) -> str:
    """Stop a server with Ctrl-C; what it wrote from then on to a pipe, and to stderr (its log)."""
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return (out or "") + err


def output_until(proc: subprocess.Popen, marker: str) -> str:
    """Its output up to the line with `marker` (a line of its access log the test caused)."""
    text = ""
    while marker not in text:
        line = proc.stdout.readline()
        assert line, f"it ended before {marker!r}: {text!r}"
        text += line
    return text


def read_terminal(fd: int, until: re.Pattern[str], timeout: float = 20.0) -> str:
    """What a program wrote to its terminal, up to the first text matching `until` (bounded)."""
    text = ""
    deadline = time.monotonic() + timeout
    while not until.search(text):
        left = deadline - time.monotonic()
        assert left > 0, f"nothing like {until.pattern!r} on the terminal: {text!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            text += os.read(fd, 4096).decode(errors="replace")
    return text


async def test_station_serve_shows_its_new_secret_once_on_its_terminal_and_never_in_a_log(tmp_path):
    db = tmp_path / "station.db"
    terminal, tty = pty.openpty()
    proc = serve(db, tty)
    os.close(tty)
    try:
        shown = read_terminal(terminal, re.compile(r'client_secret = "([^"]+)"'))
        url = re.search(r"listening on (http://127\.0\.0\.1:\d+)", shown).group(1)
        secret = re.search(r'client_secret = "([^"]+)"', shown).group(1)
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            await app_headers(http, "station", secret)
    finally:
        log = stop(proc)
        os.close(terminal)
    assert secret not in log
    # Started again with its output going to a file (a log): nothing new to show, nothing shown.
    again = serve(db, subprocess.PIPE)
    output = ""
    try:
        output = again.stdout.readline()
        url = re.search(r"listening on (http://127\.0\.0\.1:\d+)", output).group(1)
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            await app_headers(http, "station", secret)  # the same secret still works
        output += output_until(again, "POST /api/auth/token")
    finally:
        output += stop(again)
    assert secret not in output and "client_secret" not in output


def test_a_new_secret_is_not_written_where_the_output_is_not_a_terminal(tmp_path):
    proc = serve(tmp_path / "station.db", subprocess.PIPE)
    output = ""
    try:
        output = proc.stdout.readline()
        url = re.search(r"listening on (http://127\.0\.0\.1:\d+)", output).group(1)
        assert httpx.get(f"{url}/api", timeout=10).status_code == 200
        output += output_until(proc, "GET /api ")
    finally:
        output += stop(proc)
    notice = output.splitlines()[1]
    assert "shown only on a terminal" in notice and "--new-client-secret" in notice
    assert "client_secret" not in output
