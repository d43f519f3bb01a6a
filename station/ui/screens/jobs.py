"""The jobs screen: a person's pending jobs, what they cost, and what to do with them.

Every action follows one path: a key → `action_*` → a worker that awaits `StationClient`
methods → the screen patches its rows by job id. A refused or failed request leaves the table
as it was and says what happened on the status line; no error ends the app.

Actions apply to the selected jobs that the filter shows, else to the highlighted job.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from station.api.client import NO_SIDES
from station.api.errors import (
    ApiError,
    Conflict,
    NotFound,
    ServerUnreachable,
    SessionExpired,
    StaleState,
    Unsupported,
)
from station.api.models import Job, JobStateName, PENDING_STATES, ProcessResult, ScriptReply
from station.api.release import AS_SENT, ReleaseOptions
from station.text import plain
from station.ui.screens.jobs_extras import EXTRA_ACTIONS, JOBS_EXTRA_BINDINGS, JobsExtras
from station.ui.modals import (
    AccountPicker,
    CancelConfirm,
    HelpModal,
    ProjectPicker,
    QuestionModal,
    ReleaseConfirm,
)
from station.ui.faults import Backoff, explain, offline_reason
from station.ui.release_choices import CHOSEN_MARK, ReleaseChoices, how_they_print
from station.ui.session import Session, Totals, close_client
from station.ui.text import NAME_IN_TEXT, count
from station.ui.widgets.banner import ConnectionBanner
from station.ui.widgets.header import SessionHeader
from station.ui.widgets.job_table import SORTABLE, JobTable
from station.ui.widgets.keybar import KeyBar
from station.ui.widgets.waiting import waiting

if TYPE_CHECKING:
    from station.api.models import JobList
    from station.ui.app import StationApp

log = logging.getLogger("station.ui")

MAX_QUESTIONS = 10  # a server that keeps asking is cut short
NEED_JOBS = {
    "toggle_select", "select_all", "sides", "mono", "project", "release", "cancel_jobs", "favorite", "filter", "sort",
}
T = TypeVar("T")
FINISHED = {JobStateName.PRINTED, JobStateName.FAILED, JobStateName.CANCELED, JobStateName.EXPIRED}


async def unless_refused(call: Awaitable[T]) -> T | None:
    """The answer, or None when the print server refused or did not answer."""
    try:
        return await call
    except ApiError:
        return None


@dataclass
class Outcome:
    """How a request of `JobsScreen._request` ended: went through (`done`), or its error."""

    done: bool = False
    error: ApiError | None = None


@dataclass
class Printing:
    """Jobs released in this session that the progress panel follows to the printer."""

    names: dict[int, str] = field(default_factory=dict)
    costs: dict[int, Decimal] = field(default_factory=dict)
    states: dict[int, str] = field(default_factory=dict)
    charged: Decimal | None = Decimal("0")  # None: the print server did not say
    trouble: str = ""  # why the last look at the states failed

    def add(self, jobs: Iterable[Job], charged: Decimal | None, name: Callable[[Job], str]) -> None:
        for job in jobs:
            self.names[job.id] = name(job)
            self.costs[job.id] = job.cost
            self.states[job.id] = JobStateName.PROCESSING
        self.charged = None if charged is None or self.charged is None else self.charged + charged

    @property
    def pending(self) -> list[int]:
        return [job_id for job_id, state in self.states.items() if state not in FINISHED]

    @property
    def done(self) -> bool:
        return not self.pending


class JobsScreen(JobsExtras, Screen[None]):
    BINDINGS = [
        Binding("space", "toggle_select", "select", id="jobs.select"),
        Binding("a", "select_all", "all/none", id="jobs.select_all"),
        Binding("d", "sides", "1/2-sided", id="jobs.sides"),
        Binding("m", "mono", "black & white", id="jobs.mono"),  # at a printer only: a release option
        Binding("p", "project", "project", id="jobs.project"),
        Binding("c", "account", "account", id="jobs.account"),
        Binding("r", "release", "release", id="jobs.release"),
        Binding("x", "cancel_jobs", "cancel", id="jobs.cancel"),
        Binding("f", "favorite", "favorite", id="jobs.favorite"),
        Binding("slash", "filter", "filter", key_display="/", id="jobs.filter"),
        Binding("s", "sort", "sort", id="jobs.sort"),
        Binding("h", "history", "history", id="jobs.history"),
        Binding("l", "logout", "log out", id="jobs.logout"),
        Binding("question_mark", "help", "help", key_display="?", id="jobs.help"),
        Binding("escape", "clear_filter", "clear filter", key_display="esc", id="jobs.clear_filter"),
        Binding("escape", "stop", "stop waiting", show=False, id="jobs.stop"),
        *JOBS_EXTRA_BINDINGS,  # kiosk and demo: jobs_extras.py
    ]

    app: StationApp

    def __init__(self, session: Session, jobs: JobList) -> None:
        super().__init__()
        self.session = session
        self.jobs: dict[int, Job] = {job.id: job for job in jobs.jobs}
        self.total_count = jobs.count
        self.rejected = list(jobs.rejected)
        self.selected: set[int] = set()
        self.base_cost: dict[int, Decimal] = {job.id: job.cost for job in jobs.jobs}
        self.filter_text = ""
        self._busy = ""  # what a change in flight is doing; one at a time
        self._changes = 0  # bumped by every change, so a refresh that raced one is dropped
        self._session_closed = False
        self._stale = False  # the last refresh failed and said so
        self._totals_fit = False  # the totals line holds one line that fits its width
        self._drawn_minute = 0  # the minute the times in the rows were last drawn for
        self._had_jobs = bool(self.jobs)  # the keys that need a job are dimmed without one
        self._refresh_timer: Timer | None = None  # the one quiet refresh to come
        self._wait_note = ""  # said beside the spinner: why Escape does not stop the request
        self._backoff = Backoff()  # while the print server cannot be reached (set on mount)
        self.printing = Printing()
        self._leaving = False
        # Jobs whose release or cancel was sent without an answer coming back: id -> "release"
        # or "cancel". Nothing more is offered for them until the list has been read again.
        self._unsure: dict[int, str] = {}
        # Release at a printer: how each job prints when chosen here (`m`; `d` without a dialog).
        self.choices = ReleaseChoices()
        self.init_extras()

    # --- RowContext, for the table -----------------------------------------------------------

    @property
    def currency(self) -> str:
        return self.session.currency

    def now(self) -> datetime:
        return self.app.now()

    def project_label(self, project_id: int) -> str:
        return self.session.project_label(project_id)

    def is_selected(self, job_id: int) -> bool:
        return job_id in self.selected

    def saving(self, job_id: int) -> Decimal:
        job = self.jobs.get(job_id)
        if job is None or job_id not in self.base_cost:
            return Decimal("0")
        return job.cost - self.base_cost[job_id]

    def chosen(self, job_id: int) -> ReleaseOptions:
        return self.choices.of(job_id)

    # --- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SessionHeader(demo=self.app.demo, id="header")
        yield ConnectionBanner(insecure=self.app.settings.insecure)
        filter_input = Input(
            placeholder="Type to filter by name or project · Enter keep · Esc clear", id="filter", compact=True
        )
        filter_input.cursor_blink = self.app.cursor_blink
        yield filter_input
        yield JobTable(self, id="jobs")
        yield Static(id="empty")
        yield Static(id="progress")
        yield Static(id="totals")
        yield Static(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self._backoff = Backoff(*self.app.retry_backoff)
        self.query_one("#filter").display = False
        self.query_one("#progress").display = False
        self._show_header()
        self._show_jobs()
        self._drawn_minute = int(self.now().timestamp() // 60)
        self.query_one(JobTable).focus()
        notes = []
        if self.total_count > len(self.jobs) + len(self.rejected):
            notes.append(f"Showing {len(self.jobs)} of {self.total_count} jobs.")
        self.query_one(ConnectionBanner).unreadable(len(self.rejected))
        self.say(" ".join(notes))
        self._schedule_refresh()

    @property
    def table(self) -> JobTable:
        return self.query_one(JobTable)

    def _show_header(self) -> None:
        self.query_one(SessionHeader).show(self.session.name, self.session.account_line())

    def visible_jobs(self) -> list[Job]:
        if not self.filter_text:
            return list(self.jobs.values())
        needle = self.filter_text.casefold()
        return [
            job
            for job in self.jobs.values()
            if needle in plain(job.name).casefold() or needle in self.session.project_title(job.project_id).casefold()
        ]

    def _show_jobs(self) -> None:
        """Put the jobs into the table (patching by id), then the empty state and the totals."""
        visible = self.visible_jobs()
        self.selected &= set(self.jobs)
        self.choices.keep_only(self.jobs)
        table = self.table
        table.sync(visible)
        empty = self.query_one("#empty", Static)
        if not self.jobs:
            first = plain(self.session.user.full_name).split(" ")[0]
            empty.update(
                Content.assemble(
                    (f"Nothing waiting for you, {first}." if first else "Nothing waiting for you.", "bold"),
                    "\n\nPrint to the secure queue from your computer, then come back here\n"
                    "to release your jobs. New jobs appear on their own.",
                )
            )
        elif not visible:
            empty.update(Content(f"No job matches “{self.filter_text}”. Esc clears the filter."))
        empty.display = not visible
        table.display = bool(visible)
        if bool(self.jobs) != self._had_jobs:
            self._had_jobs = bool(self.jobs)
            self.refresh_bindings()
        self._show_totals()

    def targets(self) -> list[Job]:
        """The selected jobs the filter shows, in table order; else the highlighted job."""
        return self._targets()[0]

    def _targets(self) -> tuple[list[Job], bool]:
        """The jobs an action applies to, and whether they are a selection."""
        table = self.table
        # Only a selection needs the table's order (a walk over every row): the cursor alone does not.
        chosen = (
            [self.jobs[job_id] for job_id in table.ordered_ids if job_id in self.selected and job_id in self.jobs]
            if self.selected
            else []
        )
        if chosen:
            return chosen, True
        cursor = table.cursor_job_id
        return ([self.jobs[cursor]] if cursor in self.jobs else []), False

    def _show_totals(self) -> None:
        line = self.query_one("#totals", Static)
        jobs, picked = self._targets()
        line.display = bool(jobs)
        if not jobs:
            line.update("")
            self._totals_fit = False
            return
        totals = Totals.of(self.choices.printed(job) for job in jobs)
        what = f"✓ {len(jobs)} selected" if picked else "▸ 1 job"
        parts = [
            Content.styled(what, "bold"),
            Content(f"{count(totals.pages, 'page')}, {totals.colour} colour"),
            Content(count(totals.sheets, "sheet")),
            Content.styled(self.session.money(totals.cost), "bold"),
        ]
        after = self.session.balance_after(totals.cost)
        repriced = self.choices.changes(jobs)
        if repriced:  # never a cost of the station's own: the server prices what was chosen
            parts[-1] += Content(" as listed")
            tail = Content.styled(
                f"\n{CHOSEN_MARK} chosen here: the print server prices the change at release.", "$text-muted"
            )
        elif after is None:
            tail = Content(f" → {self.session.account_line()}")
        else:
            style = "bold $text-error" if after < 0 else ""
            tail = Content.assemble(" → balance ", (self.session.money(after), style))
        content = Content(" · ").join(parts) + tail
        # A new layout only when the line may change height: a layout costs the whole screen
        # (about 15 ms a cursor move), and one line that still fits stays one line.
        fits = not repriced and 0 < content.cell_length <= line.content_size.width
        line.update(content, layout=not (fits and self._totals_fit))
        self._totals_fit = fits

    def say(self, message: str, kind: str = "info") -> None:
        """The status line, right above the keys: what the last action did, in words."""
        self._stale = False
        status = self.query_one("#status", Static)
        status.update(Content(self.mask_names(plain(message, limit=500))))
        for name in ("info", "success", "error", "busy"):
            status.set_class(kind == name, f"-{name}")

    # --- the table tells --------------------------------------------------------------------------

    @on(JobTable.CursorMoved)
    def _cursor_moved(self, event: JobTable.CursorMoved) -> None:
        self._show_totals()
        job = self.jobs.get(event.job_id) if event.job_id is not None else None
        here = event.job_id == self.table.cursor_job_id  # keys typed fast: the cursor may have moved on
        if job is not None and job.is_paused and here and not self._busy:
            self.say("A question waits for this job: r releases it (answer first), d switches sides.")

    @on(JobTable.RowSelected)
    def _row_clicked(self, event: JobTable.RowSelected) -> None:
        """Enter, or a click on the highlighted row, selects it like space."""
        event.stop()
        self.action_toggle_select()

    # --- selection, filter, sort ------------------------------------------------------------------

    def action_toggle_select(self) -> None:
        job_id = self.table.cursor_job_id
        if job_id is None:
            return
        self.selected ^= {job_id}
        self.table.redraw([job_id])
        self._show_totals()

    def action_select_all(self) -> None:
        shown = set(self.table.ordered_ids)
        if shown and shown <= self.selected:
            self.selected -= shown
        else:
            self.selected |= shown
        self.table.redraw(shown)
        self._show_totals()

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = plain(event.value).strip()
        self._show_jobs()

    @on(Input.Submitted, "#filter")
    def _filter_kept(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.query_one("#filter", Input)
        if not field.value.strip():
            field.display = False
        self.table.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        if not field.display:
            return
        field.value = ""
        field.display = False
        self.filter_text = ""
        self._show_jobs()
        self.table.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in EXTRA_ACTIONS:
            return self.check_extra(action)
        if action == "clear_filter":  # Escape shows (and works) only while there is a filter
            return self.query_one("#filter").display
        if action == "stop":  # else Escape, while a request is out, says why it cannot be stopped
            return bool(self._busy)
        if action == "mono" and self._printer() is None:
            return False  # black and white is a release option, and there is no printer to release at
        if action in NEED_JOBS and not self.jobs:
            return None  # shown dimmed: there is no job to do it to
        return True

    def action_stop(self) -> None:
        """A change sent to the print server cannot be called back: say so, and how long at most."""
        self._wait_note = (
            f"it was sent and cannot be stopped from here; station waits at most {self.app.settings.timeout:g} s"
        )
        self.say(f"{self._busy} {self._wait_note}.", "busy")

    def action_sort(self) -> None:
        table = self.table
        index = SORTABLE.index(table.sort_column) if table.sort_column in SORTABLE else -1
        table.sort_by(SORTABLE[(index + 1) % len(SORTABLE)])
        direction = "down" if table.sort_reverse else "up"
        self.say(f"Sorted by {table.sort_column} ({direction}). s: next column; click a heading to sort by it.")

    def action_help(self) -> None:
        keys = [(binding.key_display or binding.key, binding.description) for binding in self._bindings_shown()]
        keys += [("enter", "select (like space)")] + ([] if self.app.settings.kiosk else [("ctrl+q", "quit")])
        notes = [
            "Actions apply to the selected jobs (✓), else to the highlighted one (▸).",
            "(?) the print server has a question about the job: it is asked on release.",
            "★ favourite · −0.08 what printing 2-sided saved · click a heading to sort.",
            "Jobs not released are deleted when they expire: unprinted, and free.",
        ]
        printer = self._printer()
        if printer is not None:
            notes.insert(3, f"2-sided{CHOSEN_MARK} mono{CHOSEN_MARK}: chosen here (d, m) for printer "
                            f"{plain(printer)}; the print server prices it at release.")
        self.app.push_screen(HelpModal(keys, notes))

    def action_history(self) -> None:
        """What was done with these jobs, by whom and why: the audit of their owner."""
        from station.ui.screens.audit import AuditScreen

        self.app.push_screen(AuditScreen.history(self.app.context, self.session, self.jobs.values()))

    def _bindings_shown(self) -> list[Binding]:
        return [
            binding for binding in self.BINDINGS if isinstance(binding, Binding) and binding.show
            and (binding.action not in EXTRA_ACTIONS or self.check_extra(binding.action))
            and (binding.action != "mono" or self._printer() is not None)
        ]

    # --- the quiet refresh ------------------------------------------------------------------------

    def _schedule_refresh(self, delay: float | None = None) -> None:
        """The next quiet refresh, in `delay` seconds (the refresh interval when None): one at a time."""
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
            self._refresh_timer = None
        if not self._session_closed:
            self._refresh_timer = self.set_timer(self.app.refresh_interval if delay is None else delay, self._refresh)

    def _offline(self, error: ApiError) -> None:
        """The print server cannot be reached: say so on the banner and try again, 1, 2, 4 … s
        apart. The rows, the selection and the cursor stay as they are."""
        delay = self._backoff.next()
        self.query_one(ConnectionBanner).offline(
            offline_reason(error), retry_in=delay, hint="Your jobs and selection are kept."
        )
        self._schedule_refresh(delay)

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def _refresh(self) -> None:
        """Fetch the pending jobs and patch the rows; the next refresh is set once this one ends."""
        changes = self._changes
        banner = self.query_one(ConnectionBanner)
        if banner.is_offline:
            banner.trying()
        try:
            jobs = await self.session.client.jobs(limit=500)
        except SessionExpired as error:
            self.app.end_session(error.human, error=True)
            return
        except ServerUnreachable as error:
            self._offline(error)
            return
        except ApiError as error:
            if not self._busy:
                self.say(f"Not up to date: {explain(error)}", "error")
                self._stale = True
            self._schedule_refresh()
            return
        except Exception:
            log.exception("refresh failed")
            self._schedule_refresh()
            return
        if self._backoff.failing:
            self._backoff.reset()
            banner.online()
            self._stale = True  # say below that the list is up to date again
        if changes == self._changes and not self._busy:
            if self._unsure:
                self._settle_unsure(jobs.jobs)
            elif self._stale:
                self.say("Connected again: the list is up to date.", "success")
            self._apply(jobs.jobs)
            self.total_count = jobs.count
            self.rejected = list(jobs.rejected)
            banner.unreadable(len(self.rejected))
        self._schedule_refresh()

    def _apply(self, jobs: Iterable[Job]) -> None:
        """The server's list of pending jobs replaces ours, patched row by row. A job released
        here stays off it while it is followed to the printer (a server that releases
        asynchronously may list it a moment longer: it must not be offered again)."""
        released = set(self.printing.pending)
        fresh = {
            job.id: job
            for job in jobs
            if (job.state in PENDING_STATES or job.state is None) and job.id not in released
        }
        for job_id, job in fresh.items():
            self.base_cost.setdefault(job_id, job.cost)
        self.jobs = fresh
        self._changes += 1
        minute = int(self.now().timestamp() // 60)
        with self.app.batch_update():
            self._show_jobs()
            if minute != self._drawn_minute:  # the clock moved on: "12 min ago", "23 h"
                self._drawn_minute = minute
                self.table.redraw()

    def _update(self, jobs: Iterable[Job]) -> None:
        """Jobs a change returned: patch them in place (a job no longer pending leaves the list)."""
        for job in jobs:
            if job.id not in self.jobs:
                continue
            if job.state is not None and job.state not in PENDING_STATES:
                del self.jobs[job.id]
            else:
                self.jobs[job.id] = job
        self._changes += 1
        self._show_jobs()

    def _remove(self, job_ids: Iterable[int]) -> None:
        for job_id in job_ids:
            self.jobs.pop(job_id, None)
            self.selected.discard(job_id)
        self._changes += 1
        self._show_jobs()

    # --- talking to the server --------------------------------------------------------------------

    def _start(self, doing: str) -> bool:
        """Claim the one slot for a change; say so when another change is still in flight."""
        if self._busy:
            self.say(f"Please wait: {self._busy}", "busy")
            return False
        self._busy = doing
        return True

    @asynccontextmanager
    async def _request(self, doing: str, action: str = "", ids: Iterable[int] = ()) -> AsyncIterator[Outcome]:
        """Say what is happening (and, when it takes a while, that it waits); on failure say
        what went wrong and leave the table as it was. `action`: `release` or `cancel` of the
        jobs `ids`, which are checked on the server when no answer comes back. The `Outcome`
        it yields tells afterwards whether the request went through, or its error."""
        self._busy = doing
        self.say(doing, "busy")
        outcome = Outcome()
        try:
            hint = "sent: a release cannot be called back" if action == "release" else ""
            self._wait_note = ""
            async with waiting(self, lambda text: self.say(" · ".join(filter(None, (text, self._wait_note))), "busy"), doing, hint):
                yield outcome
            outcome.done = True
            if self._backoff.failing:  # the server answered again: the banner goes, the list refreshes
                self._schedule_refresh(0.01)
        except SessionExpired as error:
            outcome.error = error
            self.app.end_session(error.human, error=True)
        except (Conflict, NotFound) as error:
            outcome.error = error
            self.say(explain(error, action), "error")
            self._resync()
        except ServerUnreachable as error:
            outcome.error = error
            self.say(explain(error, action), "error")
            if error.sent and action in ("release", "cancel"):
                self._unsure.update(dict.fromkeys(ids, action))
                self._check_unsure()
            else:
                self._offline(error)
        except ApiError as error:
            outcome.error = error
            self.say(explain(error, action), "error")
        except Exception:
            log.exception("%s failed", doing)
            self.say("Something went wrong. Nothing was changed on this screen; please try again.", "error")
        finally:
            self._busy = ""

    def _resync(self) -> None:
        """After a conflict the list is stale: fetch it now (the quiet refresh keeps its own beat)."""
        self.run_worker(self._refetch(), group="resync", exclusive=True, exit_on_error=False)

    # --- a release or cancel sent without an answer (issue 11, item 11) ------------------------------

    def _unsure_of(self, jobs: list[Job]) -> bool:
        """Refuse to act on jobs whose last release or cancel is not known to have gone through."""
        unsure = [job for job in jobs if job.id in self._unsure]
        if unsure:
            self.say(
                "Station is still checking with the print server whether "
                f"{count(len(unsure), 'job')} went through. Wait until the list is up to date.",
                "busy",
            )
        return bool(unsure)

    def _check_unsure(self) -> None:
        """Read the jobs again now; if the server still does not answer, the quiet refresh retries."""
        self.run_worker(self._check_outcome(), group="resync", exclusive=True, exit_on_error=False)

    async def _check_outcome(self) -> None:
        try:
            jobs = await self.session.client.jobs(limit=500)
        except SessionExpired as error:
            self.app.end_session(error.human, error=True)
            return
        except ApiError as error:
            self.say(
                "No answer came back, and the list cannot be read now: station checks again and says what it "
                "finds. Do not release these jobs elsewhere meanwhile.",
                "error",
            )
            if isinstance(error, ServerUnreachable):
                self._offline(error)
            else:
                self._schedule_refresh()
            return
        if self._backoff.failing:
            self._backoff.reset()
            self.query_one(ConnectionBanner).online()
        self._settle_unsure(jobs.jobs)
        self._apply(jobs.jobs)

    def _settle_unsure(self, jobs: Iterable[Job]) -> None:
        """Say what the list read again shows about the jobs sent without an answer."""
        waiting = {job.id for job in jobs if job.state in PENDING_STATES or job.state is None}
        parts = []
        for action, done_word in (("release", "released"), ("cancel", "canceled")):
            ids = [job_id for job_id, sent in self._unsure.items() if sent == action]
            done = [job_id for job_id in ids if job_id not in waiting]
            still = len(ids) - len(done)
            if done:
                parts.append(f"{count(len(done), 'job')} {done_word}")
            if still:
                parts.append(f"{count(still, 'job')} still waiting (not {done_word}; try again if you want)")
        self._unsure.clear()
        if parts:
            self.say("Checked with the print server: " + "; ".join(parts) + ".", "success")

    async def _refetch(self) -> None:
        try:
            jobs = await self.session.client.jobs(limit=500)
        except ApiError:
            return
        self._apply(jobs.jobs)

    def _targets_or_say(self, verb: str) -> list[Job]:
        jobs = self.targets()
        if not jobs:
            self.say(f"No job to {verb}.")
        return jobs

    # --- sides (the script dialog) ----------------------------------------------------------------

    def action_sides(self) -> None:
        """Sides through the job's script dialog where the server offers one; else, at a printer,
        as a release option; else a sentence that this server does not let station do it."""
        jobs = self._targets_or_say("switch")
        if not jobs:
            return
        if self.session.client.offers_sides is False:
            self._sides_at_printer(jobs)
        elif self._start("Switching sides…"):
            self._switch_sides(jobs)

    def _printer(self) -> str | None:
        """The printer this station releases at (not when the helpdesk acts for someone, nor
        once the session is wiped)."""
        session: Session | None = self.session
        return self.app.settings.printer if session is not None and session.staff is None else None

    def _sides_at_printer(self, jobs: list[Job]) -> None:
        """`d` without a script dialog: 2-sided (or back) as a release option at the printer."""
        printer = self._printer()
        if printer is None:
            self.say(NO_SIDES, "error")
            return
        duplex = self.choices.switch_sides(jobs)
        self._chose(jobs, f"print {'2-sided' if duplex else '1-sided'} at printer {plain(printer)}")

    def action_mono(self) -> None:
        """Black and white (or back to colour) as a release option at the printer."""
        jobs = self._targets_or_say("print in black and white")
        printer = self._printer()
        if not jobs or printer is None:  # the key is not offered without a printer
            return
        mono = self.choices.switch_mono(jobs)
        if mono is None:
            names = self._names(jobs)
            self.say(f"{names} {'has' if len(jobs) == 1 else 'have'} no colour: black and white already.")
            return
        coloured = [job for job in jobs if job.color]
        how = "in black and white" if mono else "in colour again, as sent,"
        self._chose(coloured, f"print {how} at printer {plain(printer)}")

    def _chose(self, jobs: list[Job], how: str) -> None:
        """A release option changed: show it in the rows and the totals (which say who prices it)."""
        self.table.redraw([job.id for job in jobs])
        self._show_totals()
        self.say(f"{self._names(jobs)} will {how}.", "success")

    def _names(self, jobs: list[Job]) -> str:
        return plain(jobs[0].name, limit=NAME_IN_TEXT) if len(jobs) == 1 else count(len(jobs), "job")

    @work(group="change", exit_on_error=False)
    async def _switch_sides(self, jobs: list[Job]) -> None:
        # Mixed: make them all 2-sided. All 2-sided already: back to 1-sided.
        duplex = not all(job.duplex for job in jobs)
        wanted = [job for job in jobs if job.duplex != duplex]
        word = "2-sided" if duplex else "1-sided"
        async with self._request(f"Switching {count(len(wanted), 'job')} to {word}…"):
            results = await asyncio.gather(*(self._set_sides(job, duplex) for job in wanted), return_exceptions=True)
            changed = [job for job in results if isinstance(job, Job)]
            self._update(changed)  # those that switched show it, even when others failed
            failures = [error for error in results if isinstance(error, BaseException)]
            no_dialog = self.session.client.offers_sides is False  # learned just now: no script dialog
            if failures and no_dialog and all(isinstance(error, Unsupported) for error in failures):
                self._sides_at_printer(jobs)
                return
            if failures:
                raise failures[0]
            before = sum((job.cost for job in wanted), Decimal("0"))
            after = sum((job.cost for job in changed), Decimal("0"))
            names = plain(changed[0].name, limit=NAME_IN_TEXT) if len(changed) == 1 else count(len(changed), "job")
            message = f"{names} now {word}: {self.session.money(after)}"
            if before > after:
                message += f", saving {self.session.money(before - after)}"
            elif after > before:
                message += f", {self.session.money(after - before)} more"
            self.say(message + ".", "success")

    async def _set_sides(self, job: Job, duplex: bool) -> Job:
        """Answer the job's duplex question; ask once more if the job changed meanwhile."""
        try:
            return await self.session.client.set_duplex(job.id, duplex)
        except StaleState:
            return await self.session.client.set_duplex(job.id, duplex)

    # --- project and account ----------------------------------------------------------------------

    def action_project(self) -> None:
        jobs = self._targets_or_say("give a project")
        if jobs and not self.session.projects_known:
            self.say("This print server does not list projects, so station cannot set one.")
        elif jobs and self._start("Choosing a project…"):
            self._pick_project(jobs)

    @work(group="change", exit_on_error=False)
    async def _pick_project(self, jobs: list[Job]) -> None:
        try:
            current = {job.project_id for job in jobs}
            title = f"Project for {plain(jobs[0].name, limit=NAME_IN_TEXT)}" if len(jobs) == 1 else f"Project for {len(jobs)} jobs"
            picker = ProjectPicker(
                self.session.projects, current=current.pop() if len(current) == 1 else None, title=title
            )
            project_id = await self.app.push_screen_wait(picker)
        finally:
            self._busy = ""
        if project_id is None:
            self.say("Project unchanged.")
            return
        name = self.session.project_title(project_id)
        async with self._request(f"Setting {name} on {count(len(jobs), 'job')}…"):
            changed = await self.session.client.patch_jobs([job.id for job in jobs], project_id=project_id)
            self._changed(changed)
            what = "Removed the project from" if not project_id else f"Project {name} set on"
            self.say(f"{what} {count(len(jobs), 'job')}.", "success")

    def action_account(self) -> None:
        accounts = self.session.user.accounts
        if not accounts:
            self.say("Your jobs are charged the way the print server decides: there is no account to choose.")
            return
        if len(accounts) == 1:
            self.say(f"Your jobs are charged to {self.session.account_line()}: there is no other account.")
            return
        if self._start("Choosing an account…"):
            self._pick_account()

    @work(group="change", exit_on_error=False)
    async def _pick_account(self) -> None:
        try:
            cost = Totals.of(self.targets()).cost
            picker = AccountPicker(
                self.session.user.accounts, current=self.session.account_id, cost=cost,
                balances_known=self.session.balances_known,
            )
            account_id = await self.app.push_screen_wait(picker)
        finally:
            self._busy = ""
        if account_id is None or self.session.user.account(account_id) is None:
            self.say("Account unchanged.")
            return
        self.session.account_id = account_id
        self._show_header()
        self._show_totals()
        self.say(f"The next release is charged to {self.session.account_line()}.", "success")

    # --- favourite --------------------------------------------------------------------------------

    def action_favorite(self) -> None:
        jobs = self._targets_or_say("mark")
        if jobs and self._start("Marking favourites…"):
            self._favorite(jobs)

    @work(group="change", exit_on_error=False)
    async def _favorite(self, jobs: list[Job]) -> None:
        favorite = not all(job.favorite for job in jobs)
        async with self._request("Marking favourites…" if favorite else "Unmarking favourites…"):
            changed = await self.session.client.patch_jobs([job.id for job in jobs], favorite=favorite)
            self._changed(changed)
            what = "is now a favourite" if favorite else "is no longer a favourite"
            names = plain(jobs[0].name, limit=NAME_IN_TEXT) if len(jobs) == 1 else count(len(jobs), "job")
            if len(jobs) > 1:
                what = "are now favourites" if favorite else "are no longer favourites"
            self.say(f"{names} {what}.", "success")

    # --- cancel -----------------------------------------------------------------------------------

    def action_cancel_jobs(self) -> None:
        jobs = self._targets_or_say("cancel")
        if jobs and not self._unsure_of(jobs) and self._start("Canceling…"):
            self._cancel(jobs)

    @work(group="change", exit_on_error=False)
    async def _cancel(self, jobs: list[Job]) -> None:
        try:
            sure = await self.app.push_screen_wait(CancelConfirm([plain(job.name, limit=NAME_IN_TEXT) for job in jobs]))
        finally:
            self._busy = ""
        if not sure:
            self.say("Nothing canceled.")
            return
        ids = [job.id for job in jobs]
        async with self._request(f"Canceling {count(len(jobs), 'job')}…", action="cancel", ids=ids):
            await self.session.client.cancel(ids)
            self._remove(job.id for job in jobs)
            self.say(f"Canceled {count(len(jobs), 'job')}. Nothing was charged.", "success")

    # --- release ----------------------------------------------------------------------------------

    def action_release(self) -> None:
        jobs = self._targets_or_say("release")
        if not jobs or self._unsure_of(jobs):
            return
        refusal = self._release_refusal(jobs)
        if refusal:
            self.say(refusal, "error")  # refused before any request
            return
        if self._start("Releasing…"):
            self._release(jobs)

    def _release_refusal(self, jobs: list[Job]) -> str | None:
        # Options chosen here change the price, which only the server knows: it checks the credit then.
        return self.session.release_refusal(jobs, check_credit=not self.choices.changes(jobs))

    @work(group="change", exit_on_error=False)
    async def _release(self, jobs: list[Job]) -> None:
        ids = [job.id for job in jobs]
        try:
            # A paused job is released by answering its question first.
            for job in [job for job in jobs if job.is_paused]:
                answered = await self._answer_questions(job)
                if answered is None:
                    return
            jobs = [self.jobs[job_id] for job_id in ids if job_id in self.jobs]
            refusal = self._release_refusal(jobs)
            if refusal:
                self.say(refusal, "error")
                return
            if not await self.app.push_screen_wait(self._release_confirm(jobs)):
                self.say("Nothing released.")
                return
        finally:
            self._busy = ""
        # Through the printer when one is set (one request per way of printing), else `process`.
        printer = self._printer()
        ways = {job.id: self.choices.of(job.id) if printer else AS_SENT for job in jobs}
        groups: dict[ReleaseOptions, list[Job]] = {}
        for job in jobs:
            groups.setdefault(ways[job.id], []).append(job)
        released: list[Job] = []
        charged: Decimal | None = Decimal("0")
        for options, group in groups.items():
            ids = [job.id for job in group]
            result: ProcessResult | None = None
            async with self._request(f"Releasing {count(len(ids), 'job')}…", action="release", ids=ids) as outcome:
                result = await self._send_release(ids, printer, options)
            if not outcome.done:  # said why; the jobs of this group and those after it stay as they are
                if released and outcome.error is not None and not isinstance(outcome.error, SessionExpired):
                    rest = self._names([job for job in jobs if job not in released])
                    where = self._where(printer, [ways[job.id] for job in released])
                    self.say(f"Released {count(len(released), 'job')}{where}. Not released, {rest}: "
                             f"{explain(outcome.error)}", "error")
                    self._read_again()
                return
            released += group
            charged = None if result is None or charged is None else charged + result.charged
            self._released(group, result)
        where = self._where(printer, [ways[job.id] for job in released])
        done = f"Released {count(len(released), 'job')}{where}"
        if charged is not None:
            self.say(f"{done}: charged {self.session.money(charged)}.", "success")
        else:
            self.say(f"{done}. The print server works out what it costs.", "success")
        self._read_again()

    @staticmethod
    def _where(printer: str | None, ways: list[ReleaseOptions]) -> str:
        """` at printer 1 (2 jobs 2-sided, 1 in black and white)`, or nothing without a printer."""
        if printer is None:
            return ""
        how = f" ({how_they_print(ways)})" if any(not way.as_sent for way in ways) else ""
        return f" at printer {plain(printer)}{how}"

    async def _send_release(self, ids: list[int], printer: str | None, options: ReleaseOptions) -> ProcessResult | None:
        session = self.session
        if printer is not None:
            return await session.client.release_at_printer(printer, ids, options=options, account=session.account_id)
        return await session.client.process(ids, owner=session.owner_name, account=session.account_id)

    def _released(self, jobs: list[Job], result: ProcessResult | None) -> None:
        """A 2xx: the jobs are on their way, followed to the printer. What was charged is known
        when the server said it; the list and the balance are read again either way (7.3, point 3)."""
        session = self.session
        self._remove(job.id for job in jobs)
        if result is not None:
            if session.balances_known:
                session.set_balance(session.account_id, result.balance)
            printing = {job.id: job for job in result.jobs} or {job.id: job for job in jobs}
            self._track(printing.values(), result.charged)
        else:
            self._track(jobs, None)
        self._show_header()

    def _read_again(self) -> None:
        """After a release: the list and the balance as the server now has them."""
        self.run_worker(self._read_jobs_and_balance(), group="reread", exclusive=True, exit_on_error=False)

    async def _read_jobs_and_balance(self) -> None:
        """Each answer that came is shown; one that failed is left to the quiet refresh."""
        client = self.session.client
        listed, user = await asyncio.gather(unless_refused(client.jobs(limit=500)), unless_refused(client.me()))
        if user is not None:
            self.session.user = user
        if listed is not None:
            self._apply(listed.jobs)
        self._show_header()
        self._show_totals()

    def _release_confirm(self, jobs: list[Job]) -> ReleaseConfirm:
        totals = Totals.of(self.choices.printed(job) for job in jobs)
        session = self.session
        projects = {job.project_id for job in jobs}
        if len(projects) == 1:
            project = session.project_title(projects.pop())
        else:
            project = "several: " + ", ".join(sorted(session.project_label(p) or "none" for p in projects))
        account = session.account
        repriced = self.choices.changes(jobs)
        cost = Content.styled(session.money(totals.cost), "bold") + Content(" as listed" if repriced else "")
        rows: list[tuple[str, Content | str]] = [
            ("Jobs", ", ".join(plain(job.name, limit=NAME_IN_TEXT) for job in jobs[:3]) + (f" and {len(jobs) - 3} more" if len(jobs) > 3 else "")),
        ]
        printer = self._printer()
        if printer is not None:
            rows.append(("Printer", plain(printer)))
            rows.append(("Prints", self.choices.how(jobs)))
        rows += [
            ("Pages", f"{totals.pages} ({totals.colour} colour) · {count(totals.sheets, 'sheet')}"),
            ("Cost", cost),
            ("Project", project),
            ("Account", plain(account.name or account.id) if account else "the default account"),
        ]
        if repriced and account is not None and account.balance is not None and session.balances_known:
            rows.append(("Balance now", session.money(account.balance)))
        else:
            rows.append(("Balance after", self._after_text(None if repriced else session.balance_after(totals.cost))))
        note = "The print server prices what you chose at release." if repriced else ""
        return ReleaseConfirm(rows, jobs=len(jobs), note=note)

    async def _answer_questions(self, job: Job) -> Job | None:
        """Show the server's question(s) for this job until none is open; None if not answered."""
        client = self.session.client
        try:
            reply: ScriptReply | None = await client.script_ask(job.id)
            for _ in range(MAX_QUESTIONS):
                if reply is None:  # no dialog offered: the server decides at release
                    return self.jobs.get(job.id, job)
                if reply.job is not None:
                    self._update([reply.job])
                if not reply.dialogs:
                    return self.jobs.get(job.id, job)
                dialog = reply.dialogs[0]
                chosen = await self.app.push_screen_wait(QuestionModal(job.name, dialog))
                if chosen is None:
                    self.say(f"Not released: the question about {plain(job.name, limit=NAME_IN_TEXT)} was not answered.")
                    return None
                reply = await client.script_answer(
                    job.id,
                    dialog_id=dialog.id,
                    options=[option.key for option in dialog.options],
                    chosen=chosen,
                    state=reply.state,
                ) or await client.script_ask(job.id)  # a reply without a body: ask what is still open
                label = next((o.label or o.key for o in dialog.options if o.key == chosen), chosen)
                self.say(f"Answered for {plain(job.name, limit=NAME_IN_TEXT)}: {plain(label)}.")
            self.say(f"The print server keeps asking about {plain(job.name, limit=NAME_IN_TEXT)}; not released.", "error")
        except SessionExpired as error:
            self.app.end_session(error.human, error=True)
        except ServerUnreachable as error:
            self.say(explain(error), "error")
            self._offline(error)
        except ApiError as error:
            self.say(explain(error), "error")
        return None

    def _after_text(self, after: Decimal | None) -> str:
        if after is not None:
            return self.session.money(after)
        return "no limit" if self.session.balances_known else "not known"

    def _changed(self, changed: JobList | None) -> None:
        """The jobs a change answered with; when the body did not say, read the list again."""
        if changed is None:
            self._resync()
        else:
            self._update(changed.jobs)

    def _track(self, jobs: Iterable[Job], charged: Decimal | None) -> None:
        """Follow released jobs to the printer; a release while others still print joins them."""
        if self.printing.done:
            self.printing = Printing()
        self.printing.add(jobs, charged, self.shown_name)
        self._follow()

    @work(exclusive=True, group="progress", exit_on_error=False)
    async def _follow(self) -> None:
        """Poll each released job's state until it is printed or failed; then refetch the balance."""
        printing = self.printing
        self.app.release_started()
        self._show_progress()
        client = self.session.client
        misses = 0
        while not printing.done:
            await asyncio.sleep(self.app.poll_interval)
            pending = printing.pending
            answers = await asyncio.gather(*(client.job_state(job_id) for job_id in pending), return_exceptions=True)
            printing.trouble = ""
            for job_id, answer in zip(pending, answers, strict=True):
                if isinstance(answer, SessionExpired):
                    return
                if isinstance(answer, NotFound):
                    printing.states[job_id] = JobStateName.CANCELED
                elif isinstance(answer, ApiError):
                    printing.trouble = plain(answer.human, limit=200)
                elif isinstance(answer, BaseException):
                    raise answer
                else:
                    printing.states[job_id] = answer
            misses = misses + 1 if printing.trouble else 0
            self._show_progress()
            if misses >= 30:
                return  # the jobs print anyway; stop asking a server that does not answer
        try:
            user = await client.me()  # refunds change the balance too
        except ApiError:
            user = None
        if user is not None:
            self.session.user = user
        self._show_header()
        self._show_totals()
        self._show_progress()
        self.app.release_printed()

    def _show_progress(self) -> None:
        printing = self.printing
        panel = self.query_one("#progress", Static)
        states = printing.states
        printed = sum(state == JobStateName.PRINTED for state in states.values())
        failed = [job_id for job_id, state in states.items() if state == JobStateName.FAILED]
        if printing.done:
            refunded = sum((printing.costs[job_id] for job_id in failed), Decimal("0"))
            head = f"Printed {printed} of {count(len(states), 'job')}"
            if failed:
                head += f" · {len(failed)} failed, refunded {self.session.money(refunded)}"
            if self.session.balances_known:  # else the server did not say: nothing to show
                head += f" · balance now {self.session.account_line()}"
        else:
            head = f"Printing {count(len(states), 'job')} · {printed} printed"
            if printing.charged is not None:
                head += f" · charged {self.session.money(printing.charged)}"
        lines = [Content.styled(head, "bold")]
        for job_id in list(states)[:4]:
            state = states[job_id]
            if state == JobStateName.PRINTED:
                mark, word, style = "✓", "printed", "$text-success"
            elif state == JobStateName.FAILED:
                mark, word, style = "✗", f"failed, refunded {self.session.money(printing.costs[job_id])}", "$text-error"
            elif state in FINISHED:
                mark, word, style = "–", state, "$text-muted"
            else:
                mark, word, style = "…", "printing", "$text-warning"
            lines.append(Content.assemble(f" {mark} ", printing.names[job_id], "  ", (word, style)))
        if len(states) > 4:
            lines.append(Content(f"   and {len(states) - 4} more"))
        if printing.trouble and not printing.done:
            lines.append(Content.styled(f" {printing.trouble} The jobs print anyway.", "$text-error"))
        panel.update(Content("\n").join(lines))
        panel.display = True

    # --- log out ----------------------------------------------------------------------------------

    def action_logout(self) -> None:
        if not self._leaving:  # a second l while logging out does nothing
            self._leaving = True
            self._logout()

    @work(group="logout", exit_on_error=False)
    async def _logout(self) -> None:
        self.say("Logging out…", "busy")
        message = "You are logged out."
        if not await self.close_session():
            message = "You are logged out here; the print server could not be told."
        self.app.show_login(message)

    async def close_session(self, *, revoke: bool = True, revoke_timeout: float = 5) -> bool:
        """Forget the session: revoke its token (unless told not to), close the connection."""
        if self._session_closed:
            return True
        self._session_closed = True
        told = await close_client(self.session.client, revoke=revoke, timeout=revoke_timeout)
        self.wipe()
        return told

    async def on_unmount(self) -> None:
        """The app quits with someone logged in: end their session on the server too."""
        await self.close_session(revoke_timeout=2)
