"""The person's path at the station, against both modes of the real embedded server (issue 10,
items 2 and 5): the profile, and vendor mode (only what the vendor documents, contract 7.1).

Log in with a PIN, a card and a password; see the jobs with name, pages, colour pages, copies,
sides and cost as the server holds them; release through `process`; cancel; mark a favourite;
a session that outlives the token's `expires_in`; a 401 (in vendor mode with `data: []`) that a
renewal mends. Releasing at a printer with 2-sided and black and white is in
test_release_options.py, over the same two modes. What the person sees is read off the screen;
what the server holds, off its store.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from textual.widgets import Input

from station.api.client import StationClient
from station.ui.app import StationApp
from station.ui.modals import CancelConfirm, ReleaseConfirm
from station.ui.screens.jobs import JobsScreen
from station.ui.screens.login import LoginScreen

from .conftest import build_station
from .support import Wire, balance, cell, go_to, job, log_in, names, press_for, shown, store, table, until

ALICE = 7


def kiosk(server: Any, clock: Any, *, client_clock: Any = None) -> tuple[StationApp, Wire]:
    """The station on the server; the client renews its token by `client_clock` (the server's by default)."""
    wire = Wire(server)
    ticks = client_clock or clock
    ui = build_station(
        lambda: StationClient("http://station.test", transport=wire, clock=lambda: ticks().timestamp()), clock
    )
    return ui, wire


def waiting_jobs(server: Any, owner: int = ALICE) -> list[dict[str, Any]]:
    with store(server).read() as db:
        rows = db.all("SELECT * FROM jobs WHERE owner_id = ? AND state IN ('ready', 'paused') ORDER BY id", (owner,))
    return [dict(row) for row in rows]


def assert_rows_show_the_jobs_as_held(pilot: Any, server: Any) -> None:
    held = waiting_jobs(server)
    assert sorted(table(pilot).ordered_ids) == [row["id"] for row in held]
    for row in held:
        name = cell(pilot, row["id"], "name").removesuffix(" (?)").removesuffix(" ★").removesuffix("…")
        assert name and row["name"].startswith(name), (name, row["name"])
        assert cell(pilot, row["id"], "pages") == str(row["page_count"])
        assert cell(pilot, row["id"], "colour") == (str(row["color_count"]) if row["color"] else "mono")
        assert cell(pilot, row["id"], "copies") == str(row["copies"])
        assert cell(pilot, row["id"], "sides") == ("2-sided" if row["duplex"] else "1-sided")
        assert cell(pilot, row["id"], "cost") == f"{Decimal(row['cost_cents']) / 100:.2f}"


async def log_out(pilot: Any) -> None:
    await pilot.press("l")
    await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen), "the login screen")


async def test_log_in_with_a_pin_a_card_and_a_password_and_see_the_jobs(server, clock):
    ui, wire = kiosk(server, clock)
    async with ui.run_test(size=(100, 30)) as pilot:
        for secret in ("1234", "04A1B2C3"):  # a PIN, then a card, in the one field
            await log_in(pilot, secret)
            assert_rows_show_the_jobs_as_held(pilot, server)
            await log_out(pilot)
        await pilot.press("f2")
        pilot.app.screen.query_one("#username", Input).value = "alice"
        pilot.app.screen.query_one("#password", Input).value = "alice-pw"
        pilot.app.screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the job list")
        await until(pilot, lambda: table(pilot).row_count == len(waiting_jobs(server)), "the rows")
        assert_rows_show_the_jobs_as_held(pilot, server)
        who = shown(pilot, "#who")
        if server.state.settings.api == "vendor":  # no /users/me: the name typed, and no balance of our own
            assert who.strip().startswith("alice ·") and "balance not known" in who
        else:
            assert "Alice Martin" in who and f"{balance(server, ALICE):.2f} EUR" in who
    assert [status for method, path, status in wire.answers if path == "/api/auth/token"] == [200, 200, 200]


