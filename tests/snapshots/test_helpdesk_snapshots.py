"""What the helpdesk looks like at 80x24: the people list, the audit, the reason dialog."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input

from station.api.client import HELPDESK_SCOPE, StationClient
from station.config import Settings
from station.server.seed import ALICE
from station.ui.modals import ReasonModal
from station.ui.screens.audit import AuditScreen
from station.ui.screens.helpdesk import HelpdeskScreen
from station.ui.screens.owner_jobs import OwnerJobsScreen

from .conftest import until

SIZE = (80, 24)


def as_carol(*keys: str, then: type | None = None, wait: Callable[[Pilot], bool] | None = None
             ) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        await until(pilot, lambda: pilot.app.screen.query("#username"))
        pilot.app.screen.query_one("#username", Input).value = "carol"
        pilot.app.screen.query_one("#password", Input).value = "carol-pw"
        pilot.app.screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpdeskScreen))
        await until(pilot, lambda: pilot.app.screen.query_one("#users").row_count == 4)
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete() if then is None else await pilot.pause()
        if then is not None:
            await until(pilot, lambda: isinstance(pilot.app.screen, then))
        if wait is not None:
            await until(pilot, lambda: wait(pilot))
        await pilot.pause()

    return run_before


def test_helpdesk_people(snap_compare, station):
    assert snap_compare(station(settings=Settings(helpdesk=True)), run_before=as_carol(), terminal_size=SIZE)


def test_helpdesk_audit(snap_compare, station, app):
    import asyncio

    import httpx

    async def change() -> None:
        async with StationClient("http://station.test", transport=httpx.ASGITransport(app=app)) as client:
            await client.login_password("carol", "carol-pw", scope=HELPDESK_SCOPE)
            jobs = {job.name: job for job in (await client.jobs(owner_id=ALICE)).jobs}
            await client.patch_job(jobs["Flyer.pdf"].id, project_id=3, reason="Asked at the desk [b]now[/b]")
            board = jobs["Board minutes.pdf"].id
            await client.process([board], owner="alice", reason="Printer jammed; printed for her")

    asyncio.run(change())
    steps = as_carol("h", then=AuditScreen, wait=lambda pilot: pilot.app.screen.query_one("#table").row_count == 2)
    assert snap_compare(station(settings=Settings(helpdesk=True)), run_before=steps, terminal_size=SIZE)


def test_helpdesk_reason(snap_compare, station):
    async def run_before(pilot: Pilot) -> None:
        await as_carol("enter", then=OwnerJobsScreen)(pilot)
        await until(pilot, lambda: pilot.app.screen.query_one("#jobs").row_count == len(pilot.app.screen.jobs))
        await pilot.press("f")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReasonModal))
        await pilot.press("enter")  # empty: refused in words
        await pilot.pause()

    assert snap_compare(station(settings=Settings(helpdesk=True)), run_before=run_before, terminal_size=SIZE)
