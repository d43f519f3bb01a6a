"""`station doctor`: against the real server in-process (in the profile and in vendor mode), and as
a command against a real `station serve` on 127.0.0.1."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import asdict

import httpx
import pytest
from tests_support import free_port
from vendor_front import Front

from station import doctor
from station.api.client import StationClient

ALICE_SECRETS = ["1234", "Alice", "alice", "Martin", "alice@example.org", "12.5", "Personal credit", "Board minutes"]


class Tap(httpx.AsyncBaseTransport):
    """The server behind a wire that keeps every token it hands out (to look for them in the output)."""

    def __init__(self, app) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.tokens: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path == "/api/auth/token":
            body = await response.aread()
            if response.status_code == 200:
                self.tokens += [t for t in (json.loads(body).get(k) for k in ("access_token", "refresh_token")) if t]
            return httpx.Response(response.status_code, headers=response.headers, content=body)
        return response


def login(pin: str | None = "1234", **parts: str | None) -> argparse.Namespace:
    return argparse.Namespace(pin=pin, card=parts.get("card"), user=parts.get("user"), password=parts.get("password"))


async def examine(front, printer: str | None = None, pin: str = "1234") -> tuple[doctor.Report, Tap]:
    tap = Tap(front)
    async with StationClient("http://station.test", transport=tap) as client:
        report = await doctor.examine(client, login(pin), printer)
    return report, tap


def rows(report: doctor.Report) -> dict[str, doctor.Row]:
    return {row.call: row for row in report.rows}


def assert_nothing_personal(text: str, tokens: list[str]) -> None:
    assert tokens, "the positive control: tokens were handed out"
    for secret in [*ALICE_SECRETS, *tokens]:
        assert secret not in text, secret


async def test_the_profile_server_answers_every_call(app):
    report, tap = await examine(app)
    assert report.ok and report.reason == "A person can log in, list and release here."
    found = rows(report)
    token = found["POST /api/auth/token"]
    assert token.fields == ["access_token", "token_type", "expires_in", "scope", "refresh_token"]
    listed = set(found["GET /v3/jobs?limit&start"].fields)
    assert {"jobs", "count", "profileQuery", "jobs[].id", "jobs[].pageCount"} <= listed
    assert found["GET /v3/users/me"].present and found["GET /v3/projects"].present and found["GET /v3/audit"].present
    assert found["GET /v3/jobs (profileQuery)"].present
    assert found["POST /v3/jobs/process"].status == "404"  # a job nobody has: refused, nothing released
    assert report.scopes == ["jobs", "offline.access"] and report.expires_in and report.refresh_token
    text = doctor.render(report) + json.dumps(asdict(report))
    assert_nothing_personal(text, tap.tokens)
    with app.state.store.read() as db:
        assert db.scalar("SELECT COUNT(*) FROM audit") == 0  # nothing was changed


async def test_a_vendor_only_server_is_ready_and_says_what_station_does_without_the_rest(vendor_app):
    report, tap = await examine(vendor_app, printer="1")
    assert report.ok
    found = rows(report)
    assert not found["GET /v3/users/me"].present and "no balance shown" in found["GET /v3/users/me"].without
    assert not found["GET /v3/projects"].present and found["GET /v3/projects"].status == "404"
    assert found["GET /v3/printers/{printer}/printAll"].present
    assert found["GET /v3/printers/{printer}/printAll"].fields == ["jobs", "jobs[].id", "jobs[].projectId", "counters",
                                                                    "moreJobs", "projectSelected"]
    assert found["POST /v3/jobs/{id}/script (ask)"].present is False
    assert "2-sided as a release option" in found["POST /v3/jobs/{id}/script (ask)"].without
    assert found["POST /api/auth/revoke"].present is False
    text = doctor.render(report)
    assert "no project can be chosen" in text and "filters, sorts and pages the list in the station" in text
    assert_nothing_personal(text + json.dumps(asdict(report)), tap.tokens)


async def test_an_unknown_printer_and_a_server_that_cannot_release_are_not_ready(app, vendor_app):
    report, _ = await examine(vendor_app, printer="99")
    assert not report.ok and "printer 99" in report.reason
    front = Front(app)
    front.answer("POST", "/v3/jobs/process", 405, {"code": 405, "message": "no", "data": []})
    report, _ = await examine(front)
    assert not report.ok and "has no POST /v3/jobs/process" in report.reason


async def test_a_wrong_login_is_the_reason(app):
    report, _ = await examine(app, pin="0000")
    assert not report.ok and report.reason.startswith("Cannot log in")
    assert "0000" not in doctor.render(report)


# --- the command --------------------------------------------------------------------------------------


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "station", "serve", "--port", str(port), "--seed", "demo",
         "--db", str(tmp_path / "station.db")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    assert "listening on" in process.stdout.readline()
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def run_doctor(server: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    return subprocess.run([sys.executable, "-m", "station", "doctor", *args, *(["--server", server] if server else [])],
                          capture_output=True, text=True, timeout=60, env={**clean, **env})


def test_the_command_exits_0_when_ready_and_prints_no_values(server):
    result = run_doctor(server, STATION_PIN="1234")
    assert result.returncode == 0, result.stderr
    assert "OK: A person can log in, list and release here." in result.stdout
    assert "GET /v3/users/me" in result.stdout and "fields: " in result.stdout
    for secret in ALICE_SECRETS:
        assert secret not in result.stdout + result.stderr, secret
    as_json = run_doctor(server, "--json", STATION_PIN="1234")
    report = json.loads(as_json.stdout)
    assert as_json.returncode == 0 and report["ok"] and report["tls"] == "none: plain http"


def test_the_command_exits_1_with_the_reason_and_2_for_wrong_use(server):
    wrong = run_doctor(server, "--pin", "0000")
    assert wrong.returncode == 1 and "NOT READY: Cannot log in" in wrong.stdout
    assert run_doctor(server).returncode == 2  # no login
    assert run_doctor("", STATION_PIN="1234").returncode == 2  # no server
