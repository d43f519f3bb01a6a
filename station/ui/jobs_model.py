"""What the jobs screen knows, as plain Python: the jobs, the selection, the filter, the release
options chosen at the printer, and the sums and choices made from them.

Nothing here imports Textual: the screen asks the model and draws what it answers; the table
keeps the order (its sort) and the cursor, and hands them in where they matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from station.api.models import PENDING_STATES, Job, JobList
from station.api.release import ReleaseOptions
from station.i18n import _
from station.untrusted import plain
from station.ui.fit import Fit, fit_balance
from station.ui.release_choices import ReleaseChoices
from station.ui.session import Session, Totals
from station.format import count

SORTABLE = ("name", "submitted", "pages", "colour", "copies", "sides", "cost", "project", "expires")  # `s` steps


def fit_said(fit: Fit, session: Session, name: Callable[[Job], str]) -> str:
    """What `b` did, in words: what it selected for how much, and what it left out and why."""
    where = session.account_line()
    if fit.chosen:
        cost = Totals.of(fit.chosen).cost
        head = _("Selected {count} for {cost} ({where}).").format(
            count=count(len(fit.chosen), 'job', 'jobs'), cost=session.money(cost), where=where,
        )
    else:
        head = _("No job fits {where}.").format(where=where)
    left = [_("{name} ({cost}) — not enough credit").format(
        name=name(job), cost=session.money(job.cost),
    ) for job in fit.too_dear]
    left += [_("{name} (?) — a question waits (r asks it)").format(name=name(job)) for job in fit.paused]
    return head + (_(" Left out: {left}.").format(left='; '.join(left)) if left else _(" Nothing left out."))


def is_pending(job: Job) -> bool:
    """Still waiting to be released (a server that does not say the state lists only those)."""
    return job.state in PENDING_STATES or job.state is None


def next_sort(column: str | None) -> str:
    """The column `s` sorts by after `column`: the next one, round again after the last."""
    index = SORTABLE.index(column) if column in SORTABLE else -1
    return SORTABLE[(index + 1) % len(SORTABLE)]


class JobsModel:
    """One person's pending jobs and what they chose about them.

    `project_title` names a project in words (the filter matches it as well as job names).
    """

    def __init__(self, listed: JobList, project_title: Callable[[int], str]) -> None:
        self.jobs: dict[int, Job] = {job.id: job for job in listed.jobs}
        self.total_count = listed.count  # the server holds this many (it may list fewer)
        self.rejected = list(listed.rejected)  # jobs of the answer that could not be read, named
        self.project_title = project_title
        self.selected: set[int] = set()
        self.base_cost: dict[int, Decimal] = {job_id: job.cost for job_id, job in self.jobs.items()}
        self.filter_text = ""
        self.choices = ReleaseChoices()  # release at a printer: how each job prints when chosen here
        self.changes = 0  # bumped by every change, so a refresh that raced one is dropped

    # --- what shows -----------------------------------------------------------------------------

    def visible(self) -> list[Job]:
        """The jobs the filter lets through (all of them without a filter)."""
        if not self.filter_text:
            return list(self.jobs.values())
        needle = self.filter_text.casefold()
        return [
            job
            for job in self.jobs.values()
            if needle in plain(job.name).casefold() or needle in self.project_title(job.project_id).casefold()
        ]

    def set_filter(self, typed: str) -> None:
        self.filter_text = plain(typed).strip()

    def targets(self, ordered_ids: Sequence[int], cursor: int | None) -> tuple[list[Job], bool]:
        """The jobs an action applies to and whether they are a selection: the selected jobs the
        table shows (in its order), else the job under the cursor."""
        if self.selected:
            chosen = [self.jobs[job_id] for job_id in ordered_ids if job_id in self.selected and job_id in self.jobs]
            if chosen:
                return chosen, True
        return ([self.jobs[cursor]] if cursor in self.jobs else []), False

    def totals(self, jobs: Iterable[Job]) -> Totals:
        """Pages, sheets and colour as the jobs will print (options chosen here); the cost as listed."""
        return Totals.of(self.choices.printed(job) for job in jobs)

    def saving(self, job_id: int) -> Decimal:
        """What the job's cost moved by since it was first listed here (2-sided saves)."""
        job = self.jobs.get(job_id)
        if job is None or job_id not in self.base_cost:
            return Decimal("0")
        return job.cost - self.base_cost[job_id]

    def is_selected(self, job_id: int) -> bool:
        return job_id in self.selected

    def chosen(self, job_id: int) -> ReleaseOptions:
        return self.choices.of(job_id)

    # --- the selection --------------------------------------------------------------------------

    def toggle(self, job_id: int) -> None:
        self.selected ^= {job_id}

    def select_all(self, shown: Iterable[int]) -> set[int]:
        """All the jobs shown, or none of them when all are selected already; the ids that changed."""
        shown = set(shown)
        if shown and shown <= self.selected:
            self.selected -= shown
        else:
            self.selected |= shown
        return shown

    def fit(self, ordered_ids: Sequence[int], balance: Decimal | None) -> Fit:
        """`b`: select the most jobs (of those shown) that `balance` pays for."""
        shown = [job for job in (self.jobs.get(job_id) for job_id in ordered_ids) if job is not None]
        fit = fit_balance(shown, balance)
        self.selected = {job.id for job in fit.chosen}
        return fit

    # --- what the server said -------------------------------------------------------------------

    def replace(self, jobs: Iterable[Job], *, leave_out: Iterable[int] = ()) -> None:
        """The server's list of pending jobs replaces ours. `leave_out`: jobs released here and
        still followed to the printer (a server that releases asynchronously may list them a
        moment longer: they must not be offered again)."""
        gone = set(leave_out)
        self.jobs = {job.id: job for job in jobs if is_pending(job) and job.id not in gone}
        for job_id, job in self.jobs.items():
            self.base_cost.setdefault(job_id, job.cost)
        self.forget_gone()

    def update(self, jobs: Iterable[Job]) -> None:
        """Jobs a change returned: patched in place; one no longer pending leaves the list."""
        for job in jobs:
            if job.id not in self.jobs:
                continue
            if is_pending(job):
                self.jobs[job.id] = job
            else:
                del self.jobs[job.id]
        self.forget_gone()

    def remove(self, job_ids: Iterable[int]) -> None:
        for job_id in job_ids:
            self.jobs.pop(job_id, None)
        self.forget_gone()

    def forget_gone(self) -> None:
        """Selection and choices keep only jobs still listed; every change counts."""
        self.selected &= set(self.jobs)
        self.choices.keep_only(self.jobs)
        self.changes += 1

    def clear(self) -> None:
        """Logged out: nothing of the person's jobs stays."""
        self.project_title = lambda project_id: ""  # the session's goes with it
        self.jobs = {}
        self.base_cost.clear()
        self.choices.clear()
        self.selected.clear()
        self.rejected.clear()
        self.filter_text = ""
