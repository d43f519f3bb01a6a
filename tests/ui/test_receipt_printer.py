"""The receipt at a printer: a job released 2-sided and/or in black and white shows what that saved,
in money and sheets (and the CO2e of the sheets), against the job as it arrived (issue 14, item 3).

The real embedded server in-process, in its profile (`d` asks the server to make the job 2-sided,
which prices it) and in vendor mode (`d` and `m` are release options at the printer, priced by the
server at release). The figures asserted are the ones a person reads on the receipt; the money is
what the server took off the account.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from station.api.client import StationClient
from station.config import Settings
from station.format import money
from station.server.seed import AGENDA
from station.ui.modals.receipt import ReceiptModal

from .conftest import build_station
from .support import Wire, balance, cell, go_to, job, log_in, shown, until

ALICE = 7
GRAMS_PER_SHEET = 4.6  # the default co2e_grams_per_sheet


def sheets(pages: int, copies: int, duplex: bool) -> int:
    return math.ceil(pages / 2) * copies if duplex else pages * copies


@pytest.mark.parametrize(
    ("name", "keys", "switched"),
    [
        (AGENDA, ("d", "m"), "2-sided, black and white"),  # 3 pages, 1 colour, 3 copies
        ("Board minutes.pdf", ("d",), "2-sided"),  # 4 pages, no colour
        ("Flyer.pdf", ("m",), "black and white"),  # 2 pages, both colour, 10 copies, 2-sided already
    ],
)
async def test_the_receipt_says_what_2_sided_and_black_and_white_saved(server, clock, name, keys, switched):
    wire = Wire(server)
    ui = build_station(lambda: StationClient("http://station.test", transport=wire), clock,
                       settings=Settings(printer="1"))
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        arrived = job(server, name)
        listed = Decimal(arrived["cost_cents"]) / 100
        before = balance(server, ALICE)
        await go_to(pilot, arrived["id"])
        for key in keys:
            await pilot.press(key)
        if "d" in keys:
            await until(pilot, lambda: cell(pilot, arrived["id"], "sides").startswith("2-sided"), "2-sided")
        if "m" in keys:
            await until(pilot, lambda: cell(pilot, arrived["id"], "colour").startswith("mono"), "black and white")
        await pilot.press("r")
        await until(pilot, lambda: pilot.app.screen.query("#yes"), "the release question")
        await pilot.press("enter")
        await until(pilot, lambda: "Released 1 job" in shown(pilot, "#status"), "the release")
        charged = before - balance(server, ALICE)
        vendor = server.state.settings.api == "vendor"
        saved = Decimal(0) if vendor else listed - charged  # the vendor's answer does not say what it charged
        assert Decimal(0) < listed - charged < listed  # the server priced the switch (the positive control)

        await pilot.press("R")
        await until(pilot, lambda: isinstance(ui.screen, ReceiptModal), "the receipt")
        sums = shown(pilot, "#receipt-sums")
        lines = " ".join(shown(pilot, ".receipt-job-words").split())
        was = sheets(arrived["page_count"], arrived["copies"], bool(arrived["duplex"]))
        now = sheets(arrived["page_count"], arrived["copies"], bool(arrived["duplex"]) or "d" in keys)
        pages = arrived["page_count"] * arrived["copies"]
        assert f"Released 1 job at printer 1: {pages} pages, {now} sheets" in sums
        if vendor:  # never a figure the server did not give: the listed cost, said to be that
            assert f"default account: {money(listed)} as listed" in sums
            assert f"{now} sheets, {money(listed)} as listed" in lines
        else:
            assert f"Personal credit: {money(charged, 'EUR')}, {money(before - charged)} left" in sums
            assert f"{now} sheets, {money(charged, 'EUR')};" in lines and "as listed" not in sums + lines
        fewer = was - now
        grams = round(fewer * GRAMS_PER_SHEET)
        said = [money(saved, "" if vendor else "EUR")] if saved else []
        said += [f"{fewer} sheets"] if fewer else []
        if said:
            assert f"saved {' and '.join(said)} ({switched})" in lines
            assert f"Saved {', '.join(said)}" + (f", ~{grams} g CO2e" if fewer else "") in sums
        else:  # black and white where the server does not say its price: nothing saved is claimed
            assert "Saved" not in sums and "saved" not in lines
