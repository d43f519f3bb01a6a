"""`station jobs ...` against the real embedded server on 127.0.0.1, as a script would use it.

The server is uvicorn in a thread of this process (`EmbeddedServer`, at the server's real password
cost), on a fresh database per test; the twin is `station.cli.main` run in this process with its
own environment, its exit status, stdout and stderr read as a shell would (as in test_twin_path.py).
A Python that starts for each command cost about half a second of CPU: this file started 120 of
them. What only a process shows stays a process: `station serve` and `station jobs` end to end
(`test_a_script_runs_station_serve_and_station_jobs`), a reader that went away (SIGPIPE), `--help`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from station.server.app import ServerSettings
from station.server.run import EmbeddedServer
from tests_support import free_port, station_in_process


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    env.update(extra)
    return env


@pytest.fixture
def server(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The embedded server with the demo data in a file, as `station serve --seed demo --print-speed
    6000` runs it; its URL."""
    settings = ServerSettings(db=str(tmp_path / "station.db"), seed="demo", print_speed=6000)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no settings file of this machine's
    with EmbeddedServer(settings) as served:  # its store is closed when it stops
        yield served.base_url


def station(server: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`station jobs ARGS --server URL` with these STATION_* variables (and no others)."""
    return station_in_process("jobs", *args, "--server", server, env=clean_env(**env))


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


def test_a_script_runs_station_serve_and_station_jobs(tmp_path):
    """Both as processes, as a script runs them: `station serve` says where it listens, `station
    jobs` lists, and a wrong PIN is a non-zero status with the reason on stderr."""
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "station", "serve", "--port", str(port), "--seed", "demo",
         "--db", str(tmp_path / "station.db"), "--print-speed", "6000"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=clean_env(),
    )
    try:
        line = serve.stdout.readline()
        assert "listening on" in line, line
        url = f"http://127.0.0.1:{port}"
        assert url in line

        def jobs(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-m", "station", "jobs", *args, "--server", url],
                                  capture_output=True, text=True, timeout=60, env=clean_env(**env))

        listed = jobs("list", "--json", STATION_PIN="1234")
        assert listed.returncode == 0, listed.stderr
        assert "Board minutes.pdf" in {job["name"] for job in json.loads(listed.stdout)["jobs"]}
        refused = jobs("list", "--pin", "0000")
        assert refused.returncode == 1
        assert refused.stderr.startswith("station jobs: invalid_login:")
        assert "0000" not in refused.stderr + refused.stdout
    finally:
        serve.terminate()
        serve.wait(timeout=10)


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
    refused = station(server, "favorite", str(job["id"]), "--off", "--owner", "alice",
                      STATION_USER="carol", STATION_PASSWORD="carol-pw")
    assert refused.returncode == 2  # wrong use, said before anything is sent
    assert "--reason" in refused.stderr and "X-Station-Reason" not in refused.stderr
    assert listed(server)["Board minutes.pdf"]["favorite"] is True


# --- the rough edges a newcomer hit (issue 14) ------------------------------------------------------


def on_server(server, method, path, pin="1234", **kwargs):
    """A raw call as alice (or the PIN's owner): what the server holds, not what the twin says."""
    import httpx

    with httpx.Client(base_url=server + "/api", timeout=30) as http:
        token = http.post("/auth/token", json={
            "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
            "scope": "jobs", "login_info": {"type": 2, "pin": pin}})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        answer = http.request(method, path, headers=headers, **kwargs)
        assert answer.status_code < 300, answer.text
        return answer.json()


@pytest.mark.parametrize("json_flag", [["--json"], []])
def test_output_into_a_closed_pipe_ends_quietly_as_a_pipelines_writer_does(server, json_flag):
    """`station jobs list --json | head`: the reader went away before the list came."""
    process = subprocess.Popen(
        [sys.executable, "-m", "station", "jobs", "list", *json_flag, "--server", server],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(STATION_PIN="1234"),
    )
    process.stdout.close()  # the reader is gone before anything was written
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141  # 128 + SIGPIPE, as a shell reports `yes | head`
    assert errors == ""
    kept = station(server, "list", *json_flag, STATION_PIN="1234")  # the positive control: a reader that reads
    assert kept.returncode == 0 and "Board minutes.pdf" in kept.stdout


def test_list_with_ids_shows_those_jobs_and_says_which_are_unknown(server):
    jobs = listed(server)
    board, flyer = jobs["Board minutes.pdf"]["id"], jobs["Flyer.pdf"]["id"]
    result = station(server, "list", str(flyer), "--json", STATION_PIN="1234")
    assert result.returncode == 0, result.stderr
    assert [job["id"] for job in json.loads(result.stdout)["jobs"]] == [flyer]

    assert station(server, "release", str(board), STATION_PIN="1234").returncode == 0
    bobs = next(iter(listed(server, pin="5678").values()))["id"]
    result = station(server, "list", str(board), "999999", str(bobs), STATION_PIN="1234")
    assert result.returncode == 1  # a job that is not there is not a quiet success
    lines = result.stdout.splitlines()
    assert "Board minutes.pdf" in lines[1] and len(lines) == 4  # no longer pending, still shown by its id
    assert lines[-1] == f"No job 999999, {bobs} for alice: no such job, or someone else's."
    said = json.loads(station(server, "list", "999999", "--json", STATION_PIN="1234").stdout)
    assert said["jobs"] == [] and said["unknown"] == [999999]


def test_project_by_id_code_or_name_and_an_ambiguous_one_refused_in_words(server):
    job = str(listed(server)["Board minutes.pdf"]["id"])
    projects = on_server(server, "GET", "/v3/projects")["projects"]
    annual = next(project for project in projects if project["name"] == "Annual report")
    named = f"{annual['code']} ({annual['name']})"
    for given, said in ((annual["code"], named), (annual["name"].upper(), named), (str(annual["id"]), annual["id"])):
        removed = station(server, "project", job, "--project", "0", STATION_PIN="1234")
        assert removed.stdout.splitlines()[-1] == f"Now charged to no project: {job}"
        assert listed(server)["Board minutes.pdf"]["projectId"] == 0
        result = station(server, "project", job, "--project", given, STATION_PIN="1234")
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == f"Now charged to project {said}: {job}"
        assert listed(server)["Board minutes.pdf"]["projectId"] == annual["id"]

    ambiguous = [p for p in projects if "a" in p["name"].lower() or "a" in p["code"].lower()]
    assert len(ambiguous) > 1
    refused = station(server, "project", job, "--project", "a", STATION_PIN="1234")
    assert refused.returncode == 2
    assert f"--project 'a' could be {len(ambiguous)} projects: " in refused.stderr
    assert all(project["name"] in refused.stderr for project in ambiguous)
    unknown = station(server, "release", job, "--project", "no such thing", STATION_PIN="1234")
    assert unknown.returncode == 2 and "see `station jobs projects`" in unknown.stderr
    assert listed(server)["Board minutes.pdf"]["projectId"] == annual["id"]  # neither changed anything


def test_projects_and_accounts_list_what_the_person_may_charge(server):
    projects = on_server(server, "GET", "/v3/projects")["projects"]
    me = on_server(server, "GET", "/v3/users/me")
    shown = station(server, "projects", STATION_PIN="1234")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0].split() == ["id", "code", "name"]
    rows = [line.split(None, 2) for line in shown.stdout.splitlines()[1:-1]]
    assert rows == [[str(project["id"]), project["code"], project["name"]] for project in projects]
    said = json.loads(station(server, "projects", "--json", STATION_PIN="1234").stdout)
    assert said["projects"] == projects and said["owner"] == "alice"

    shown = station(server, "accounts", STATION_PIN="1234")
    assert shown.returncode == 0, shown.stderr
    credit = next(account for account in me["accounts"] if account["balance"] is not None)
    assert f"{credit['balance']:.2f} {credit['currency']}  yes" in shown.stdout  # the default, with its currency
    said = json.loads(station(server, "accounts", "--json", STATION_PIN="1234").stdout)
    assert [account["id"] for account in said["accounts"]] == [account["id"] for account in me["accounts"]]
    assert said["default"] == me["defaultAccount"]


def test_favorite_and_cancel_say_what_they_did(server):
    jobs = listed(server)
    board, claim = str(jobs["Board minutes.pdf"]["id"]), str(jobs["Expense claim.xlsx"]["id"])
    marked = station(server, "favorite", board, STATION_PIN="1234")
    assert marked.returncode == 0 and marked.stdout.splitlines()[-1] == f"Now a favourite: {board}"
    unmarked = station(server, "favorite", board, "--off", STATION_PIN="1234")
    assert unmarked.returncode == 0 and unmarked.stdout.splitlines()[-1] == f"No longer a favourite: {board}"
    assert listed(server)["Board minutes.pdf"]["favorite"] is False

    first = station(server, "cancel", claim, STATION_PIN="1234")
    assert first.returncode == 0 and first.stdout.strip() == f"Canceled 1 job: {claim}"
    again = station(server, "cancel", claim, STATION_PIN="1234")
    assert again.returncode == 0 and again.stdout.strip() == f"Already canceled, nothing sent: {claim}"
    cancels = [entry for entry in on_server(server, "GET", "/v3/audit")["entries"] if entry["action"] == "cancel"]
    assert [entry["jobIds"] for entry in cancels] == [[int(claim)]]  # sent once


def test_a_helpdesk_change_without_a_reason_is_wrong_use_said_in_words(server):
    job = str(listed(server)["Board minutes.pdf"]["id"])
    carol = {"STATION_USER": "carol", "STATION_PASSWORD": "carol-pw"}
    for owner in ("alice", "carol"):  # for carol herself the server is the one that asks why
        for reason in ([], ["--reason", "  "]):
            refused = station(server, "favorite", job, "--owner", owner, *reason, **carol)
            assert refused.returncode == 2, refused.stderr
            assert refused.stderr.strip() == (
                "station jobs: that is another person's job: say why you change it with --reason TEXT "
                "(the audit keeps it)"
            )
    assert listed(server)["Board minutes.pdf"]["favorite"] is False
    given = station(server, "favorite", job, "--owner", "carol", "--reason", "asked at the desk", **carol)
    assert given.returncode == 0, given.stderr  # the reason goes with it when the server asks
    assert listed(server)["Board minutes.pdf"]["favorite"] is True


def test_the_servers_validation_is_said_with_the_twins_flags(server):
    for flags, said in (
        (["--pages", "100000000"], "station jobs: validation: --pages must be at most 100000."),
        (["--copies", "100000000"], "station jobs: validation: --copies must be at most 10000."),
        (["--pages", "2", "--colour-pages", "3"],
         "station jobs: validation: --colour-pages: there cannot be more colour pages than pages."),
    ):
        result = station(server, "spool", "--name", "Poster.pdf", *flags, STATION_PIN="9012")
        assert (result.returncode, result.stderr.strip()) == (1, said)
    wrong = station(server, "spool", "--name", "Poster.pdf", "--pages", "0", STATION_PIN="9012")
    assert wrong.returncode == 2 and "--pages: must be at least 1" in wrong.stderr
    assert listed(server, pin="9012") == {}  # nothing was spooled


def test_money_carries_its_currency(server):
    me = on_server(server, "GET", "/v3/users/me")
    credit = me["accounts"][0]
    currency = credit["currency"]
    shown = station(server, "list", STATION_PIN="1234").stdout.splitlines()
    assert f"cost {currency}" in shown[0] and shown[-1].endswith(f" {currency}")
    job = listed(server)["Board minutes.pdf"]
    released = station(server, "release", str(job["id"]), STATION_PIN="1234")
    cost = Decimal(str(job["cost"]))
    balance_after = Decimal(str(credit["balance"])) - cost
    assert f"charged {cost:.2f} {currency} · balance {balance_after:.2f} {currency}" in released.stdout
    assert json.loads(station(server, "list", "--json", STATION_PIN="1234").stdout)["currency"] == currency


@pytest.mark.parametrize("command", ["jobs", "doctor"])
def test_help_lists_only_the_options_the_command_uses(command):
    helped = subprocess.run([sys.executable, "-m", "station", command, "--help"], capture_output=True, text=True,
                            timeout=60, env=clean_env(), check=False)
    assert helped.returncode == 0
    for used in ("--server", "--printer", "--timeout", "--pin", "--json"):
        assert used in helped.stdout
    for screen_only in ("--kiosk", "--theme", "--idle-timeout", "--refresh-interval", "--helpdesk", "--mask-job-names"):
        assert screen_only not in helped.stdout
    station_help = subprocess.run([sys.executable, "-m", "station", "--help"], capture_output=True, text=True,
                                  timeout=60, env=clean_env(), check=False)
    assert "--kiosk" in station_help.stdout and "--theme" in station_help.stdout  # the app still takes them
