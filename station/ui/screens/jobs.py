"""The jobs screen: a person's pending jobs, what they cost, and what to do with them.

Every action follows one path: a key → `action_*` → a part of the screen (`JobChanges`,
`ReleaseFlow`) → a worker that awaits the client → the model changes → the screen patches its
rows by job id. Requests, failures and the quiet refresh live in `Requests`; what the screen
knows lives in `JobsModel` (plain Python). The screen never calls the App: it posts messages
(`SessionEnded`, `LogoutRequested`, `ReleaseStarted`, `ReleasePrinted`).

Actions apply to the selected jobs that the filter shows, else to the highlighted job.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.widgets import Input, Static

from station.api.models import Job, JobList
from station.i18n import N_, _
from station.ui.context import Context
from station.ui.jobs_model import JobsModel, fit_said, next_sort
from station.ui.masking import NameMask
from station.ui.messages import LogoutRequested
from station.ui.modals.receipt import ReceiptModal
from station.ui.screens.jobs_changes import JobChanges
from station.ui.screens.jobs_release import ReleaseFlow
from station.ui.screens.jobs_requests import Outcome, Requests
from station.ui.screens.jobs_rows import JobRows, help_notes, nothing_shown, sorted_by
from station.ui.screens.jobs_undo import UndoScreen, UndoWindow
from station.ui.session import Session
from station.ui.widgets.banner import ConnectionBanner
from station.ui.widgets.header import SessionHeader
from station.ui.widgets.job_detail import JobDetail
from station.ui.widgets.job_filter import JobFilter
from station.ui.widgets.job_table import JobTable
from station.ui.widgets.keybar import KeyBar
from station.ui.widgets.progress import Printing, PrintProgress
from station.ui.widgets.status_line import SELECTION, Kind, StatusLine
from station.ui.widgets.totals import TotalsBar

NEED_JOBS = {"toggle_select", "select_all", "sides", "mono", "project", "release", "cancel_jobs", "favorite", "filter",
             "sort", "fit_balance"}
WORKER_GROUPS = ("refresh", "progress", "change", "resync", "reread", "demo-job")


class JobsScreen(UndoScreen):  # u undoes a release or cancel while it waits (jobs_undo.py)
    BINDINGS = [
        Binding("space", "toggle_select", N_("select"), id="jobs.select"),
        Binding("a", "select_all", N_("all/none"), id="jobs.select_all"),
        Binding("d", "sides", N_("1/2-sided"), id="jobs.sides"),
        Binding("m", "mono", N_("black & white"), id="jobs.mono"),  # at a printer only: a release option
        Binding("p", "project", N_("project"), id="jobs.project"),
        Binding("c", "account", N_("account"), id="jobs.account"),
        Binding("r", "release", N_("release"), id="jobs.release"),
        Binding("x", "cancel_jobs", N_("cancel"), id="jobs.cancel"),
        Binding("f", "favorite", N_("favourite"), id="jobs.favorite"),
        Binding("slash", "filter", N_("filter"), key_display="/", id="jobs.filter"),
        Binding("s", "sort", N_("sort"), id="jobs.sort"),
        Binding("h", "history", N_("history"), id="jobs.history"),
        Binding("l", "logout", N_("log out"), id="jobs.logout"),
        Binding("R", "receipt", N_("receipt"), show=False, id="jobs.receipt"),
        Binding("question_mark", "app.help", N_("help"), key_display="?", id="jobs.help"),
        Binding("escape", "clear_filter", N_("clear filter"), key_display="esc", id="jobs.clear_filter"),
        Binding("escape", "stop", N_("stop waiting"), show=False, id="jobs.stop"),
        Binding("b", "fit_balance", N_("fit my balance"), id="jobs.fit_balance"),
        Binding("n", "toggle_names", N_("show/hide names"), id="jobs.names"),  # with mask_job_names
        Binding("j", "demo_new_job", N_("new job (demo)"), id="demo.new_job"),
    ]

    def __init__(self, context: Context, session: Session, jobs: JobList) -> None:
        super().__init__()
        self.context = context
        self._session: Session | None = session  # None once wiped
        self.model = JobsModel(jobs, session.project_title)
        self.mask = NameMask(bool(context.settings.mask_job_names))
        self.requests = Requests(self)
        self.undo = UndoWindow(self, self.requests)
        self.changes = JobChanges(self, self.requests, self.undo)
        self.release_flow = ReleaseFlow(self, self.requests, self.undo)
        self._had_jobs = bool(self.model.jobs)  # the keys that need a job are dimmed without one
        self._leaving = False

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the session of this screen was wiped")
        return self._session

    @property
    def jobs(self) -> dict[int, Job]:
        return self.model.jobs

    @property
    def selected(self) -> set[int]:
        return self.model.selected

    def compose(self) -> ComposeResult:
        yield SessionHeader(demo=self.context.demo is not None, id="header")
        yield ConnectionBanner(insecure=self.context.settings.insecure)
        yield JobFilter(id="filter")
        yield (table := JobTable(JobRows(self), id="jobs"))
        yield Static(id="empty")
        yield JobDetail(table, id="detail")
        yield self.undo.bar
        yield PrintProgress(id="progress")
        yield TotalsBar(id="totals")
        yield StatusLine(mask=lambda text: self.mask.text(text, self.model.jobs.values()), id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_header()
        self.show_jobs()
        self.table.tick(self.context.now())
        self.table.focus()
        model = self.model
        shown = len(model.jobs) + len(model.rejected)
        self.banner.unreadable(len(model.rejected))
        showing = _("Showing {count} of {total} jobs.").format(count=len(model.jobs), total=model.total_count)
        self.say(showing if model.total_count > shown else "")
        self.requests.schedule()

    @property
    def table(self) -> JobTable:
        return self.query_one(JobTable)

    @property
    def banner(self) -> ConnectionBanner:
        return self.query_one(ConnectionBanner)

    @property
    def progress(self) -> PrintProgress:
        return self.query_one(PrintProgress)

    def show_header(self) -> None:  # the helpdesk's screen says more
        self.query_one(SessionHeader).show(self.session.name, self.session.account_line())

    def show_jobs(self) -> None:  # the helpdesk's screen says more when none waits
        """Put the jobs into the table (patching by id), then the empty state and the totals."""
        model = self.model
        visible = model.visible()
        table = self.table
        table.sync(visible)
        empty = self.query_one("#empty", Static)
        if not visible:
            empty.update(nothing_shown(self.session.user.full_name, model.filter_text, any_jobs=bool(model.jobs)))
        empty.display = not visible
        table.display = bool(visible)
        if bool(model.jobs) != self._had_jobs:
            self._had_jobs = bool(model.jobs)
            self.refresh_bindings()
        self.show_totals()

    def show_totals(self) -> None:
        jobs, picked = self.model.targets(self.table.ordered_ids, self.table.cursor_job_id)
        self.query_one(TotalsBar).show(jobs, picked, self.model, self.session)

    def apply(self, jobs: Iterable[Job]) -> None:
        """The server's list of pending jobs replaces ours, patched row by row."""
        self.model.replace(jobs, leave_out=self.release_flow.follow.printing.pending)
        with self.app.batch_update():
            self.show_jobs()
            self.table.tick(self.context.now())

    def targets(self) -> list[Job]:
        """The selected jobs the filter shows, in table order; else the highlighted job."""
        return self.model.targets(self.table.ordered_ids, self.table.cursor_job_id)[0]

    def confirmation_preface(self) -> list[tuple[str, Content | str]]:
        """Rows the release confirmation starts with (the helpdesk says for whom and why)."""
        return []

    def say(self, message: str, kind: Kind = "info") -> None:
        """The status line, right above the keys: what the last action did, in words."""
        self.say_about(message, None, kind)

    def say_about(self, message: str, about: int | str | None, kind: Kind = "info") -> None:
        """A message that goes when what it is `about` changes: a job the cursor leaves, the selection."""
        self.requests.stale = False
        self.query_one(StatusLine).say(message, kind, about=about)

    def printer(self) -> str | None:
        """The printer this station releases at (not for the helpdesk, nor once the session is wiped)."""
        session = self._session
        return self.context.settings.printer if session is not None and session.staff is None else None

    @on(JobTable.CursorMoved)
    def _cursor_moved(self, event: JobTable.CursorMoved) -> None:
        self.show_totals()
        self.query_one(StatusLine).cursor_on(event.job_id)
        job = self.model.jobs.get(event.job_id) if event.job_id is not None else None
        here = event.job_id == self.table.cursor_job_id  # keys typed fast: the cursor may have moved on
        if job is not None and job.is_paused and here and not self.requests.busy:
            self.say_about(_("A question waits for this job: r releases it (answer first), d switches sides."), job.id)

    @on(JobTable.RowSelected)
    def _row_clicked(self, event: JobTable.RowSelected) -> None:
        """Enter, or a click on the highlighted row, selects it like space."""
        event.stop()
        self.action_toggle_select()

    # --- selection, filter, sort ------------------------------------------------------------------

    def _selection_changed(self, job_ids: Iterable[int] | None = None) -> None:
        self.table.redraw(job_ids)
        self.show_totals()
        self.query_one(StatusLine).selection_changed()

    def action_toggle_select(self) -> None:
        job_id = self.table.cursor_job_id
        if job_id is not None:
            self.model.toggle(job_id)
            self._selection_changed([job_id])

    def action_select_all(self) -> None:
        self._selection_changed(self.model.select_all(self.table.ordered_ids))

    def action_filter(self) -> None:
        self.query_one(JobFilter).open()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.model.set_filter(event.value)
        self.show_jobs()

    @on(Input.Submitted, "#filter")
    def _filter_kept(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(JobFilter).keep()
        self.table.focus()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        if self.query_one(JobFilter).drop():
            self.model.set_filter("")
            self.show_jobs()
            self.table.focus()
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":  # Escape shows (and works) only while there is a filter
            return self.query_one(JobFilter).display
        if action == "stop":  # else Escape, while a request is out, says why it cannot be stopped
            return bool(self.requests.busy)
        if action == "mono" and self.printer() is None:
            return False  # black and white is a release option, and there is no printer to release at
        if action == "toggle_names":
            return self.mask.allowed
        if action == "demo_new_job":
            return self.context.demo is not None
        if action in NEED_JOBS and not self.model.jobs:
            return None  # shown dimmed: there is no job to do it to
        return super().check_action(action, parameters)

    def action_stop(self) -> None:
        """A change sent to the print server cannot be called back: say so, and how long at most."""
        timeout = self.context.settings.timeout
        note = _("it was sent and cannot be stopped from here; station waits at most {timeout:g} s")
        self.requests.wait_note = note.format(timeout=timeout)
        self.say(f"{self.requests.busy} {self.requests.wait_note}.", "busy")

    def action_sort(self) -> None:
        table = self.table
        table.sort_by(next_sort(table.sort_column))
        self.say(sorted_by(table.sort_column, table.sort_reverse))

    def help_notes(self) -> list[str]:
        """What the help says besides the keys (the App lists the keys from the active bindings)."""
        return help_notes(self.printer())

    def action_history(self) -> None:
        """What was done with these jobs, by whom and why: the audit of their owner."""
        from station.ui.screens.audit import AuditScreen

        self.app.push_screen(AuditScreen.history(self.context, self.session, self.jobs.values()))

    # --- what the parts do ------------------------------------------------------------------------

    def _targets_or_say(self, nothing: str) -> list[Job]:
        jobs = self.targets()
        if not jobs:
            self.say(nothing)
        return jobs

    def action_sides(self) -> None:
        if jobs := self._targets_or_say(_("No job to switch.")):
            self.changes.sides(jobs)

    def action_mono(self) -> None:
        if jobs := self._targets_or_say(_("No job to print in black and white.")):
            self.changes.mono(jobs)

    def action_project(self) -> None:
        if jobs := self._targets_or_say(_("No job to give a project.")):
            self.changes.project(jobs)

    def action_account(self) -> None:
        self.changes.account()

    def action_favorite(self) -> None:
        if jobs := self._targets_or_say(_("No job to mark.")):
            self.changes.favourite(jobs)

    def action_cancel_jobs(self) -> None:
        if jobs := self._targets_or_say(_("No job to cancel.")):
            self.changes.cancel(jobs)

    def action_release(self) -> None:
        if jobs := self._targets_or_say(_("No job to release.")):
            self.release_flow.start(jobs)

    # The names the helpdesk's `OwnerJobsScreen` builds on.

    def _start(self, doing: str) -> bool:
        return not self.undo.refuses() and self.requests.start(doing)

    @property
    def _busy(self) -> str:
        return self.requests.busy

    @_busy.setter
    def _busy(self, doing: str) -> None:
        self.requests.busy = doing

    def _request(self, doing: str, action: str = "", ids: Iterable[int] = ()) -> AbstractAsyncContextManager[Outcome]:
        return self.requests.request(doing, action, ids)

    def _remove(self, job_ids: Iterable[int]) -> None:
        self.model.remove(job_ids)
        self.show_jobs()

    # --- n, b, j: names, fit my balance, a new demo job -----------------------------------------

    def action_toggle_names(self) -> None:
        if not self.mask.allowed:
            return
        hidden = self.mask.toggle()
        self.table.redraw()
        self.say(_("Job names hidden: n shows them.") if hidden else _("Job names shown: n hides them."))

    def action_fit_balance(self) -> None:
        if not self.table.ordered_ids:
            self.say(_("No job to fit."))
            return
        account = self.session.account
        fit = self.model.fit(self.table.ordered_ids, account.balance if account is not None else None)
        self._selection_changed()
        self.say_about(fit_said(fit, self.session, self.mask.name), SELECTION, "success" if fit.chosen else "error")

    def action_demo_new_job(self) -> None:
        if self.context.demo is not None:
            self.changes.new_demo_job()

    def action_receipt(self) -> None:
        if self._session is not None and self._session.receipt is not None:  # none at the helpdesk
            self.app.push_screen(ReceiptModal(self._session.receipt))

    # --- log out, and the wipe --------------------------------------------------------------------

    def action_logout(self) -> None:
        if not self._leaving:  # a second l while logging out does nothing
            self._leaving = True
            self.say(_("Logging out…"), "busy")
            self.post_message(LogoutRequested(_("You are logged out.")))

    def wipe(self) -> None:
        """The session is over: stop its work and drop the jobs, the session and every widget's text."""
        self.requests.closed = True
        self.requests.schedule()  # stops the quiet refresh to come
        for group in WORKER_GROUPS:
            self.workers.cancel_group(self, group)
        self.model.clear()
        self.release_flow.follow.printing = Printing()
        self._session = None
        if not self.is_attached:
            return
        for table in self.query(JobTable):  # each may be gone already while the screen unmounts
            table.clear()
        for widget in self.query(Static):
            if not widget.has_class("demo-marker"):
                widget.update("")
        for field in self.query(Input):
            field.value = ""

    def on_screen_suspend(self) -> None:
        """Another screen took this one's place (a dialog over it leaves it on the stack): the
        session is over, and the widgets are wiped while they are still here to be wiped."""
        if self not in self.app.screen_stack:
            self.wipe()

    def on_unmount(self) -> None:
        self.wipe()
