"""Every owner's pending jobs, for the helpdesk: a page at a time, searched on the server.

Station's profile `GET /v3/jobs?all=true` pages and searches on the server, so 10,000 waiting
jobs cost one page of 100 rows here. `n`/`p` turn pages, `/` searches job names, `s` changes the
order, Enter opens the highlighted job's owner with the cursor on that job, to act for them.
"""

from __future__ import annotations

import asyncio
import logging

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from station.api.errors import ApiError, SessionExpired
from station.api.models import Job
from station.text import plain
from station.ui.context import Context
from station.ui.messages import SessionEnded
from station.ui.session import Session
from station.ui.text import ago, cents
from station.ui.widgets.fixed_columns import column_widths, cursor_id, fit_row, set_columns
from station.ui.widgets.header import SessionHeader
from station.ui.widgets.keybar import KeyBar

log = logging.getLogger("station.ui")

PAGE = 100
SEARCH_DELAY = 0.2
SORTS = (("-dateTime", "newest first"), ("dateTime", "oldest first"), ("name", "name"), ("-cost", "dearest first"))

# key, heading, width (0: what is left), right-aligned
COLUMNS = (
    ("owner", "Owner", 10, False),
    ("name", "Name", 0, False),
    ("submitted", "Submitted", 11, False),
    ("pages", "Pages", 6, True),
    ("cost", "Cost", 8, True),
    ("state", "State", 10, False),
)


class AllJobsTable(DataTable):
    """A page of jobs; Enter opens the highlighted job's owner, to act for them."""

    BINDINGS = [Binding("enter", "select_cursor", "act for owner", id="all_jobs.open")]


class AllJobsScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "page(1)", "next page", id="all_jobs.next"),
        Binding("p", "page(-1)", "previous page", id="all_jobs.previous"),
        Binding("slash", "search", "search", key_display="/", id="all_jobs.search"),
        Binding("s", "sort", "sort", id="all_jobs.sort"),
        Binding("escape", "back", "back", key_display="esc", id="all_jobs.back"),
        Binding("down", "to_table", "to the list", show=False, id="all_jobs.to_table"),
    ]

    def __init__(self, context: Context, session: Session, *, page_size: int = PAGE) -> None:
        super().__init__()
        self.context = context
        self.session = session
        self.page_size = page_size
        self.start = 0
        self.count = 0
        self.search = ""
        self.sort = 0
        self.jobs: dict[int, Job] = {}

    def compose(self) -> ComposeResult:
        yield SessionHeader(demo=self.context.demo is not None, id="header")
        field = Input(placeholder="Search job names (on the server) · Enter to the list", id="all-search",
                      max_length=200, compact=True)
        yield field
        yield AllJobsTable(cursor_type="row", cell_padding=0, zebra_stripes=False, id="all-jobs")
        yield Static(id="all-empty")
        yield Static(id="all-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(SessionHeader).show("All jobs", "every owner's waiting jobs")
        self.query_one("#all-empty").display = False
        self.query_one("#all-jobs", DataTable).focus()
        self.say("Loading…")
        self._load()

    def on_resize(self) -> None:
        self._columns()

    # --- keys -------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":
            (step,) = parameters
            if step == 1 and self.start + self.page_size >= self.count:  # type: ignore[operator]
                return None
            if step == -1 and self.start == 0:
                return None
        if action == "open" and not self.jobs:
            return None
        return True

    def action_page(self, step: int) -> None:
        start = max(0, self.start + step * self.page_size)
        if step > 0 and start >= self.count:
            return
        self.start = start
        self._load()

    def action_search(self) -> None:
        self.query_one("#all-search", Input).focus()

    def action_to_table(self) -> None:
        self.query_one("#all-jobs", DataTable).focus()

    def action_sort(self) -> None:
        self.sort = (self.sort + 1) % len(SORTS)
        self.start = 0
        self._load()

    def action_back(self) -> None:
        self.dismiss()

    @on(Input.Changed, "#all-search")
    def _changed(self, event: Input.Changed) -> None:
        self.search = plain(event.value).strip()
        self.start = 0
        self._load(delay=SEARCH_DELAY)

    @on(Input.Submitted, "#all-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_to_table()

    # --- loading a page -------------------------------------------------------------------------

    @work(exclusive=True, group="all-jobs", exit_on_error=False)
    async def _load(self, delay: float = 0) -> None:
        if delay:
            await asyncio.sleep(delay)  # typing on: only the last search goes out
        sort, order = SORTS[self.sort]
        try:
            page = await self.session.client.jobs(
                all_owners=True, search=self.search or None, sort=sort, limit=self.page_size, start=self.start
            )
        except SessionExpired as error:
            self.post_message(SessionEnded(error.human))
            return
        except ApiError as error:
            self.say(error.human, error=True)
            return
        self.count = page.count
        self.jobs = {job.id: job for job in page.jobs}
        self._fill()
        if page.jobs:
            pages = -(-page.count // self.page_size)
            self.say(
                f"Jobs {self.start + 1}–{self.start + len(page.jobs)} of {page.count:,} · "
                f"page {self.start // self.page_size + 1} of {pages:,} · {order}"
            )
        elif self.search:
            self.say(f"No waiting job is named like “{self.search}”.")
        else:
            self.say("No job is waiting.")
        self.refresh_bindings()

    # --- drawing ----------------------------------------------------------------------------------

    def _widths(self) -> list[int]:
        return column_widths(COLUMNS, self.size.width, least=12)

    def _columns(self) -> None:
        table = self.query_one("#all-jobs", DataTable)
        with self.app.batch_update():
            if set_columns(table, COLUMNS, self._widths()):
                self._rows()

    def _fill(self) -> None:
        table = self.query_one("#all-jobs", DataTable)
        if not table.columns:
            self._columns()
            return
        with self.app.batch_update():
            table.clear()
            self._rows()

    def _rows(self) -> None:
        table = self.query_one("#all-jobs", DataTable)
        widths = self._widths()
        now = self.context.now()
        for job in self.jobs.values():
            cells = [
                Text(plain(job.owner or f"#{job.owner_id}")),
                Text(plain(job.name) or f"job {job.id}"),
                Text(ago(job.date_time, now)),
                Text(str(job.pages)),
                Text(f"{cents(job.cost):.2f}"),
                Text("question" if job.is_paused else plain(job.state or "")),
            ]
            table.add_row(
                *fit_row(cells, COLUMNS, widths),
                key=str(job.id),
            )
        table.display = bool(self.jobs)
        empty = self.query_one("#all-empty", Static)
        empty.update(Content("No job here."))
        empty.display = not self.jobs

    def highlighted(self) -> Job | None:
        return self.jobs.get(cursor_id(self.query_one("#all-jobs", DataTable)))

    # --- acting on a job --------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#all-jobs")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        job = self.highlighted()
        if job is None or job.owner_id is None:
            self.say("No job to open.")
            return
        self._open(job)

    @work(exclusive=True, group="open", exit_on_error=False)
    async def _open(self, job: Job) -> None:
        from station.ui.screens.helpdesk import find_user, visit

        self.say(f"Opening the jobs of {plain(job.owner or '')}…")
        try:
            owner = await find_user(self.session.client, job.owner_id or 0, job.owner)
            await visit(self.app, self.context, self.session, owner, focus_job=job.id)
        except SessionExpired as error:
            self.post_message(SessionEnded(error.human))
            return
        except ApiError as error:
            self.say(error.human, error=True)
            return

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_away", False):
            self._away = False
            self._load()  # back from acting for someone: the page may have changed

    def say(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#all-status", Static)
        status.update(Content(plain(message, limit=300)))
        status.set_class(error, "-error")
