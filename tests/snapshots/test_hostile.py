"""The jobs screen with hostile job names, at 80x24 (`--snapshot-update` to accept).

Markup, escape sequences, control characters, right-to-left text, wide characters, emoji and a
name as long as the server allows: each shows as the letters it holds, cut with an ellipsis,
and the columns stay where they are.
"""

from __future__ import annotations

import asyncio

import httpx
from textual.widgets import Input

from station.api.client import StationClient
from station.ui.screens.jobs import JobsScreen



async def until(pilot, condition, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, f"timed out waiting for {condition}"
        await pilot.pause(0.01)

NAMES = [
    "[bold red]PAID[/] [link=http://evil.example]here[/link]",
    "\x1b[31mred\x1b[0m\x1b[2J\x07bell\x08.pdf",
    "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07 \x1b]0;owned\x07title.pdf",
    "tab\there\nnew\rline\x00nul\x7fdel.pdf",
    "\u202eexe.fdp\u202c שלום עולם مرحبا.pdf",
    "報告書第３四半期の売上とコスト分析の全資料.pdf",
    "🖨️ Tickets 👩\u200d👩\u200d👧 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉.pdf",
    "L" * 1000,
]


def test_jobs_with_hostile_names(snap_compare, station, app):
    async def run_before(pilot) -> None:
        async with StationClient("http://station.test", transport=httpx.ASGITransport(app=app)) as dave:
            await dave.login_pin("9012")
            for name in NAMES:
                await dave.spool(queue="direct", owner="dave", name=name, job_info={"pageCount": 1})
        await until(pilot, lambda: pilot.app.screen.query("#secret"))
        pilot.app.screen.query_one("#secret", Input).value = "9012"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen))
        await until(pilot, lambda: pilot.app.screen.query_one("#jobs").row_count == len(NAMES))
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(station(), run_before=run_before, terminal_size=(80, 24))
