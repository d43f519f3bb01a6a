"""Helpers of the UI tests: drive the app like a person, read what they see and what the
server now holds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import WorkerCancelled

from station.ui.screens.jobs import JobsScreen
from station.ui.widgets.job_table import JobTable


class Wire(httpx.AsyncBaseTransport):
    """The in-process server behind a wire that a test can cut (`down = True`).

    It logs each request and how many were in flight at once, and each answer's status (the
    body too of a 401); `delay` holds each request a moment so that requests sent together are
    seen together.
    """

    def __init__(self, app: Any, delay: float = 0.0) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.down = False
        self.delay = delay
        self.requests: list[tuple[str, str]] = []
        self.in_flight = 0
        self.rounds: list[list[str]] = []  # requests grouped by when they were in flight together
        self.answers: list[tuple[str, str, int]] = []  # (method, path, status)
        self.refusals: list[bytes] = []  # the bodies of the 401 answers
        self.refused: list[tuple[str, str]] = []  # the requests that found the wire cut

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            self.refused.append((request.method, request.url.path))
            raise httpx.ConnectError("connection refused", request=request)
        self.requests.append((request.method, request.url.path))
        if self.in_flight == 0:
            self.rounds.append([])
        self.rounds[-1].append(f"{request.method} {request.url.path}")
        self.in_flight += 1
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            response = await self.inner.handle_async_request(request)
            self.answers.append((request.method, request.url.path, response.status_code))
            if response.status_code == 401:
                body = await response.aread()
                self.refusals.append(body)
                return httpx.Response(401, headers=response.headers, content=body)
            return response
        finally:
            self.in_flight -= 1

    def reset(self) -> None:
        self.requests.clear()
        self.rounds.clear()
        self.answers.clear()
        self.refusals.clear()


async def until(pilot: Pilot, condition: Callable[[], object], what: str = "", timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds (fail after `timeout` seconds: long, because a
    busy machine is slow; a test that passes never waits for it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not _holds(condition):
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.01)


def _holds(condition: Callable[[], object]) -> bool:
    try:
        return bool(condition())
    except NoMatches:  # the screen it looks at is not composed yet
        return False


async def settle(pilot: Pilot) -> None:
    """Wait for the workers that are running to finish, then for the screen to catch up.

    A worker cancelled meanwhile has finished too (a logout cancels the print follow): only a
    worker that failed is an error here.
    """
    for worker in list(pilot.app.workers):
        try:
            await worker.wait()
        except WorkerCancelled:
            pass
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*text)


async def log_in(pilot: Pilot, secret: str = "1234", *, typed: bool = False) -> JobsScreen:
    """A PIN or card number and Enter, as at the kiosk; wait for the job list.

    `typed`: key by key, as a person or a card reader types (slower: each key is a pause);
    else the field is filled at once, which is what the many tests about other things need.
    """
    await until(pilot, lambda: pilot.app.screen.query_one("#secret"), "the login screen")
    if typed:
        await type_text(pilot, secret)
    else:
        pilot.app.screen.query_one("#secret", Input).value = secret
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, JobsScreen), "the job list")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, JobsScreen)
    await until(pilot, lambda: screen.query_one(JobTable).row_count == len(screen.jobs), "the rows")
    return screen


def text(widget: Widget) -> str:
    """What a Static (or any widget that renders text) shows; for a row of widgets (a label and
    its value), theirs side by side, each as wide as it is drawn."""
    if widget.children:
        return "".join(text(child).ljust(child.outer_size.width) for child in widget.children).rstrip()
    visual = widget.render()
    return getattr(visual, "plain", str(visual))


def shown(pilot: Pilot, selector: str) -> str:
    """The text of every widget on the current screen that matches, one line each."""
    return "\n".join(text(widget) for widget in pilot.app.screen.query(selector))


def table(pilot: Pilot) -> JobTable:
    return pilot.app.screen.query_one(JobTable)


def row(pilot: Pilot, job_id: int) -> list[str]:
    """The cells of a job's row as a person reads them (stripped)."""
    return [cell.plain.strip() for cell in table(pilot).cells(job_id)]


def cell(pilot: Pilot, job_id: int, column: str) -> str:
    return table(pilot).cell(job_id, column).plain.strip()


def names(pilot: Pilot) -> list[str]:
    """The job names in table order."""
    grid = table(pilot)
    return [grid.cell(job_id, "name").plain.strip() for job_id in grid.ordered_ids]


async def go_to(pilot: Pilot, job_id: int) -> None:
    """Put the cursor on a job's row (as the arrow keys would; test_jobs presses them)."""
    table(pilot).move_to_job(job_id)
    await pilot.pause()


async def select(pilot: Pilot, app: Any, *names: str) -> list[int]:
    """Select these jobs (space on each, found by name); their ids."""
    ids = [job(app, name)["id"] for name in names]
    for job_id in ids:
        await go_to(pilot, job_id)
        await pilot.press("space")
    return ids


async def press_for(pilot: Pilot, key: str, screen: type) -> None:
    """Press a key and wait for the screen (a dialog, say) it opens."""
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, screen), screen.__name__)


# --- what the server now holds ---------------------------------------------------------------


def store(app: Any):
    return app.state.store


def job(app: Any, name: str) -> dict[str, Any]:
    with store(app).read() as db:
        found = db.one("SELECT * FROM jobs WHERE name = ?", (name,))
    assert found is not None, f"no job named {name!r}"
    return dict(found)


def balance(app: Any, user_id: int, account: str = "credit") -> Decimal | None:
    with store(app).read() as db:
        cents = db.scalar("SELECT balance_cents FROM accounts WHERE user_id = ? AND id = ?", (user_id, account))
    return None if cents is None else Decimal(cents) / 100


def audit(app: Any, action: str) -> list[dict[str, Any]]:
    with store(app).read() as db:
        return [dict(entry) for entry in db.all("SELECT * FROM audit WHERE action = ? ORDER BY id", (action,))]