async def test_release_through_process(server, clock):
    ui, wire = kiosk(server, clock)
    board = job(server, "Board minutes.pdf")
    before = balance(server, ALICE)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, board["id"])
        await press_for(pilot, "r", ReleaseConfirm)
        await pilot.press("enter")
        await until(pilot, lambda: "Released 1 job" in shown(pilot, "#status"), "the release")
        assert "Board minutes.pdf" not in names(pilot)
    released = job(server, "Board minutes.pdf")
    assert released["state"] in ("processing", "printed") and released["charged_cents"] == board["cost_cents"]
    assert balance(server, ALICE) == before - Decimal(board["cost_cents"]) / 100
    assert ("POST", "/api/v3/jobs/process") in wire.requests


async def test_cancel(server, clock):
    ui, _ = kiosk(server, clock)
    before = balance(server, ALICE)
    flyer = job(server, "Flyer.pdf")["id"]
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, flyer)
        await press_for(pilot, "x", CancelConfirm)
        await pilot.press("left", "enter")  # "Keep" has the focus
        await until(pilot, lambda: "Canceled 1 job. Nothing was charged." in shown(pilot, "#status"), "the cancel")
        assert "Flyer.pdf" not in names(pilot)
    canceled = job(server, "Flyer.pdf")
    assert canceled["state"] == "canceled" and canceled["charged_cents"] is None and balance(server, ALICE) == before


async def test_mark_a_favourite(server, clock):
    ui, _ = kiosk(server, clock)
    board = job(server, "Board minutes.pdf")["id"]
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, board)
        assert "★" not in cell(pilot, board, "name")
        await pilot.press("f")
        await until(pilot, lambda: "Board minutes.pdf is now a favourite." in shown(pilot, "#status"), "the mark")
        await until(pilot, lambda: "★" in cell(pilot, board, "name"), "the star")
    assert job(server, "Board minutes.pdf")["favorite"] == 1


async def test_a_session_outlives_expires_in(server, clock):
    """Three hours at the station, a favourite every 29.5 minutes: the token is renewed before it
    runs out each time, so no request is ever refused."""
    ui, wire = kiosk(server, clock)
    board = job(server, "Board minutes.pdf")["id"]
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, board)
        for turn in range(6):
            clock.advance(minutes=29, seconds=30)
            await pilot.press("f")
            said = "is now a favourite" if turn % 2 == 0 else "is no longer a favourite"
            await until(pilot, lambda: said in shown(pilot, "#status"), said)  # noqa: B023 - waited for at once
            assert job(server, "Board minutes.pdf")["favorite"] == (turn % 2 == 0)
        assert isinstance(pilot.app.screen, JobsScreen)
    tokens = [status for method, path, status in wire.answers if path == "/api/auth/token"]
    assert tokens == [200] * 7  # the login, then one renewal each time
    assert not [answer for answer in wire.answers if answer[2] == 401]


async def test_a_401_is_mended_by_one_renewal(server, clock):
    """The server's clock runs on while the station's stands still: the station does not know its
    token ran out, gets a 401 (vendor mode: `data: []`, no reason word), renews once and carries on."""
    still = clock.now
    ui, wire = kiosk(server, clock, client_clock=lambda: still)
    board = job(server, "Board minutes.pdf")["id"]
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, board)
        clock.advance(minutes=31)
        await pilot.press("f")
        await until(pilot, lambda: "Board minutes.pdf is now a favourite." in shown(pilot, "#status"), "the mark")
        assert isinstance(pilot.app.screen, JobsScreen)
    assert job(server, "Board minutes.pdf")["favorite"] == 1
    refused = [json.loads(body) for body in wire.refusals]
    assert len(refused) == 1
    if server.state.settings.api == "vendor":
        assert refused[0]["data"] == [] and refused[0]["message"]
    assert [status for method, path, status in wire.answers if path == "/api/auth/token"] == [200, 200]
    patches = [(method, path) for method, path, _ in wire.answers if method == "PATCH"]
    assert patches == [("PATCH", "/api/v3/jobs")] * 2  # refused, then done
