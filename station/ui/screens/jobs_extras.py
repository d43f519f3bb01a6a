"""What the jobs screen does in kiosk and demo mode, kept beside it so the screen stays small:

- `b` fit my balance: select the most jobs the chosen account pays for, say what was left out;
- `n` show or hide job names, when the settings mask them (`mask_job_names`);
- `j` (demo) a new job for the person, spooled through `POST /v3/jobs/client`;
- the wipe at logout: no job name, user name or balance stays on screen or in memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.widgets import Static

from station.api.errors import ApiError, SessionExpired
from station.api.models import Job
from station.text import plain
from station.ui.demo import new_job
from station.ui.fit import fit_balance
from station.ui.messages import SessionEnded
from station.ui.session import Totals
from station.ui.text import NAME_IN_TEXT, count
from station.ui.widgets.job_table import JobTable

if TYPE_CHECKING:
    from station.ui.screens.jobs import JobsScreen

MASK = "••••••"

JOBS_EXTRA_BINDINGS = [
    Binding("b", "fit_balance", "fit my balance", id="jobs.fit_balance"),
    Binding("n", "toggle_names", "show/hide names", id="jobs.names"),
    Binding("j", "demo_new_job", "new job (demo)", id="demo.new_job"),
]
EXTRA_ACTIONS = {"fit_balance", "toggle_names", "demo_new_job"}


class JobsExtras:
    """Mixed into `JobsScreen` (methods only: the screen holds the state)."""

    names_hidden: bool = False

    def init_extras(self: JobsScreen) -> None:
        self.names_hidden = bool(self.context.settings.mask_job_names)

    def check_extra(self: JobsScreen, action: str) -> bool | None:
        if action == "toggle_names":
            return bool(self.context.settings.mask_job_names)
        if action == "demo_new_job":
            return self.context.demo is not None
        if action == "fit_balance":
            return True if self.jobs else None
        return True

    def shown_name(self: JobsScreen, job: Job) -> str:
        return MASK if self.names_hidden else plain(job.name, limit=NAME_IN_TEXT)

    def mask_names(self: JobsScreen, message: str) -> str:
        """A status line with the names of this person's jobs masked, while they are hidden."""
        if not self.names_hidden:
            return message
        for name in sorted({plain(job.name) for job in self.jobs.values()}, key=len, reverse=True):
            if name:
                message = message.replace(name, MASK)
        return message

    # --- n: show or hide names ------------------------------------------------------------------

    def action_toggle_names(self: JobsScreen) -> None:
        if not self.context.settings.mask_job_names:
            return
        self.names_hidden = not self.names_hidden
        self.table.redraw()
        self.say("Job names hidden: n shows them." if self.names_hidden else "Job names shown: n hides them.")

    # --- b: fit my balance ----------------------------------------------------------------------

    def action_fit_balance(self: JobsScreen) -> None:
        jobs = [job for job in (self.jobs.get(job_id) for job_id in self.table.ordered_ids) if job is not None]
        if not jobs:
            self.say("No job to fit.")
            return
        account = self.session.account
        balance = account.balance if account is not None else None
        fit = fit_balance(jobs, balance)
        self.selected = {job.id for job in fit.chosen}
        self.table.redraw()
        self._show_totals()
        where = self.session.account_line()
        if fit.chosen:
            cost = Totals.of(fit.chosen).cost
            head = f"Selected {count(len(fit.chosen), 'job')} for {self.session.money(cost)} ({where})."
        else:
            head = f"No job fits {where}."
        left = [f"{self.shown_name(job)} ({self.session.money(job.cost)}) — not enough credit" for job in fit.too_dear]
        left += [f"{self.shown_name(job)} (?) — a question waits (r asks it)" for job in fit.paused]
        tail = f" Left out: {'; '.join(left)}." if left else " Nothing left out."
        self.say(head + tail, "success" if fit.chosen else "error")

    # --- j: a new demo job ----------------------------------------------------------------------

    def action_demo_new_job(self: JobsScreen) -> None:
        if self.context.demo is not None:
            self._spool_demo_job()

    @work(group="demo-job", exit_on_error=False)
    async def _spool_demo_job(self: JobsScreen) -> None:
        name, info = new_job()
        session = self.session
        try:
            job_id = await session.client.spool(queue="direct", owner=session.user.username, name=name, job_info=info)
            jobs = await session.client.jobs(limit=500)
        except SessionExpired as error:
            self.post_message(SessionEnded(error.human))
            return
        except ApiError as error:
            self.say(f"No new job: {error.human}", "error")
            return
        self._apply(jobs.jobs)
        self.table.move_to_job(job_id)
        self.say(f"A new job arrived: {name}.", "success")

    # --- the wipe -------------------------------------------------------------------------------

    def wipe(self: JobsScreen) -> None:
        """Logged out: drop the session, the client, the jobs and every widget's text."""
        for group in ("refresh", "progress", "change", "resync", "reread", "demo-job"):
            self.workers.cancel_group(self, group)
        self.jobs = {}
        self.base_cost.clear()
        self.choices.clear()
        self.selected.clear()
        self.rejected.clear()
        self.filter_text = ""
        self.session = None  # type: ignore[assignment]
        if not self.is_attached:
            return
        for table in self.query(JobTable):
            table.clear()
        for widget in self.query(Static):
            if not widget.has_class("demo-marker"):
                widget.update("")
        for field in self.query("Input"):
            field.value = ""  # type: ignore[attr-defined]


__all__ = ["EXTRA_ACTIONS", "JOBS_EXTRA_BINDINGS", "MASK", "JobsExtras"]
