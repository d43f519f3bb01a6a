"""The station at a print server with only the vendor's API, and when answers are lost.

The real embedded server in vendor mode (`vendor_app`) answers, behind a `Front` that counts the
requests (tests/vendor_front.py): no `/me`, no `/projects`, no audit, no script dialog, empty
bodies for process and delete, jobs with vendor fields only. `LosingWire` passes requests to the
real server and drops chosen answers on the way back (or never sends chosen requests). What the
person sees is read off the screen; what the server holds, off its store.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from vendor_front import Front, LosingWire

from station.api.client import StationClient
from station.config import Settings
from station.ui.app import StationApp
from station.ui.modals import CancelConfirm, ReleaseConfirm
from station.ui.screens.jobs import JobsScreen

from .conftest import build_station
from .support import audit, cell, go_to, job, log_in, names, press_for, settle, shown, table, until


@pytest.fixture
def front(vendor_app: Any) -> Front:
    return Front(vendor_app)


def station_on(transport: httpx.AsyncBaseTransport, clock: Any, **options: Any) -> StationApp:
    return build_station(
        lambda: StationClient("http://station.test", transport=transport), clock, retry_backoff=(0.05, 0.2), **options
    )


@pytest.fixture
def vendor_station(front: Front, clock: Any):
    transport = httpx.ASGITransport(app=front)
    return lambda **options: station_on(transport, clock, **options)


# --- logging in without /me and /projects ------------------------------------------------------------


async def test_login_without_me_and_projects_shows_the_jobs_and_invents_nothing(vendor_station, front):
    async with vendor_station().run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        assert table(pilot).row_count == 7 and len(screen.jobs) == 7
        who = shown(pilot, "#who")
        assert "the default account, balance not known" in who
        assert "Alice" not in who and "12.50" not in who and "no limit" not in who
        submitted = cell(pilot, screen.table.ordered_ids[0], "submitted")
        assert re.fullmatch(r"\d\d:\d\d|\d\d \w{3}", submitted), submitted  # the server's local time, as sent
        await pilot.press("l")
        await log_in(pilot)  # the next person at this kiosk
    assert front.count("GET", "/v3/users/me") == 1 and front.count("GET", "/v3/projects") == 1  # learned once
    assert front.count("POST", "/auth/token") == 2 and front.count("GET", "/v3/jobs") == 2


async def test_a_name_typed_at_login_is_shown_and_nothing_more(vendor_station):
    async with vendor_station().run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        pilot.app.screen.query_one("#username").value = "alice"
        pilot.app.screen.query_one("#password").value = "alice-pw"
        pilot.app.screen.query_one("#password").focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the job list")
        await until(pilot, lambda: table(pilot).row_count == 7, "the rows")
        who = shown(pilot, "#who")
        assert who.strip().startswith("alice ·") and "Alice Martin" not in who


async def test_no_projects_and_no_sides_are_said_plainly(vendor_station, front, vendor_app):
    async with vendor_station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board = job(vendor_app, "Board minutes.pdf")["id"]
        await go_to(pilot, board)
        await pilot.press("p")
        assert "does not list projects" in shown(pilot, "#status")
        await pilot.press("d")
        await settle(pilot)
        assert "does not let station change the sides of a job" in shown(pilot, "#status")
        await pilot.press("d")  # learned: not asked again
        await settle(pilot)
        assert "does not let station change the sides of a job" in shown(pilot, "#status")
        assert job(vendor_app, "Board minutes.pdf")["duplex"] == 0
    assert front.count("POST", f"/v3/jobs/{board}/script") == 1


async def test_favourite_and_cancel_with_the_vendors_replies(vendor_station, vendor_app):
    async with vendor_station().run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board = job(vendor_app, "Board minutes.pdf")["id"]
        await go_to(pilot, board)
        await pilot.press("f")
        await settle(pilot)
        assert "is now a favourite" in shown(pilot, "#status") and job(vendor_app, "Board minutes.pdf")["favorite"] == 1
        await press_for(pilot, "x", CancelConfirm)
        await pilot.press("left", "enter")
        await until(pilot, lambda: "Canceled 1 job" in shown(pilot, "#status"), "the cancel")
        assert job(vendor_app, "Board minutes.pdf")["state"] == "canceled" and "Board minutes.pdf" not in names(pilot)


# --- releasing at a printer -------------------------------------------------------------------------------


async def test_release_at_the_printer_with_2_sided_chosen_by_d(vendor_station, front, vendor_app):
    async with vendor_station(settings=Settings(printer="1")).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board = job(vendor_app, "Board minutes.pdf")["id"]
        await go_to(pilot, board)
        await pilot.press("d")
        await settle(pilot)
        assert "will print 2-sided at printer 1" in shown(pilot, "#status")
        assert cell(pilot, board, "sides") == "2-sided*"  # chosen here, not as listed
        await press_for(pilot, "r", ReleaseConfirm)
        assert re.search(r"Printer +1\nPrints +2-sided\n", shown(pilot, ".row"))
        await pilot.press("enter")
        await until(pilot, lambda: "Released 1 job" in shown(pilot, "#status"), "the release")
        said = shown(pilot, "#status")
        assert "at printer 1 (2-sided)" in said and "works out what it costs" in said and "charged" not in said
        # (not settle: following the print waits for the fake clock)
        await until(pilot, lambda: "Board minutes.pdf" not in names(pilot), "the list read again")
        flyer = job(vendor_app, "Flyer.pdf")["id"]
        await go_to(pilot, flyer)
        await press_for(pilot, "r", ReleaseConfirm)
        assert re.search(r"Prints +as listed\n", shown(pilot, ".row"))
        await pilot.press("enter")
        await until(pilot, lambda: front.count("POST", "/v3/printers/1/jobs/release") == 2, "the second release")
    assert [(r["jobIds"], r["releaseOptions"]) for r in front.bodies("POST", "/v3/printers/1/jobs/release")] == [
        ([board], {"duplex": 2, "color": 0, "copies": 0}), ([flyer], {"duplex": 0, "color": 0, "copies": 0})]
    assert job(vendor_app, "Board minutes.pdf")["state"] in ("processing", "printed")
    assert front.count("POST", "/v3/jobs/process") == 0  # with a printer, never through process
    assert len(audit(vendor_app, "release")) == 2


# --- a release or cancel without an answer (issue 11, item 11) ----------------------------------------------


@pytest.fixture
def losing(app: Any) -> LosingWire:
    return LosingWire(app)


async def test_a_release_whose_answer_is_lost_is_checked_and_not_sent_again(losing, clock, app):
    losing.lose.add(("POST", "/v3/jobs/process"))
    async with station_on(losing, clock).run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        board = job(app, "Board minutes.pdf")["id"]
        await go_to(pilot, board)
        await press_for(pilot, "r", ReleaseConfirm)
        await pilot.press("enter")
        await until(pilot, lambda: "Checked with the print server: 1 job released." in shown(pilot, "#status"),
                    "the outcome")
        assert board not in screen.jobs and "Board minutes.pdf" not in names(pilot)
    assert losing.sent[("POST", "/v3/jobs/process")] == 1
    assert len(audit(app, "release")) == 1 and job(app, "Board minutes.pdf")["state"] in ("processing", "printed")


async def test_until_the_list_is_read_again_the_jobs_are_not_offered(losing, clock, app):
    losing.lose.add(("POST", "/v3/jobs/process"))
    async with station_on(losing, clock).run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        board = job(app, "Board minutes.pdf")["id"]
        await go_to(pilot, board)
        losing.refuse.add(("GET", "/v3/jobs"))  # the server is gone after taking the release
        await press_for(pilot, "r", ReleaseConfirm)
        await pilot.press("enter")
        await until(pilot, lambda: "cannot be read now" in shown(pilot, "#status"), "the failed check")
        await pilot.press("r")  # Board is still on screen, but not offered until it is known
        assert "still checking" in shown(pilot, "#status")
        assert not isinstance(pilot.app.screen, ReleaseConfirm)
        losing.refuse.clear()  # back: the retry reads the list and says what it found
        await until(pilot, lambda: "1 job released" in shown(pilot, "#status"), "the outcome")
        assert board not in screen.jobs
    assert losing.sent[("POST", "/v3/jobs/process")] == 1 and len(audit(app, "release")) == 1


async def test_a_release_not_sent_changed_nothing_and_says_so(losing, clock, app):
    async with station_on(losing, clock).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board = job(app, "Board minutes.pdf")["id"]
        await go_to(pilot, board)
        await press_for(pilot, "r", ReleaseConfirm)
        losing.down = True  # the network goes before the release leaves
        await pilot.press("enter")
        await until(pilot, lambda: "release was not sent, nothing changed" in shown(pilot, "#status"), "the refusal")
        assert "Board minutes.pdf" in names(pilot) and "cannot be reached" in shown(pilot, "#offline")
        losing.down = False
        await until(pilot, lambda: "Connected again" in shown(pilot, "#status"), "the list read again")
        assert "Board minutes.pdf" in names(pilot)
    assert losing.sent[("POST", "/v3/jobs/process")] == 0 and job(app, "Board minutes.pdf")["state"] == "ready"


async def test_a_cancel_whose_answer_is_lost_is_checked(losing, clock, app):
    board = job(app, "Board minutes.pdf")["id"]
    losing.lose.add(("DELETE", f"/v3/jobs/{board}"))
    async with station_on(losing, clock).run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        await go_to(pilot, board)
        await press_for(pilot, "x", CancelConfirm)
        await pilot.press("left", "enter")
        await until(pilot, lambda: "Checked with the print server: 1 job canceled." in shown(pilot, "#status"),
                    "the outcome")
    assert job(app, "Board minutes.pdf")["state"] == "canceled"
