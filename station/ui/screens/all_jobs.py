"""Every owner's pending jobs, for the helpdesk: a page at a time, searched on the server.

Station's profile `GET /v3/jobs?all=true` pages and searches on the server, so 10,000 waiting
jobs cost one page of 100 rows here. `n`/`p` turn pages, `/` searches job names, `s` changes the
order, Enter opens the highlighted job's owner with the cursor on that job, to act for them;
`b` there comes back here. The highlighted job's whole name shows under the table.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Input

from station.api.errors import ApiError, SessionExpired
from station.api.models import Job
from station.i18n import N_, _
from station.untrusted import plain
from station.ui.context import Context
from station.ui.messages import SessionEnded
from station.ui.screens.paged_table import PAGE, PagedTableScreen, paging_bindings
from station.ui.session import Session
from station.format import STATE_WORDS, ago, decimal, state_word, time_left
from station.ui.widgets.fixed_columns import FixedColumnsTable
from station.ui.widgets.job_detail import MOST, name_lines

SEARCH_DELAY = 0.2
SORTS = (
    ("-dateTime", N_("newest first")), ("dateTime", N_("oldest first")), ("name", N_("name")),
    ("-cost", N_("dearest first")),
)

# key, heading, width (0: what is left), right-aligned
COLUMNS = (
    ("owner", N_("Owner"), 10, False),
    ("name", N_("Name"), 0, False),
    ("submitted", N_("Submitted"), 11, False),
    ("pages", N_("Pages"), 6, True),  # per copy, as in the job list
    ("cost", N_("Cost"), 8, True),
    ("state", N_("State"), 10, False),
)

OpenJob = Callable[[Job], Awaitable[None]]  # opens the job's owner, to act for them, on that job


class AllJobsTable(FixedColumnsTable):
    """A page of jobs; Enter opens the highlighted job's owner, to act for them."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", N_("act for owner"), id="all_jobs.open")]


class AllJobsScreen(PagedTableScreen[Job]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *paging_bindings("all_jobs"),
        Binding("slash", "search", N_("search"), key_display="/", id="all_jobs.search"),
        Binding("s", "sort", N_("sort"), id="all_jobs.sort"),
        Binding("down", "to_table", N_("to the list"), show=False, id="all_jobs.to_table"),
    ]
    COLUMNS = COLUMNS
    LEAST = 12
    EMPTY = N_("No job here.")
    DETAIL = True  # the highlighted job's whole name, its owner, times and queue
    SEARCH = N_("Search job names (on the server) · Enter to the list")
    TABLE = AllJobsTable

    def __init__(self, context: Context, session: Session, open_job: OpenJob, *, page_size: int = PAGE) -> None:
        super().__init__(context, title=_("All jobs"), subtitle=_("every owner's waiting jobs"), page_size=page_size)
        self.session = session
        self.open_job = open_job
        self.search = ""
        self.sort = 0
        self._away = False

    # --- the page -----------------------------------------------------------------------------------

    async def fetch(self) -> tuple[list[Job], int]:
        page = await self.session.client.jobs(
            all_owners=True, search=self.search or None, sort=SORTS[self.sort][0],
            limit=self.page_size, start=self.start,
        )
        return page.jobs, page.count

    def row_id(self, row: Job) -> int:
        return row.id

    def where(self, shown: int) -> str:
        pages = -(-self.count // self.page_size)
        return (
            _("Jobs {first}–{last} of {count:,} · page {page} of {pages:,} · {sort}").format(
                first=self.start + 1, last=self.start + shown, count=self.count, page=self.start // self.page_size + 1,
                pages=pages, sort=_(SORTS[self.sort][1]),
            )
        )

    def nothing(self) -> str:
        return _("No waiting job is named like “{search}”.").format(
            search=self.search,
        ) if self.search else _("No job is waiting.")

    def cells(self, row: Job) -> list[Text]:
        return [
            Text(plain(row.owner or f"#{row.owner_id}")),
            Text(plain(row.name) or _("job {id}").format(id=row.id)),
            Text(ago(row.date_time, self.context.now())),
            Text(str(row.page_count)),
            Text(decimal(row.cost)),
            Text(_(STATE_WORDS["paused"]) if row.is_paused else state_word(row.state)),
        ]

    def detail(self, row: Job) -> Content:
        """The whole name (two lines at most), then whose it is, its times and its queue."""
        width = self.query_one("#detail").content_size.width or self.size.width - 2
        lines = [line.stylize("bold") for line in name_lines(plain(row.name[:MOST]) or _("job {id}").format(
            id=row.id,
        ), width)]
        now = self.context.now()
        facts = [_("Owner {owner}").format(owner=plain(row.owner or f'#{row.owner_id}')), _("submitted {ago}").format(
            ago=ago(row.date_time, now),
        )]
        if row.expires_at is not None:
            left = time_left(row.expires_at, now)
            facts.append(left if left == _("expired") else _("expires in {left}").format(left=left))
        if row.queue:
            facts.append(_("queue {queue}").format(queue=plain(row.queue)))
        return Content("\n").join([*lines, Content(" · ".join(facts)).truncate(width, ellipsis=True)])

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_detail)  # the name wrapped anew, at the new width

    # --- keys -------------------------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_to_table(self) -> None:
        self.table.focus()

    def action_sort(self) -> None:
        self.sort = (self.sort + 1) % len(SORTS)
        self.start = 0
        self.load()

    @on(Input.Changed, "#search")
    def _changed(self, event: Input.Changed) -> None:
        self.search = plain(event.value).strip()
        self.start = 0
        self.load(delay=SEARCH_DELAY)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_to_table()

    # --- acting on a job --------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        job = self.highlighted()
        if job is None or job.owner_id is None:
            self.say(_("No job to open."))
            return
        self._open(job)

    @work(exclusive=True, group="open", exit_on_error=False)
    async def _open(self, job: Job) -> None:
        self.say(_("Opening the jobs of {name}…").format(name=plain(job.owner or '')))
        try:
            await self.open_job(job)
        except SessionExpired as error:
            self.post_message(SessionEnded(error.human))
        except ApiError as error:
            self.say(error.human, error=True)

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        if self._away:  # back from acting for someone: the page may have changed
            self._away = False
            self.load()
