"""The undo window as a person sees it: a kiosk's release confirmed, "Undo (u)" and the seconds
left above the totals, `u` first in the footer (`--snapshot-update` to accept). The clock stands
still, so the countdown shows all 8 seconds."""

from __future__ import annotations

import pytest

from station.config import Settings
from station.ui.modals import ReleaseConfirm

from .support import until

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]


@pytest.mark.parametrize("size", SIZES)
def test_undo_window(snap_compare, station, logged_in, size):
    async def run_before(pilot) -> None:
        await logged_in("1234", "space", "down", "space", "r", then=ReleaseConfirm)(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: "Undo (u)" in str(pilot.app.screen.query_one("#undo").render()))
        await pilot.pause()

    ui = station(settings=Settings(undo_seconds=8, kiosk=True), idle_scale=100_000)
    assert snap_compare(ui, run_before=run_before, terminal_size=size)
