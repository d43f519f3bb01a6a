"""Every refusal `station jobs` prints is in a person's words: its flags, never the wire's fields
(issue 14: "send the reason in the X-Station-Reason header", "'jobInfo.pageCount' input should
be ...", "Field 'login_info.pwd' is required for login type 3.").

The twin runs in this process (`station.cli.main`) against the real embedded server on 127.0.0.1,
in both its modes: station's profile (the refusal names its field in `data`) and the vendor's API
(`data: []`, the field only in the message).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from station import cli
from station.api.errors import error_from_response
from station.server.app import ServerSettings
from station.server.keys import ScryptCost
from station.server.run import EmbeddedServer
from station.twin.words import refusal

WIRE_WORDS = ("jobInfo", "X-Station-", "login_info", "jobIds", "jobs[", "projectId", "ownerId", "releaseOptions",
              "'search'", "'users'", "username", "Field '", "input should", "string should")
LONG = "x" * 1001
PIN = {"STATION_PIN": "1234"}
HELPDESK = {"STATION_USER": "carol", "STATION_PASSWORD": "carol-pw"}


@pytest.fixture(params=["profile", "vendor"])
def served(request: pytest.FixtureRequest, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    settings = ServerSettings(db=str(tmp_path / "station.db"), seed="demo", print_speed=6000, api=request.param,
                              password_cost=ScryptCost(n=2**10, r=8, p=1))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no settings file of this machine's
    with EmbeddedServer(settings) as server:  # its store is closed when it stops
        yield server.base_url


def twin(url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str,
         **env: str) -> tuple[int, str]:
    """`station jobs ARGS --server URL`: its exit status and what it said on stderr, without its name."""
    with monkeypatch.context() as environment:
        for name in ("STATION_PIN", "STATION_CARD", "STATION_USER", "STATION_PASSWORD", "STATION_PRINTER"):
            environment.delenv(name, raising=False)
        for name, value in env.items():
            environment.setenv(name, value)
        status = cli.main(["jobs", *args, "--server", url])
    said = capsys.readouterr().err.strip()
    assert said.startswith("station jobs: "), said
    return status, said.removeprefix("station jobs: ")


CASES = [  # (args, login, exit status, the sentence; the profile puts its reason word in front)
    (["list", "--user", "alice", "--password", " "], {}, 2,
     "--password (or STATION_PASSWORD) is empty: give the password"),
    (["list", "--pin", "  "], {}, 2, "--pin (or STATION_PIN) is empty: give the PIN"),
    (["list", "--card", "04A1B2C3", "--pin", " "], {}, 2, "--pin (or STATION_PIN) is empty: give the PIN"),
    (["list", "--user", "alice"], {}, 2, "--user needs --password (or STATION_PASSWORD)"),
    (["release", "2147483648"], PIN, 1, "the job ids must be at most 2147483647."),
    (["favorite", "2147483648"], PIN, 1, "the job ids must be at most 2147483647."),
    (["project", "101", "--project", "2147483648"], PIN, 1, "--project must be at most 2147483647."),
    (["release", "101", "--account", "x" * 201], PIN, 1, "--account must be at most 200 characters long."),
    (["list", "--owner", "bob"], PIN, 1, "This login may not act for other people: --owner is for helpdesk staff."),
]


@pytest.mark.parametrize(("args", "login", "status", "sentence"), CASES)
def test_a_refusal_is_said_with_the_twins_flags(served, monkeypatch, capsys, args, login, status, sentence):
    said_status, said = twin(served, monkeypatch, capsys, *args, **login)
    assert said_status == status
    assert said == sentence or said.endswith(f": {sentence}")  # after the profile's reason word
    assert not [word for word in WIRE_WORDS if word in said], said


def test_a_name_too_long_to_look_up_is_said_with_its_flag(served, monkeypatch, capsys):
    status, said = twin(served, monkeypatch, capsys, "list", "--owner", LONG, **HELPDESK)
    assert status == 1
    assert said.endswith((  # the profile searches the people; the vendor's API finds one by name
        "the name to look up (--owner or --project) must be at most 1000 characters long.",
        "--owner must be at most 200 characters long.",
    )), said
    assert not [word for word in WIRE_WORDS if word in said], said


def test_the_servers_own_refusals_in_the_twins_words(served):
    """What the server really answers, for what the twin checks before sending: the sentence the
    twin would print if a server still said it (a vendor's server, an older twin's request)."""
    with httpx.Client(base_url=served + "/api", timeout=30) as http:
        def token(**login: Any) -> dict[str, str]:
            answer = http.post("/auth/token", json={
                "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
                "scope": "jobs users", "login_info": login})
            assert answer.status_code == 200, answer.text
            return {"Authorization": f"Bearer {answer.json()['access_token']}"}

        def said(answer: httpx.Response) -> str:
            assert answer.status_code >= 400, answer.text
            error = error_from_response(answer.status_code, answer.json())
            words = refusal(error)
            assert not [word for word in WIRE_WORDS if word in words], (answer.text, words)
            return words

        empty = http.post("/auth/token", json={
            "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
            "login_info": {"type": 3, "user": "alice", "pwd": " "}})
        assert said(empty).endswith("--password must be given.")

        alice = token(type=2, pin="1234")
        spooled = http.post("/v3/jobs/client", headers=alice, json={
            "queue": "direct", "owner": "alice", "name": "Poster.pdf", "computer": "pc", "size": 0,
            "uuid": "6f1c2c4e-1f0b-4c53-9a55-5b7f7d1d2b9a",
            "jobInfo": {"pageCount": 0, "colorCount": 0, "copies": 1, "duplex": False, "color": False}})
        assert said(spooled).endswith("--pages must be at least 1.")

        carol = token(type=3, user="carol", pwd="carol-pw")
        patched = http.patch("/v3/jobs/101", headers=carol, json={"favorite": True})
        assert said(patched).endswith("Say why you change another user's job: give --reason TEXT.")


def test_job_ids_may_come_after_the_flags(served, monkeypatch, capsys):
    """`station jobs list --json 101` was refused as "unrecognized arguments: 101"."""
    monkeypatch.setenv("STATION_PIN", "1234")
    assert cli.main(["jobs", "list", "--json", "101", "104", "--server", served]) == 0
    assert [job["id"] for job in json.loads(capsys.readouterr().out)["jobs"]] == [101, 104]
    assert cli.main(["jobs", "favorite", "--server", served, "103"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Now a favourite: 103"
    with pytest.raises(SystemExit) as wrong:  # a word that is no id is still wrong use
        cli.main(["jobs", "list", "--json", "soon", "--server", served])
    said = capsys.readouterr().err
    assert wrong.value.code == 2 and "station jobs: error: unrecognized arguments: soon" in said
    assert "usage: station jobs" in said and "--kiosk" not in said  # the usage of the command given


@pytest.mark.parametrize("served", ["profile"], indirect=True)  # a vendor's server lists no accounts to a PIN
def test_an_accounts_kind_is_said_in_words(served, monkeypatch, capsys):
    monkeypatch.setenv("STATION_PIN", "1234")
    assert cli.main(["jobs", "accounts", "--server", served]) == 0
    table = capsys.readouterr().out
    assert "Marketing" in table and "cost centre" in table and "costCenter" not in table
