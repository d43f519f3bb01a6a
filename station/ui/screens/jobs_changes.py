"""The changes a person makes to their jobs before releasing them: sides (`d`), black and white
at a printer (`m`), project (`p`), the account charged (`c`), favourite (`f`), cancel (`x`), and
in a demo a new job (`j`).

Each goes key → a method here → (a dialog) → one request through `Requests.request`, which says
what is happening and what went wrong; the rows are patched by job id with what the server
answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from decimal import Decimal
from typing import Any

from station.api.client import NO_SIDES
from station.api.errors import ApiError, StaleState, Unsupported
from station.api.models import Job, JobList
from station.i18n import _
from station.untrusted import plain
from station.ui.demo import new_job
from station.ui.failures import failure
from station.ui.modals import AccountPicker, CancelConfirm, ProjectPicker
from station.ui.screens.jobs_host import JobsHost
from station.ui.screens.jobs_requests import PAGE, Requests
from station.ui.screens.jobs_undo import UndoWindow
from station.ui.session import Totals
from station.format import NAME_IN_TEXT, count


def names_of(jobs: list[Job]) -> str:
    """One job by its name, several by their number."""
    return plain(jobs[0].name, limit=NAME_IN_TEXT) if len(jobs) == 1 else count(len(jobs), 'job', 'jobs')


class JobChanges:
    def __init__(self, host: JobsHost, requests: Requests, undo: UndoWindow) -> None:
        self.host = host
        self.requests = requests
        self.undo = undo  # while a release or cancel waits in its undo window, changes are refused

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        self.host.run_worker(work, group="change", exit_on_error=False)

    def changed(self, changed: JobList | None) -> None:
        """The jobs a change answered with; when the body did not say, read the list again."""
        if changed is None:
            self.requests.resync()
        else:
            self.host.model.update(changed.jobs)
            self.host.show_jobs()

    # --- sides and black and white ------------------------------------------------------------

    def sides(self, jobs: list[Job]) -> None:
        """Sides through the job's script dialog where the server offers one; else, at a printer,
        as a release option; else a sentence that this server does not let station do it."""
        if self.undo.refuses():
            return
        if self.host.session.client.offers_sides is False:
            self.sides_at_printer(jobs)
        elif self.requests.start(_("Switching sides…")):
            self._run(self._switch_sides(jobs))

    def sides_at_printer(self, jobs: list[Job]) -> None:
        """`d` without a script dialog: 2-sided (or back) as a release option at the printer."""
        printer = self.host.printer()
        if printer is None:
            self.host.say(NO_SIDES, "error")
            return
        duplex = self.host.model.choices.switch_sides(jobs)
        how = _("print 2-sided at printer {printer}") if duplex else _("print 1-sided at printer {printer}")
        self._chose(jobs, how.format(
            printer=plain(printer),
        ))

    def mono(self, jobs: list[Job]) -> None:
        """Black and white (or back to colour) as a release option at the printer."""
        printer = self.host.printer()
        if printer is None or self.undo.refuses():  # the key is not offered without a printer
            return
        mono = self.host.model.choices.switch_mono(jobs)
        if mono is None:
            said = (
                _("{names} has no colour: black and white already.") if len(jobs) == 1
                else _("{names} have no colour: black and white already.")
            )
            self.host.say(said.format(names=names_of(jobs)))
            return
        coloured = [job for job in jobs if job.color]
        how = _("in black and white") if mono else _("in colour again, as sent,")
        self._chose(coloured, _("print {how} at printer {printer}").format(how=how, printer=plain(printer)))

    def _chose(self, jobs: list[Job], how: str) -> None:
        """A release option changed: show it in the rows and the totals (which say who prices it)."""
        self.host.table.redraw([job.id for job in jobs])
        self.host.show_totals()
        self.host.say(_("{names} will {how}.").format(names=names_of(jobs), how=how), "success")

    async def _switch_sides(self, jobs: list[Job]) -> None:
        # Mixed: make them all 2-sided. All 2-sided already: back to 1-sided.
        host = self.host
        duplex = not all(job.duplex for job in jobs)
        wanted = [job for job in jobs if job.duplex != duplex]
        word = _("2-sided") if duplex else _("1-sided")
        doing = _("Switching {count} to 2-sided…") if duplex else _("Switching {count} to 1-sided…")
        async with self.requests.request(doing.format(count=count(len(wanted), 'job', 'jobs'))):
            results = await asyncio.gather(*(self._set_sides(job, duplex) for job in wanted), return_exceptions=True)
            changed = [job for job in results if isinstance(job, Job)]
            host.model.update(changed)  # those that switched show it, even when others failed
            host.show_jobs()
            failures = [error for error in results if isinstance(error, BaseException)]
            no_dialog = host.session.client.offers_sides is False  # learned just now: no script dialog
            if failures and no_dialog and all(isinstance(error, Unsupported) for error in failures):
                self.sides_at_printer(jobs)
                return
            if failures:
                raise failures[0]
            before = sum((job.cost for job in wanted), Decimal("0"))
            after = sum((job.cost for job in changed), Decimal("0"))
            message = _("{names} now {word}: {after}").format(
                names=names_of(changed), word=word, after=host.session.money(after),
            )
            if before > after:
                message += _(", saving {saving}").format(saving=host.session.money(before - after))
            elif after > before:
                message += _(", {more} more").format(more=host.session.money(after - before))
            host.say(message + ".", "success")

    async def _set_sides(self, job: Job, duplex: bool) -> Job:
        """Answer the job's duplex question; ask once more if the job changed meanwhile."""
        client = self.host.session.client
        try:
            return await client.set_duplex(job.id, duplex)
        except StaleState:
            return await client.set_duplex(job.id, duplex)

    # --- project and account --------------------------------------------------------------------

    def project(self, jobs: list[Job]) -> None:
        if self.undo.refuses():
            return
        if not self.host.session.projects_known:
            self.host.say(_("This print server does not list projects, so station cannot set one."))
        elif self.requests.start(_("Choosing a project…")):
            self._run(self._pick_project(jobs))

    async def _pick_project(self, jobs: list[Job]) -> None:
        host, session = self.host, self.host.session
        try:
            current = {job.project_id for job in jobs}
            title = _("Project for {names}").format(names=names_of(jobs))
            picker = ProjectPicker(session.projects, current=current.pop() if len(current) == 1 else None, title=title)
            project_id = await host.app.push_screen_wait(picker)
        finally:
            self.requests.busy = ""
        if project_id is None:
            host.say(_("Project unchanged."))
            return
        name = session.project_title(project_id)
        async with self.requests.request(_("Setting {name} on {count}…").format(
            name=name, count=count(len(jobs), 'job', 'jobs'),
        )):
            changed = await session.client.patch_jobs([job.id for job in jobs], project_id=project_id)
            self.changed(changed)
            said = _("Removed the project from {count}.") if not project_id else _("Project {name} set on {count}.")
            host.say(said.format(name=name, count=count(len(jobs), 'job', 'jobs')), "success")

    def account(self) -> None:
        session = self.host.session
        accounts = session.user.accounts
        if self.undo.refuses():
            return
        if not accounts:
            self.host.say(_("Your jobs are charged the way the print server decides: there is no account to choose."))
        elif len(accounts) == 1:
            self.host.say(_("Your jobs are charged to {account_line}: there is no other account.").format(
                account_line=session.account_line(),
            ))
        elif self.requests.start(_("Choosing an account…")):
            self._run(self._pick_account())

    async def _pick_account(self) -> None:
        host, session = self.host, self.host.session
        try:
            cost = Totals.of(host.targets()).cost
            picker = AccountPicker(
                session.user.accounts, current=session.account_id, cost=cost, balances_known=session.balances_known
            )
            account_id = await host.app.push_screen_wait(picker)
        finally:
            self.requests.busy = ""
        if account_id is None or session.user.account(account_id) is None:
            host.say(_("Account unchanged."))
            return
        session.account_id = account_id
        host.progress.account_changed()
        host.show_header()
        host.show_totals()
        host.say(_("The next release is charged to {account_line}.").format(
            account_line=session.account_line(),
        ), "success")

    # --- favourite ------------------------------------------------------------------------------

    def favourite(self, jobs: list[Job]) -> None:
        if not self.undo.refuses() and self.requests.start(_("Marking favourites…")):
            self._run(self._favourite(jobs))

    async def _favourite(self, jobs: list[Job]) -> None:
        favourite = not all(job.favorite for job in jobs)
        async with self.requests.request(_("Marking favourites…") if favourite else _("Unmarking favourites…")):
            changed = await self.host.session.client.patch_jobs([job.id for job in jobs], favorite=favourite)
            self.changed(changed)
            if len(jobs) == 1:
                said = _("{names} is now a favourite.") if favourite else _("{names} is no longer a favourite.")
            else:
                said = _("{names} are now favourites.") if favourite else _("{names} are no longer favourites.")
            self.host.say(said.format(names=names_of(jobs)), "success")

    # --- j: a new job (demo) ---------------------------------------------------------------------

    def new_demo_job(self) -> None:
        """A job for the person, spooled as a computer would, so an audience watches it arrive."""
        self.host.run_worker(self._spool_demo_job(), group="demo-job", exit_on_error=False)

    async def _spool_demo_job(self) -> None:
        host, session = self.host, self.host.session
        name, info = new_job()
        try:
            job_id = await session.client.spool(queue="direct", owner=session.user.username, name=name, job_info=info)
            jobs = await session.client.jobs(limit=PAGE)
        except ApiError as error:
            what = failure(error)
            if isinstance(what, str):
                host.say(_("No new job: {human}").format(human=plain(error.human)), "error")
            else:
                host.post_message(what)
            return
        host.apply(jobs.jobs)
        host.table.move_to_job(job_id)
        host.say(_("A new job arrived: {name}.").format(name=name), "success")

    # --- cancel ---------------------------------------------------------------------------------

    def cancel(self, jobs: list[Job]) -> None:
        if not self.undo.refuses() and not self.requests.unsure_of(jobs) and self.requests.start(_("Canceling…")):
            self._run(self._cancel(jobs))

    async def _cancel(self, jobs: list[Job]) -> None:
        host = self.host
        try:
            sure = await host.app.push_screen_wait(CancelConfirm([plain(job.name, limit=NAME_IN_TEXT) for job in jobs]))
        finally:
            self.requests.busy = ""
        if not sure:
            host.say(_("Nothing canceled."))
            return
        if not await self.undo.wait("cancel", jobs):  # the undo window: nothing is sent before it passes
            return
        ids = [job.id for job in jobs]
        async with self.requests.request(_("Canceling {count}…").format(
            count=count(len(jobs), 'job', 'jobs'),
        ), action="cancel", ids=ids):
            await host.session.client.cancel(ids)
            host.session.note_cancel(jobs)
            host.model.remove(ids)
            host.show_jobs()
            host.say(_("Canceled {count}. Nothing was charged.").format(
                count=count(len(jobs), 'job', 'jobs'),
            ), "success")
