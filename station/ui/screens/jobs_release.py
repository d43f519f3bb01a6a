"""The release, from `r` to the printer: the questions the server asks first, the confirmation,
the requests (one per way of printing at a printer) and what the person is told; then the jobs
are handed to `PrintFollow`, which follows them to the printer.
"""

from __future__ import annotations

from decimal import Decimal

from textual.content import Content

from station.api.errors import ApiError, ServerUnreachable, SessionExpired
from station.api.models import Job, ReleaseAnswer, ScriptReply
from station.api.release import AS_SENT, ReleaseOptions
from station.i18n import _
from station.untrusted import plain
from station.ui.faults import explain
from station.ui.receipt import as_printed
from station.ui.modals import QuestionModal, ReleaseConfirm
from station.ui.release_choices import how_they_print
from station.ui.screens.jobs_changes import names_of
from station.ui.screens.jobs_follow import PrintFollow
from station.ui.screens.jobs_host import JobsHost
from station.ui.screens.jobs_requests import Requests
from station.ui.screens.jobs_undo import UndoWindow
from station.format import NAME_IN_TEXT, count

MAX_QUESTIONS = 10  # a server that keeps asking is cut short


def where(printer: str | None, ways: list[ReleaseOptions]) -> str:
    """` at printer 1 (2 jobs 2-sided, 1 in black and white)`, or nothing without a printer."""
    if printer is None:
        return ""
    how = f" ({how_they_print(ways)})" if any(not way.as_sent for way in ways) else ""
    return _(" at printer {printer}{how}").format(printer=plain(printer), how=how)


