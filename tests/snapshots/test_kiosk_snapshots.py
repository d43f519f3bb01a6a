"""Kiosk and demo pictures at 80x24: the idle countdown, and the jobs in high contrast
(`--snapshot-update` to accept). The countdown is ticked by hand, so it always shows 6 seconds."""

from __future__ import annotations

import asyncio

from station.config import Settings

SIZE = (80, 24)


def test_kiosk_countdown(snap_compare, station, logged_in):
    login = logged_in("1234")

    async def run_before(pilot) -> None:
        await login(pilot)
        for _ in range(14):  # 20 - 14: six seconds left
            pilot.app.kiosk.idle.tick()
        for _ in range(500):
            if pilot.app.screen.query("#idle-left"):
                break
            await asyncio.sleep(0.01)
        await pilot.pause()

    ui = station(settings=Settings(kiosk=True, idle_timeout=20), idle_scale=100_000)
    assert snap_compare(ui, run_before=run_before, terminal_size=SIZE)


def test_high_contrast_jobs(snap_compare, station, logged_in):
    ui = station(settings=Settings(theme="high-contrast", kiosk=True), idle_scale=100_000)
    assert snap_compare(ui, run_before=logged_in("1234", "space", "down", "down"), terminal_size=SIZE)
