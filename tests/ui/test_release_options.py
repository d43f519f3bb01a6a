"""Release options at a printer in the TUI (issue 10, item 2): 2-sided (`d` where the server has no
script dialog) and black and white (`m`), shown in the rows, the totals and the confirmation, then
released through `POST /v3/printers/{printer}/jobs/release` and priced by the server.

The real embedded server in-process, in its profile and in vendor mode; what the person sees is
read off the screen, what the server holds off its store.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from station.api.client import StationClient
from station.config import Settings
from station.ui.app import StationApp
from station.ui.modals import HelpModal, ReleaseConfirm
from station.server.seed import HANDOUT

from .conftest import build_station
from .support import Wire, balance, cell, go_to, job, log_in, names, press_for, select, shown, until

ALICE, BOB = 7, 8


def kiosk(server: Any, clock: Any, *, printer: str | None = "1") -> tuple[StationApp, Wire]:
    wire = Wire(server)
    ui = build_station(
        lambda: StationClient("http://station.test", transport=wire), clock, settings=Settings(printer=printer)
    )
    return ui, wire


def keys_shown(pilot: Any) -> list[str]:
    return [str(key.description) for key in pilot.app.screen.query("FooterKey")]


def vendor(server: Any) -> bool:
    return server.state.settings.api == "vendor"


# --- what the person sees --------------------------------------------------------------------------


async def test_the_rows_and_the_totals_show_what_will_print_and_never_a_cost_of_their_own(vendor_app, clock):
    ui, _ = kiosk(vendor_app, clock)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board, flyer = (job(vendor_app, name) for name in ("Board minutes.pdf", "Flyer.pdf"))
        await go_to(pilot, board["id"])
        before = shown(pilot, "#totals")
        assert "4 pages, 0 colour · 4 sheets · 0.24 →" in before and "as listed" not in before  # the control
        await pilot.press("d")
        await until(pilot, lambda: cell(pilot, board["id"], "sides") == "2-sided*", "the choice in the row")
        totals = shown(pilot, "#totals")
        assert "4 pages, 0 colour · 2 sheets · 0.24 as listed" in totals  # sheets as they will print
        assert "the print server prices the change at release" in totals and "balance" not in totals
        assert "Board minutes.pdf will print 2-sided at printer 1." in shown(pilot, "#status")
        await go_to(pilot, flyer["id"])
        await pilot.press("m")
        assert cell(pilot, flyer["id"], "colour") == "mono*"
        pages = flyer["page_count"] * flyer["copies"]
        assert f"{pages} pages, 0 colour · " in shown(pilot, "#totals")
        assert "Flyer.pdf will print in black and white at printer 1." in shown(pilot, "#status")
        await pilot.press("m")  # and back
        assert cell(pilot, flyer["id"], "colour") == str(flyer["color_count"])
        assert "in colour again" in shown(pilot, "#status") and "as listed" not in shown(pilot, "#totals")
        await go_to(pilot, board["id"])
        await pilot.press("d")
        assert cell(pilot, board["id"], "sides") == "1-sided" and "4 sheets" in shown(pilot, "#totals")
    assert job(vendor_app, "Board minutes.pdf")["duplex"] == 0  # nothing was sent for a choice


async def test_a_job_without_colour_is_black_and_white_already(vendor_app, clock):
    ui, wire = kiosk(vendor_app, clock)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board = job(vendor_app, "Board minutes.pdf")["id"]
        await go_to(pilot, board)
        sent = len(wire.requests)
        await pilot.press("m")
        assert "Board minutes.pdf has no colour: black and white already." in shown(pilot, "#status")
        assert cell(pilot, board, "colour") == "mono" and "as listed" not in shown(pilot, "#totals")
        assert len(wire.requests) == sent


async def test_black_and_white_is_offered_only_where_there_is_a_printer(server, clock):
    ui, _ = kiosk(server, clock, printer=None)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        flyer = job(server, "Flyer.pdf")["id"]
        await go_to(pilot, flyer)
        assert "black & white" not in keys_shown(pilot) and "1/2-sided" in keys_shown(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert cell(pilot, flyer, "colour") == "2" and "as listed" not in shown(pilot, "#totals")
        await press_for(pilot, "question_mark", HelpModal)
        assert "black & white" not in shown(pilot, "HelpModal Static")
    ui, _ = kiosk(server, clock)  # the control: with a printer the key is there and works
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        assert "black & white" in keys_shown(pilot)
        await go_to(pilot, flyer)
        await pilot.press("m")
        assert cell(pilot, flyer, "colour") == "mono*"
        await press_for(pilot, "question_mark", HelpModal)
        help_text = shown(pilot, "HelpModal Static")
        assert "black & white" in help_text and "chosen here (d, m) for printer 1" in help_text


# --- releasing with options, in both modes -----------------------------------------------------------------


async def test_released_with_options_the_server_prints_and_charges_them_and_the_station_reads_it_again(server, clock):
    ui, wire = kiosk(server, clock)
    listed = {name: job(server, name) for name in ("Board minutes.pdf", "Flyer.pdf")}
    before = balance(server, ALICE)
    async with ui.run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        ids = [listed[name]["id"] for name in listed]
        await go_to(pilot, ids[0])
        await pilot.press("d")
        await until(pilot, lambda: "2-sided" in cell(pilot, ids[0], "sides") and not screen.requests.busy, "2-sided")
        await go_to(pilot, ids[1])
        await pilot.press("m")
        assert cell(pilot, ids[1], "colour") == "mono*"
        # Without a dialog (vendor) 2-sided is a release option too, marked as chosen here.
        assert cell(pilot, ids[0], "sides") == ("2-sided*" if vendor(server) else "2-sided")
        await select(pilot, server, *listed)
        await press_for(pilot, "r", ReleaseConfirm)
        rows = shown(pilot, ".row")
        if vendor(server):
            assert re.search(r"Prints +1 job 2-sided, 1 in black and white\n", rows)
            assert "Balance after  not known" in rows
        else:  # the server's dialog switched the sides and priced them already
            assert re.search(r"Prints +1 job in black and white; the rest as listed\n", rows)
            assert re.search(rf"Balance now +{before:.2f} EUR", rows)  # not a balance after of our own
        assert re.search(r"Pages +24 \(0 colour\) · 12 sheets\n", rows)
        assert "prices what you chose at release" in shown(pilot, "ReleaseConfirm .note")
        sent = len(wire.requests)
        await pilot.press("enter")
        await until(pilot, lambda: "Released 2 jobs at printer 1" in shown(pilot, "#status"), "the release")
        await until(pilot, lambda: ("GET", "/api/v3/jobs") in wire.requests[sent:], "the list read again")
        said = shown(pilot, "#status")
        assert "Board minutes.pdf" not in names(pilot) and "Flyer.pdf" not in names(pilot)
        board, flyer = (job(server, name) for name in listed)
        charged = Decimal(board["charged_cents"] + flyer["charged_cents"]) / 100
        if vendor(server):
            assert "The print server works out what it costs." in said
            assert "balance not known" in shown(pilot, "#who")
        else:
            assert f"charged {charged:.2f} EUR" in said
            await until(pilot, lambda: ("GET", "/api/v3/users/me") in wire.requests[sent:], "the balance read again")
            assert f"Personal credit {balance(server, ALICE):.2f} EUR" in shown(pilot, "#who")
    assert wire.requests[sent:].count(("POST", "/api/v3/printers/1/jobs/release")) == 2  # one per way of printing
    assert ("POST", "/api/v3/jobs/process") not in wire.requests
    assert board["state"] in ("processing", "printed") and flyer["state"] in ("processing", "printed")
    assert board["duplex"] == 1 and (flyer["color"], flyer["color_count"], flyer["duplex"]) == (0, 0, 1)
    assert flyer["charged_cents"] == flyer["cost_cents"] < listed["Flyer.pdf"]["cost_cents"]  # repriced, cheaper
    assert board["charged_cents"] == board["cost_cents"]
    assert balance(server, ALICE) == before - charged


async def test_a_choice_that_brings_the_cost_within_the_credit_is_left_to_the_server(app, clock):
    ui, _ = kiosk(app, clock)
    handout = job(app, HANDOUT)
    assert Decimal(handout["cost_cents"]) / 100 > balance(app, BOB)  # as listed, more than bob holds
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot, "5678")
        await go_to(pilot, handout["id"])
        await pilot.press("r")
        assert "Not enough credit" in shown(pilot, "#status")  # the control: refused before any request
        await pilot.press("m")
        await press_for(pilot, "r", ReleaseConfirm)
        assert re.search(r"Balance now +0\.80 EUR", shown(pilot, ".row"))
        await pilot.press("enter")
        await until(pilot, lambda: "Released 1 job at printer 1 (black and white): charged" in shown(pilot, "#status"),
                    "the release")
    printed = job(app, HANDOUT)
    assert printed["state"] in ("processing", "printed") and printed["color_count"] == 0
    assert balance(app, BOB) == Decimal("0.80") - Decimal(printed["charged_cents"]) / 100 >= 0


async def test_a_release_half_done_says_what_went_and_what_did_not(vendor_app, clock):
    ui, _ = kiosk(vendor_app, clock)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        board, slides = (job(vendor_app, name)["id"] for name in ("Board minutes.pdf", "Campaign slides.pptx"))
        await go_to(pilot, board)
        await pilot.press("d")
        await until(pilot, lambda: cell(pilot, board, "sides") == "2-sided*", "2-sided")
        await go_to(pilot, slides)
        await pilot.press("m")  # the slides wait for an answer on the server: vendor fields do not say so
        await select(pilot, vendor_app, "Board minutes.pdf", "Campaign slides.pptx")
        await press_for(pilot, "r", ReleaseConfirm)
        await pilot.press("enter")
        await until(pilot, lambda: "Not released" in shown(pilot, "#status"), "the outcome")
        said = shown(pilot, "#status")
        assert said.startswith("Released 1 job at printer 1 (2-sided). Not released, Campaign slides.pptx: ")
        assert "waits for an answer to its question" in said and "Nothing was released" not in said
        assert names(pilot).count("Campaign slides.pptx") == 1 and "Board minutes.pdf" not in names(pilot)
        assert cell(pilot, slides, "colour") == "mono*"  # the choice stays for the next try
    assert job(vendor_app, "Board minutes.pdf")["state"] in ("processing", "printed")
    assert job(vendor_app, "Campaign slides.pptx")["state"] == "paused"

