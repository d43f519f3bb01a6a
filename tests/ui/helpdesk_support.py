"""Helpers of the helpdesk's tests: log staff in, find a person, open their jobs, give a reason."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input

from station.api.client import HELPDESK_SCOPE
from station.config import Settings
from station.server.seed import ALICE
from station.ui.modals import ReasonModal
from station.ui.screens.helpdesk import HelpdeskScreen
from station.ui.screens.owner_jobs import OwnerJobsScreen
from station.ui.widgets.job_table import JobTable

from .support import until

REASON = "Asked at the desk [bold]ticket 4711[/bold]"  # shown as typed, never as markup


def helpdesk(station: Any) -> Any:
    return station(settings=Settings(helpdesk=True))


async def staff_login(pilot: Any, user: str = "carol", password: str = "carol-pw") -> None:
    await until(pilot, lambda: pilot.app.screen.query_one("#username"), "the login screen")
    screen = pilot.app.screen
    screen.query_one("#username", Input).value = user
    screen.query_one("#password", Input).value = password
    screen.query_one("#password", Input).focus()
    await pilot.press("enter")


async def people(pilot: Any) -> HelpdeskScreen:
    await staff_login(pilot)
    await until(pilot, lambda: isinstance(pilot.app.screen, HelpdeskScreen), "the people list")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.query_one("#users", DataTable).row_count > 0, "the people")
    return screen


def usernames(screen: HelpdeskScreen) -> list[str]:
    table = screen.query_one("#users", DataTable)
    return [str(table.get_row_at(index)[1]).strip() for index in range(table.row_count)]


async def open_person(pilot: Any, username: str) -> OwnerJobsScreen:
    screen = await people(pilot)
    table = screen.query_one("#users", DataTable)
    target = usernames(screen).index(username)
    while table.cursor_row != target:
        await pilot.press("down")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, OwnerJobsScreen), "the person's jobs")
    jobs = pilot.app.screen
    await until(pilot, lambda: jobs.query_one(JobTable).row_count == len(jobs.jobs), "the rows")
    return jobs


async def give_reason(pilot: Any, reason: str = REASON) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, ReasonModal), "the reason dialog")
    pilot.app.screen.query_one("#reason", Input).value = reason
    await pilot.press("enter")


async def helpdesk_change(connect: Any, reason: str = REASON) -> None:
    """carol gives alice's Flyer a project, with a reason, over the wire (not through the UI)."""
    async with connect() as client:
        await client.login_password("carol", "carol-pw", scope=HELPDESK_SCOPE)
        flyer = next(j for j in (await client.jobs(owner_id=ALICE)).jobs if j.name == "Flyer.pdf")
        await client.patch_job(flyer.id, project_id=3, reason=reason)
