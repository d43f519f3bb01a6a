"""`station jobs ...` against a real `station serve` on 127.0.0.1, as a script would use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from tests_support import free_port


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    env.update(extra)
    return env


@pytest.fixture
def server(tmp_path):
    """A real `station serve --seed demo` process with its data in a file."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "station", "serve", "--port", str(port), "--seed", "demo",
         "--db", str(tmp_path / "station.db"), "--print-speed", "6000"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=clean_env(),
    )
    line = process.stdout.readline()
    assert "listening on" in line, line
    url = f"http://127.0.0.1:{port}"
    assert url in line
    yield url
    process.terminate()
    process.wait(timeout=10)


def station(server, *args, **env):
    return subprocess.run(
        [sys.executable, "-m", "station", "jobs", *args, "--server", server],
        capture_output=True, text=True, timeout=60, env=clean_env(**env),
    )


def listed(server, pin="1234"):
    result = station(server, "list", "--json", STATION_PIN=pin)
    assert result.returncode == 0, result.stderr
    return {job["name"]: job for job in json.loads(result.stdout)["jobs"]}


def test_list_shows_the_persons_pending_jobs(server):
    result = station(server, "list", "--pin", "1234")
    assert result.returncode == 0, result.stderr
    assert "Board minutes.pdf" in result.stdout and "1-sided" in result.stdout
    jobs = listed(server)
    assert len(jobs) >= 6
    assert {job["state"] for job in jobs.values()} <= {"ready", "paused"}
    assert all(job["owner"] == "alice" for job in jobs.values())


def test_wrong_pin_exits_non_zero_with_the_reason(server):
    result = station(server, "list", "--pin", "0000")
    assert result.returncode == 1
    assert result.stderr.startswith("station jobs: invalid_login:")
    assert "0000" not in result.stderr + result.stdout


def test_missing_login_is_a_usage_error(server):
    result = station(server, "list")
    assert result.returncode == 2 and "--pin" in result.stderr


def test_duplex_lowers_the_cost_on_the_server(server):
    before = listed(server)["Board minutes.pdf"]
    assert before["duplex"] is False
    result = station(server, "duplex", str(before["id"]), "--json", STATION_PIN="1234")
    assert result.returncode == 0, result.stderr
    after = listed(server)["Board minutes.pdf"]
    assert after["duplex"] is True
    assert Decimal(str(after["cost"])) < Decimal(str(before["cost"]))
    station(server, "duplex", str(before["id"]), "--off", STATION_PIN="1234")
    assert listed(server)["Board minutes.pdf"]["cost"] == before["cost"]


def test_project_and_favorite_reach_the_server(server):
    job = listed(server)["Board minutes.pdf"]
    assert station(server, "project", str(job["id"]), "--project", "3", STATION_PIN="1234").returncode == 0
    assert station(server, "favorite", str(job["id"]), STATION_PIN="1234").returncode == 0
    after = listed(server)["Board minutes.pdf"]
    assert after["projectId"] == 3 and after["favorite"] is True


def test_release_charges_the_account_and_reports_the_balance(server):
    job = listed(server)["Board minutes.pdf"]
    result = station(server, "release", str(job["id"]), "--json", STATION_PIN="1234")
    assert result.returncode == 0, result.stderr
    released = json.loads(result.stdout)
    assert Decimal(released["charged"]) == Decimal(str(job["cost"]))
    assert Decimal(released["balance"]) == Decimal("12.50") - Decimal(str(job["cost"]))
    assert "Board minutes.pdf" not in listed(server)


def test_release_refused_with_the_servers_reason_changes_nothing(server):
    bobs = listed(server, pin="5678")
    ids = [str(job["id"]) for job in bobs.values() if job["state"] == "ready"]
    result = station(server, "release", *ids, "--project", "1", STATION_PIN="5678")
    assert result.returncode == 1
    assert "insufficient_credit" in result.stderr
    assert listed(server, pin="5678") == bobs


def test_cancel_takes_the_job_off_the_list(server):
    job = listed(server)["Expense claim.xlsx"]
    result = station(server, "cancel", str(job["id"]), STATION_PIN="1234")
    assert result.returncode == 0, result.stderr
    assert "Expense claim.xlsx" not in listed(server)


def test_spool_sends_a_job_that_then_waits_in_the_list(server):
    result = station(server, "spool", "--name", "Boarding pass.pdf", "--pages", "2", "--json",
                     STATION_PIN="9012")
    assert result.returncode == 0, result.stderr
    jobs = listed(server, pin="9012")
    assert list(jobs) == ["Boarding pass.pdf"]
    assert jobs["Boarding pass.pdf"]["pageCount"] == 2


def test_helpdesk_acts_for_a_user_with_a_reason(server):
    job = listed(server)["Board minutes.pdf"]
    result = station(server, "favorite", str(job["id"]), "--owner", "alice", "--reason", "asked at the desk",
                     STATION_USER="carol", STATION_PASSWORD="carol-pw")
    assert result.returncode == 0, result.stderr
    assert listed(server)["Board minutes.pdf"]["favorite"] is True
    refused = station(server, "favorite", str(job["id"]), "--owner", "alice",
                      STATION_USER="carol", STATION_PASSWORD="carol-pw")
    assert refused.returncode == 1 and "reason_required" in refused.stderr
