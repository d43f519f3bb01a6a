"""The person's path through the twin (`station jobs ...`, run by `station.cli.main` in this process)
against both modes of the real embedded server on 127.0.0.1 (uvicorn): the profile, and vendor
mode (only what the vendor documents, contract 7.1).

Log in with a PIN, a card and a password and list the jobs with name, pages, colour pages,
copies, sides and cost; release through `process` and at a printer 2-sided and in black and
white; cancel; mark a favourite; a command whose token runs out under it (the server's fake clock
jumps past `expires_in` after the login) gets a 401 (vendor mode: `data: []`), renews once and
carries on. A `Front` before the server counts the requests and moves the clock; what the
server holds is read off its store.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from vendor_front import Front

from station import cli
from station.server.app import ServerSettings, create_app
from station.server.keys import ScryptCost
from station.server.run import EmbeddedServer
from station.server.seed import AGENDA

LOGINS = {
    "pin": {"STATION_PIN": "1234"},
    "card": {"STATION_CARD": "04A1B2C3"},
    "password": {"STATION_USER": "alice", "STATION_PASSWORD": "alice-pw"},
}


@dataclass
class Served:
    url: str
    front: Front
    app: Any
    clock: Any

    @property
    def vendor(self) -> bool:
        return self.app.state.settings.api == "vendor"

    def held(self, name: str) -> dict[str, Any]:
        with self.app.state.store.read() as db:
            return dict(db.one("SELECT * FROM jobs WHERE name = ?", (name,)))

    def waiting(self) -> list[dict[str, Any]]:
        with self.app.state.store.read() as db:
            rows = db.all("SELECT * FROM jobs WHERE owner_id = 7 AND state IN ('ready', 'paused') ORDER BY id")
        return [dict(row) for row in rows]

    def balance(self) -> Decimal:
        with self.app.state.store.read() as db:
            cents = db.scalar("SELECT balance_cents FROM accounts WHERE user_id = 7 AND id = 'credit'")
        return Decimal(cents) / 100


@pytest.fixture(params=["profile", "vendor"])
def served(
    request: pytest.FixtureRequest, tmp_path: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Served]:
    settings = ServerSettings(db=str(tmp_path / "station.db"), seed="demo", clock=clock, print_speed=6000,
                              api=request.param, password_cost=ScryptCost(n=2**10, r=8, p=1))
    app = create_app(settings)
    front = Front(app)
    server = EmbeddedServer(settings, app=front).start()  # type: ignore[arg-type]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no settings file of this machine's
    try:
        yield Served(server.base_url, front, app, clock)
    finally:
        server.stop()
        app.state.store.close()


def twin(served: Served, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str,
         login: str = "pin") -> tuple[int, Any]:
    """`station jobs ARGS --server URL --json` as a script runs it; its exit status and JSON."""
    with monkeypatch.context() as env:
        for name in ("STATION_PIN", "STATION_CARD", "STATION_USER", "STATION_PASSWORD", "STATION_PRINTER"):
            env.delenv(name, raising=False)
        for name, value in LOGINS[login].items():
            env.setenv(name, value)
        status = cli.main(["jobs", *args, "--server", served.url, "--json"])
    out, err = capsys.readouterr()
    return status, json.loads(out) if out.strip() else err


@pytest.mark.parametrize("login", list(LOGINS))
def test_list_the_jobs_as_the_server_holds_them(served, monkeypatch, capsys, login):
    status, said = twin(served, monkeypatch, capsys, "list", login=login)
    assert status == 0, said
    listed = {job["id"]: job for job in said["jobs"]}
    held = served.waiting()
    assert sorted(listed) == [row["id"] for row in held] and said["count"] == len(held)
    for row in held:
        job = listed[row["id"]]
        assert (job["name"], job["pageCount"], job["colorCount"], job["copies"], job["duplex"]) == (
            row["name"], row["page_count"], row["color_count"], row["copies"], bool(row["duplex"]))
        assert Decimal(str(job["cost"])) == Decimal(row["cost_cents"]) / 100


def test_release_through_process(served, monkeypatch, capsys):
    board = served.held("Board minutes.pdf")
    before = served.balance()
    status, said = twin(served, monkeypatch, capsys, "release", str(board["id"]))
    assert status == 0, said
    assert said["released"] == [board["id"]] and said.get("stillListed", []) == []
    if served.vendor:  # 202 without a body: the vendor's API does not say what it charged
        assert said["charged"] is None
    else:
        assert Decimal(str(said["charged"])) == Decimal(board["cost_cents"]) / 100
    now = served.held("Board minutes.pdf")
    assert now["state"] in ("processing", "printed") and now["charged_cents"] == board["cost_cents"]
    assert served.balance() == before - Decimal(board["cost_cents"]) / 100
    assert served.front.count("POST", "/v3/jobs/process") == 1


def test_release_at_a_printer_2_sided_and_in_black_and_white(served, monkeypatch, capsys):
    agenda = served.held(AGENDA)  # 1-sided, with a colour page, 3 copies
    before = served.balance()
    how = ("--printer", "1", "--duplex", "--mono")
    status, said = twin(served, monkeypatch, capsys, "release", str(agenda["id"]), *how)
    assert status == 0, said
    assert said["released"] == [agenda["id"]] and said["printer"] == "1"
    now = served.held(AGENDA)
    assert now["state"] in ("processing", "printed")
    assert (now["duplex"], now["color"], now["color_count"], now["copies"]) == (1, 0, 0, agenda["copies"])
    assert now["charged_cents"] == now["cost_cents"] < agenda["cost_cents"]  # priced as it printed
    assert served.balance() == before - Decimal(now["charged_cents"]) / 100
    if not served.vendor:  # the profile says what it charged; the vendor's API does not
        assert Decimal(str(said["charged"])) == Decimal(now["charged_cents"]) / 100
    assert served.front.count("POST", "/v3/printers/1/jobs/release") == 1
    assert served.front.count("POST", "/v3/jobs/process") == 0


def test_cancel(served, monkeypatch, capsys):
    flyer = served.held("Flyer.pdf")
    before = served.balance()
    status, said = twin(served, monkeypatch, capsys, "cancel", str(flyer["id"]))
    assert status == 0, said
    now = served.held("Flyer.pdf")
    assert now["state"] == "canceled" and now["charged_cents"] is None and served.balance() == before


def test_mark_a_favourite(served, monkeypatch, capsys):
    board = served.held("Board minutes.pdf")
    assert board["favorite"] == 0
    status, said = twin(served, monkeypatch, capsys, "favorite", str(board["id"]))
    assert status == 0, said
    assert [job["favorite"] for job in said["jobs"]] == [True] and served.held("Board minutes.pdf")["favorite"] == 1


def test_a_token_that_runs_out_under_a_command_is_renewed_once(served, monkeypatch, capsys):
    served.front.after("POST", "/auth/token", lambda: served.clock.advance(minutes=31))  # past expires_in
    status, said = twin(served, monkeypatch, capsys, "list")
    assert status == 0, said
    assert len(said["jobs"]) == len(served.waiting())
    refused = [json.loads(body) for _, _, answer, body in served.front.answered if answer == 401]
    assert len(refused) == 1 and refused[0]["message"]
    if served.vendor:
        assert refused[0]["data"] == []  # no reason word: the status alone says renew
    tokens = [answer for _, path, answer, _ in served.front.answered if path == "/api/auth/token"]
    assert tokens == [200, 200]  # the login, then one renewal
