"""Bare Textual peers of the station for login_to_list and release_500 (issue 13): apps that do
the same work with nothing of station's, so that a ratio compares a UI with a UI.

- `BareLogin`: Enter in an Input builds an httpx client (inside the clock), gets the token,
  sends the same three GETs together, parses the JSON and switches to a screen with a bare
  `DataTable` of the same rows.
- `BareRelease`: holds the same 500 rows in a bare `DataTable`; a key sends the same
  `POST /v3/jobs/process` with raw httpx on a warm connection and clears the table.

Kept apart from `bare_app.py`, whose import time is the startup baseline.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input

COLUMNS = ("Name", "Submitted", "Pages", "Colour", "Copies", "Sides", "Cost", "Project", "Expires")
TOKEN_BODY = {
    "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
    "scope": "jobs offline.access", "login_info": {"type": 2, "pin": "1234"},
}


def job_rows(jobs: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """The cells the station's job list shows, as plain strings from the wire's JSON."""
    return [
        (
            str(job.get("name", "")), str(job.get("dateTime", ""))[:16], str(job.get("pageCount", 0)),
            str(job.get("colorCount", 0)), str(job.get("copies", 1)),
            "2-sided" if job.get("duplex") else "1-sided", f"{job.get('cost', 0):.2f}",
            str(job.get("projectId") or "-"), str(job.get("expiresAt", ""))[:16],
        )
        for job in jobs
    ]


class RowsScreen(Screen[None]):
    """A bare DataTable of the rows."""

    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows
        self.table: DataTable[str] = DataTable(cursor_type="row")

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        self.table.add_columns(*COLUMNS)
        self.table.add_rows(self.rows)


class BareLogin(App[None]):
    """A PIN input; Enter logs in and shows the person's jobs in a bare DataTable."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.http: httpx.AsyncClient | None = None

    def compose(self) -> ComposeResult:
        yield Input(id="secret", password=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.log_in(event.value)

    @work(exclusive=True)
    async def log_in(self, pin: str) -> None:
        self.http = http = httpx.AsyncClient(base_url=self.base + "/api")  # inside the clock, as a login does
        body = {**TOKEN_BODY, "login_info": {"type": 2, "pin": pin}}
        token = (await http.post("/auth/token", json=body)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        jobs, me, projects = await asyncio.gather(
            http.get("/v3/jobs", params={"limit": 500}, headers=headers),
            http.get("/v3/users/me", headers=headers),
            http.get("/v3/projects", params={"limit": 500}, headers=headers),
        )
        me.json()  # parsed, as the station reads who is logged in and what they may charge
        projects.json()
        await self.push_screen(RowsScreen(job_rows(jobs.json()["jobs"])))

    async def log_out(self) -> None:
        """Back to the input, the client closed (between rounds, outside the clock)."""
        if self.http is not None:
            await self.http.aclose()
            self.http = None
        await self.pop_screen()


class BareRelease(App[None]):
    """The person's jobs in a bare DataTable; `r` releases them all and clears the table."""

    BINDINGS = [Binding("r", "release", "Release")]

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.http = httpx.AsyncClient(base_url=base + "/api")
        self.headers: dict[str, str] = {}
        self.ids: list[int] = []
        self.released = False
        self.table: DataTable[str] = DataTable(cursor_type="row")

    def compose(self) -> ComposeResult:
        yield self.table

    async def load(self) -> None:
        """Log in and fill the table (outside the clock); the connection stays warm."""
        token = (await self.http.post("/auth/token", json=TOKEN_BODY)).json()["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}
        jobs = (await self.http.get("/v3/jobs", params={"limit": 500}, headers=self.headers)).json()["jobs"]
        self.ids = [job["id"] for job in jobs]
        self.table.add_columns(*COLUMNS)
        self.table.add_rows(job_rows(jobs))

    @work(exclusive=True)
    async def action_release(self) -> None:
        body = {"jobIds": self.ids, "owner": "alice", "projectId": 0, "account": "credit"}
        answer = await self.http.post("/v3/jobs/process", json=body, headers=self.headers)
        assert answer.status_code == 202, answer.text
        self.table.clear()
        self.released = True

    async def on_unmount(self) -> None:
        await self.http.aclose()
