"""`station jobs ...` against a print server with only the vendor's API: the real embedded server in
vendor mode behind a `Front` that counts the requests (tests/vendor_front.py), served by uvicorn on
127.0.0.1, the twin a real process as a script would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from station.server.app import ServerSettings, create_app
from station.server.run import EmbeddedServer
from vendor_front import Front


@pytest.fixture
def vendor(tmp_path):
    """(url, front, app): the vendor-only server on a free port."""
    settings = ServerSettings(db=str(tmp_path / "station.db"), seed="demo", print_speed=6000, api="vendor")
    app = create_app(settings)
    front = Front(app)
    server = EmbeddedServer(settings, app=front).start()  # type: ignore[arg-type]
    try:
        yield server.base_url, front, app
    finally:
        server.stop()
        app.state.store.close()


def station(url: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    return subprocess.run(
        [sys.executable, "-m", "station", "jobs", *args, "--server", url],
        capture_output=True, text=True, timeout=60, env={**clean, "STATION_PIN": "1234", **env},
    )


def state(app, name: str) -> dict:
    with app.state.store.read() as db:
        return dict(db.one("SELECT * FROM jobs WHERE name = ?", (name,)))


def listed(url: str) -> dict[str, dict]:
    result = station(url, "list", "--json")
    assert result.returncode == 0, result.stderr
    return {job["name"]: job for job in json.loads(result.stdout)["jobs"]}


def test_list_needs_only_the_token_and_the_job_list(vendor):
    url, front, _ = vendor
    result = station(url, "list")
    assert result.returncode == 0, result.stderr
    assert "Board minutes.pdf" in result.stdout and "1-sided" in result.stdout
    jobs = listed(url)
    assert len(jobs) == 7 and all("owner" not in job or job["owner"] is None for job in jobs.values())
    assert front.count("GET", "/v3/users/me") == 2  # asked once per process (each command is one)


def test_release_at_a_printer_with_options(vendor):
    url, front, app = vendor
    board = state(app, "Board minutes.pdf")["id"]
    result = station(url, "release", str(board), "--printer", "1", "--duplex", "--mono", "--copies", "2", "--json")
    assert result.returncode == 0, result.stderr
    said = json.loads(result.stdout)
    assert said["released"] == [board] and said["charged"] is None and said["printer"] == "1"
    assert said["options"] == {"duplex": 2, "color": 2, "copies": 2} and said["stillListed"] == []
    assert front.bodies("POST", "/v3/printers/1/jobs/release") == [
        {"projectId": 0, "jobIds": [board], "account": None, "releaseOptions": {"duplex": 2, "color": 2, "copies": 2}}]
    held = state(app, "Board minutes.pdf")
    assert held["state"] in ("processing", "printed") and (held["duplex"], held["copies"]) == (1, 2)
    assert "Board minutes.pdf" not in listed(url)


def test_release_through_process_says_the_server_works_out_the_cost(vendor):
    url, front, app = vendor
    flyer = state(app, "Flyer.pdf")["id"]
    result = station(url, "release", str(flyer))
    assert result.returncode == 0, result.stderr
    assert f"Released 1 job · the print server works out the cost: {flyer}" in result.stdout
    assert front.count("POST", "/v3/jobs/process") == 1
    assert state(app, "Flyer.pdf")["state"] in ("processing", "printed")


def test_printer_options_without_a_printer_are_wrong_use(vendor):
    url, front, _app = vendor
    result = station(url, "release", "101", "--duplex")
    assert result.returncode == 2 and "--printer" in result.stderr
    assert station(url, "release", "101", "--printer", "1", "--copies", "0").returncode == 2
    assert front.count("POST", "/auth/token") == 0  # refused before anything was sent


def test_sides_and_favourites_on_a_vendor_server(vendor):
    url, _, app = vendor
    board = state(app, "Board minutes.pdf")["id"]
    sides = station(url, "duplex", str(board))
    assert sides.returncode == 1 and "does not let station change the sides" in sides.stderr
    favourite = station(url, "favorite", str(board), "--json")
    assert favourite.returncode == 0, favourite.stderr
    assert json.loads(favourite.stdout)["jobs"][0]["favorite"] is True
    assert state(app, "Board minutes.pdf")["favorite"] == 1


def test_a_release_whose_answer_never_comes_is_checked_not_repeated(vendor):
    url, front, app = vendor
    board = state(app, "Board minutes.pdf")["id"]
    front.hang("POST", "/v3/jobs/process", 3)  # done on the server; the answer comes too late
    result = station(url, "release", str(board), "--timeout", "1")
    assert result.returncode == 0, result.stderr
    assert "No answer came back after the release was sent; the list was read again:" in result.stdout
    assert f"Released 1 job: {board}" in result.stdout
    assert front.count("POST", "/v3/jobs/process") == 1
    assert state(app, "Board minutes.pdf")["state"] in ("processing", "printed")


def test_what_a_vendor_server_does_not_list_is_said_and_a_project_id_still_works(vendor):
    url, _, app = vendor
    projects = station(url, "projects")
    assert projects.returncode == 1
    assert projects.stderr.strip() == (
        "station jobs: This print server does not list projects: give --project the project's id."
    )
    accounts = station(url, "accounts")
    assert accounts.returncode == 1 and "does not say which accounts can be charged" in accounts.stderr
    board = state(app, "Board minutes.pdf")["id"]
    by_name = station(url, "project", str(board), "--project", "Annual report")
    assert by_name.returncode == 2 and "give the project's id" in by_name.stderr
    assert state(app, "Board minutes.pdf")["project_id"] == 0
    by_id = station(url, "project", str(board), "--project", "3")
    assert by_id.returncode == 0, by_id.stderr
    assert by_id.stdout.splitlines()[-1] == f"Now charged to project 3: {board}"
    assert state(app, "Board minutes.pdf")["project_id"] == 3