class ReleaseFlow:
    def __init__(self, host: JobsHost, requests: Requests, undo: UndoWindow) -> None:
        self.host = host
        self.requests = requests
        self.undo = undo
        self.follow = PrintFollow(host)
        self._unfollowed: list[tuple[list[Job], ReleaseAnswer | None, ReleaseOptions]] = []  # `follow_released`

    def refusal(self, jobs: list[Job]) -> str | None:
        # Options chosen here change the price, which only the server knows: it checks the credit then.
        return self.host.session.release_refusal(jobs, check_credit=not self.host.model.choices.changes(jobs))

    def start(self, jobs: list[Job]) -> None:
        if self.undo.refuses() or self.requests.unsure_of(jobs):
            return
        refusal = self.refusal(jobs)
        if refusal:
            self.host.say(refusal, "error")  # refused before any request
        elif self.requests.start(_("Releasing…")):
            self.host.run_worker(self._release(jobs), group="change", exit_on_error=False)

    async def _release(self, jobs: list[Job]) -> None:
        host = self.host
        ids = [job.id for job in jobs]
        try:
            # A paused job is released by answering its question first.
            for job in [job for job in jobs if job.is_paused]:
                if await self._answer_questions(job) is None:
                    return
            jobs = [host.model.jobs[job_id] for job_id in ids if job_id in host.model.jobs]
            refusal = self.refusal(jobs)
            if refusal:
                host.say(refusal, "error")
                return
            if not await host.app.push_screen_wait(self.confirmation(jobs)):
                host.say(_("Nothing released."))
                return
        finally:
            self.requests.busy = ""
        printer = host.printer()
        ways = {job.id: host.model.choices.of(job.id) if printer else AS_SENT for job in jobs}  # as confirmed
        if await self.undo.wait("release", jobs):  # the undo window: nothing is sent before it passes
            await self._send(jobs, ways)

    async def _send(self, jobs: list[Job], ways: dict[int, ReleaseOptions]) -> None:
        """Through the printer when one is set (one request per way of printing), else `process`."""
        host = self.host
        printer = host.printer()
        groups: dict[ReleaseOptions, list[Job]] = {}
        for job in jobs:
            groups.setdefault(ways[job.id], []).append(job)
        released: list[Job] = []
        charged: Decimal | None = Decimal("0")
        for options, group in groups.items():
            ids = [job.id for job in group]
            result: ReleaseAnswer | None = None
            doing = _("Releasing {count}…").format(count=count(len(ids), 'job', 'jobs'))
            async with self.requests.request(doing, action="release", ids=ids) as outcome:
                result = await self._send_group(ids, printer, options)
            if not outcome.done:  # said why; the jobs of this group and those after it stay as they are
                if released and outcome.error is not None and not isinstance(outcome.error, SessionExpired):
                    rest = names_of([job for job in jobs if job not in released])
                    at = where(printer, [ways[job.id] for job in released])
                    host.say(_("Released {count}{at}. Not released, {rest}: {explain}").format(
                        count=count(len(released), 'job', 'jobs'), at=at, rest=rest, explain=explain(outcome.error),
                    ), "error")
                    self.requests.read_again()
                return
            released += group
            charged = None if result is None or charged is None else charged + result.charged
            self._released(group, result, options)
        done = _("Released {count}{where}").format(
            count=count(len(released), 'job', 'jobs'), where=where(printer, [ways[job.id] for job in released]),
        )
        if charged is not None:
            host.say(_("{done}: charged {charged}.").format(done=done, charged=host.session.money(charged)), "success")
        else:
            host.say(_("{done}. The print server works out what it costs.").format(done=done), "success")
        self.requests.read_again()

    async def _send_group(self, ids: list[int], printer: str | None, options: ReleaseOptions) -> ReleaseAnswer | None:
        session = self.host.session
        if printer is not None:
            return await session.client.release_at_printer(printer, ids, options=options, account=session.account_id)
        return await session.client.process(ids, owner=session.owner_name, account=session.account_id)

    def _released(self, jobs: list[Job], result: ReleaseAnswer | None, options: ReleaseOptions = AS_SENT) -> None:
        """A 2xx: the jobs leave the list and the balance is what the server said, at once; the
        receipt and the progress panel follow once that is on screen (reading 500 jobs as the
        server says they print takes longer than a frame). The list and the balance are read
        again either way (7.3, point 3)."""
        host = self.host
        session = host.session
        host.model.remove(job.id for job in jobs)
        host.show_jobs()
        if result is not None and session.balances_known:
            session.set_balance(session.account_id, result.balance)
        host.show_header()
        self._unfollowed.append((jobs, result, options))
        host.call_after_refresh(self.follow_released)

    def follow_released(self) -> None:
        """The receipt notes the jobs released, and the progress panel follows them to the printer:
        after the outcome is on screen, or at once when the session ends first (the receipt)."""
        while self._unfollowed:
            jobs, result, options = self._unfollowed.pop(0)
            self.host.session.note_release([as_printed(job, options) for job in jobs], result, self.host.printer())
            if result is not None:
                self.follow.track(result.jobs or jobs, result.charged)
            else:
                self.follow.track(jobs, None)

    # --- the confirmation -----------------------------------------------------------------------

    def confirmation(self, jobs: list[Job]) -> ReleaseConfirm:
        host, session = self.host, self.host.session
        totals = host.model.totals(jobs)
        projects = {job.project_id for job in jobs}
        if len(projects) == 1:
            project = session.project_title(projects.pop())
        else:
            project = _("several: ") + ", ".join(sorted(session.project_label(p) or _("none") for p in projects))
        account = session.account
        repriced = host.model.choices.changes(jobs)
        cost = Content.styled(session.money(totals.cost), "bold") + Content(_(" as listed") if repriced else "")
        named = ", ".join(plain(job.name, limit=NAME_IN_TEXT) for job in jobs[:3])
        rows: list[tuple[str, Content | str]] = [
            *host.confirmation_preface(),
            (_("Jobs"), named + (_(" and {more} more").format(more=len(jobs) - 3) if len(jobs) > 3 else "")),
        ]
        printer = host.printer()
        if printer is not None:
            rows.append((_("Printer"), plain(printer)))
            rows.append((_("Prints"), host.model.choices.how(jobs)))
        rows += [
            (_("Pages"), _("{pages} ({colour} colour) · {count}").format(
                pages=totals.pages, colour=totals.colour, count=count(totals.sheets, 'sheet', 'sheets'),
            )),
            (_("Cost"), cost),
            (_("Project"), project),
            (_("Account"), plain(account.name or account.id) if account else _("the default account")),
        ]
        if repriced and account is not None and account.balance is not None and session.balances_known:
            rows.append((_("Balance now"), session.money(account.balance)))
        else:
            after = None if repriced else session.balance_after(totals.cost)
            if after is not None:
                rows.append((_("Balance after"), session.money(after)))
            else:
                rows.append((_("Balance after"), _("no limit") if session.balances_known else _("not known")))
        notes = [_("The print server prices what you chose at release.") if repriced else ""]
        if host.context.settings.logout_after_release:  # a kiosk, mostly: say it before, not after
            notes.append(_("Once they print, you are logged out.") if len(jobs) > 1 else
                         _("Once it prints, you are logged out."))
        return ReleaseConfirm(rows, jobs=len(jobs), note="\n".join(filter(None, notes)))

    # --- the server's questions -----------------------------------------------------------------

    async def _answer_questions(self, job: Job) -> Job | None:
        """Show the server's question(s) for this job until none is open; None if not answered."""
        host = self.host
        client = host.session.client
        name = plain(job.name, limit=NAME_IN_TEXT)
        try:
            reply: ScriptReply | None = await client.script_ask(job.id)
            for _asked in range(MAX_QUESTIONS):
                if reply is None:  # no dialog offered: the server decides at release
                    return host.model.jobs.get(job.id, job)
                if reply.job is not None:
                    host.model.update([reply.job])
                    host.show_jobs()
                if not reply.dialogs:
                    return host.model.jobs.get(job.id, job)
                dialog = reply.dialogs[0]
                chosen = await host.app.push_screen_wait(QuestionModal(job.name, dialog))
                if chosen is None:
                    host.say(_("Not released: the question about {name} was not answered.").format(name=name))
                    return None
                reply = await client.script_answer(
                    job.id,
                    dialog_id=dialog.id,
                    options=[option.key for option in dialog.options],
                    chosen=chosen,
                    state=reply.state,
                ) or await client.script_ask(job.id)  # a reply without a body: ask what is still open
                label = next((o.label or o.key for o in dialog.options if o.key == chosen), chosen)
                host.say(_("Answered for {name}: {label}.").format(name=name, label=plain(label)))
            host.say(_("The print server keeps asking about {name}; not released.").format(name=name), "error")
        except ApiError as error:
            self.requests.failed(error)
            if isinstance(error, ServerUnreachable):
                self.requests.offline(error)
        return None
