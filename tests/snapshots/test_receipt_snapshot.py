"""The receipt at logout, at 100x30 (`--snapshot-update` to accept): alice's session on the demo
server (one job switched to 2-sided, two released to her credit, one to Marketing, one canceled),
shown over the login screen as the logout will show it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from station.api.client import StationClient
from station.config import Settings
from station.ui.modals.receipt import ReceiptModal
from station.ui.receipt import Receipt
from station.ui.widgets.qr import QRCode
from station.server.seed import AGENDA

from .support import until


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The receipt shows local time: the snapshot's local time is UTC, wherever it runs."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def alices_session(app: Any, clock: Any) -> Receipt:
    times = iter([clock(), clock() + timedelta(minutes=11)])  # the session's start, then its end
    paper = Receipt(lambda: next(times), co2e_grams_per_sheet=Settings().co2e_grams_per_sheet)
    async with StationClient("http://station.test", transport=httpx.ASGITransport(app=app)) as alice:
        await alice.login_pin("1234")
        me = await alice.me()
        arrived = {job.name: job for job in (await alice.jobs()).jobs}
        paper.seen(arrived.values())
        board, claim, agenda, tickets = (arrived[name].id for name in (
            "Board minutes.pdf", "Expense claim.xlsx", AGENDA, "Train tickets Berlin.pdf"))
        await alice.set_duplex(board, True)
        first = await alice.process([board, claim], owner="alice", account="credit")
        paper.released(first.jobs, charged=first.charged, account=me.account("credit"), balance=first.balance)
        second = await alice.process([agenda], owner="alice", account="cc:marketing")
        paper.released(second.jobs, charged=second.charged, account=me.account("cc:marketing"))
        await alice.cancel_jobs([tickets])
        paper.canceled([arrived["Train tickets Berlin.pdf"]])
    paper.end()
    return paper


def test_receipt(snap_compare, station, app, clock, utc):
    async def run_before(pilot):
        await until(pilot, lambda: pilot.app.screen.query("#secret"))
        pilot.app.push_screen(ReceiptModal(await alices_session(app, clock)))
        await until(pilot, lambda: any(qr.region.height for qr in pilot.app.screen.query(QRCode)))
        await pilot.pause()

    assert snap_compare(station(), run_before=run_before, terminal_size=(100, 30))
