"""How the jobs screen talks to the print server: one change at a time, what a failure means,
the quiet refresh, and a release or cancel sent without an answer coming back.

A refused or failed request leaves the table as it was and says what happened on the status
line; a session that ended is posted upward (`SessionEnded`); no error ends the app.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

from station.api.errors import ApiError, Conflict, NotFound, ServerUnreachable
from station.api.models import Job
from station.i18n import _, ngettext
from station.ui.failures import failure
from station.ui.faults import Backoff, offline_reason
from station.ui.jobs_model import is_pending
from station.ui.screens.jobs_host import JobsHost
from station.format import count
from station.ui.widgets.waiting import waiting

log = logging.getLogger("station.ui")

T = TypeVar("T")
PAGE = 500  # jobs read at once


async def unless_refused(call: Awaitable[T]) -> T | None:
    """The answer, or None when the print server refused or did not answer."""
    try:
        return await call
    except ApiError:
        return None


@dataclass
class Outcome:
    """How a request of `Requests.request` ended: went through (`done`), or its error."""

    done: bool = False
    error: ApiError | None = None


class Requests:
    def __init__(self, host: JobsHost) -> None:
        self.host = host
        self.busy = ""  # what a change in flight is doing; one at a time
        self.wait_note = ""  # said beside the spinner: why Escape does not stop the request
        self.stale = False  # the last refresh failed and said so
        self.closed = False  # the session is over: no refresh any more
        pacing = host.context.pacing
        self.backoff = Backoff(*pacing.retry_backoff)  # while the print server cannot be reached
        self._timer = None  # the one quiet refresh to come
        # Jobs whose release or cancel was sent without an answer coming back: id -> "release"
        # or "cancel". Nothing more is offered for them until the list has been read again.
        self.unsure: dict[int, str] = {}

    # --- a failure, in one place -----------------------------------------------------------------

    def failed(self, error: ApiError, action: str = "") -> None:
        """The session ended (posted upward), or the sentence on the status line."""
        what = failure(error, action)
        if isinstance(what, str):
            self.host.say(what, "error")
        else:
            self.host.post_message(what)

    # --- one change at a time --------------------------------------------------------------------

    def start(self, doing: str) -> bool:
        """Claim the one slot for a change; say so when another change is still in flight."""
        if self.busy:
            self.host.say(_("Please wait: {busy}").format(busy=self.busy), "busy")
            return False
        self.busy = doing
        return True

    @asynccontextmanager
    async def request(self, doing: str, action: str = "", ids: Iterable[int] = ()) -> AsyncIterator[Outcome]:
        """Say what is happening (and, when it takes a while, that it waits); on failure say
        what went wrong and leave the table as it was. `action`: `release` or `cancel` of the
        jobs `ids`, which are checked on the server when no answer comes back. The `Outcome`
        it yields tells afterwards whether the request went through, or its error."""
        host = self.host
        self.busy = doing
        host.say(doing, "busy")
        outcome = Outcome()
        try:
            hint = _("sent: a release cannot be called back") if action == "release" else ""
            self.wait_note = ""

            def show(text: str) -> None:
                host.say(" · ".join(filter(None, (text, self.wait_note))), "busy")

            async with waiting(host.table, show, doing, hint):
                yield outcome
            outcome.done = True
            if self.backoff.failing:  # the server answered again: the banner goes, the list refreshes
                self.schedule(0.01)
        except ApiError as error:
            outcome.error = error
            self.failed(error, action)
            if isinstance(error, (Conflict, NotFound)):
                self.resync()
            elif isinstance(error, ServerUnreachable) and error.sent and action in ("release", "cancel"):
                self.unsure.update(dict.fromkeys(ids, action))
                self.check_unsure()
            elif isinstance(error, ServerUnreachable):
                self.offline(error)
        except Exception:
            log.exception("%s failed", doing)
            host.say(_("Something went wrong. Nothing was changed on this screen; please try again."), "error")
        finally:
            self.busy = ""

    # --- the quiet refresh -----------------------------------------------------------------------

    def schedule(self, delay: float | None = None) -> None:
        """The next quiet refresh, in `delay` seconds (the refresh interval when None): one at a time."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.closed:
            wait = self.host.context.refresh_interval if delay is None else delay
            self._timer = self.host.set_timer(wait, self.refresh_now)  # type: ignore[assignment]

    def refresh_now(self) -> None:
        self.host.run_worker(self.refresh(), group="refresh", exclusive=True, exit_on_error=False)

    def offline(self, error: ApiError) -> None:
        """The print server cannot be reached: say so on the banner and try again, 1, 2, 4 … s
        apart. The rows, the selection and the cursor stay as they are."""
        delay = self.backoff.next()
        self.host.banner.offline(offline_reason(error), retry_in=delay, hint=_("Your jobs and selection are kept."))
        self.schedule(delay)

    async def refresh(self) -> None:
        """Fetch the pending jobs and patch the rows; the next refresh is set once this one ends."""
        host = self.host
        changes = host.model.changes
        if host.banner.is_offline:
            host.banner.trying()
        try:
            jobs = await host.session.client.jobs(limit=PAGE)
        except ServerUnreachable as error:
            self.offline(error)
            return
        except ApiError as error:
            what = failure(error)
            if not isinstance(what, str):
                host.post_message(what)
                return
            if not self.busy:
                host.say(_("Not up to date: {what}").format(what=what), "error")
                self.stale = True
            self.schedule()
            return
        except Exception:
            log.exception("refresh failed")
            self.schedule()
            return
        host.session.seen(jobs.jobs)  # the receipt keeps how each job arrived
        if self.back_online():
            self.stale = True  # say below that the list is up to date again
        if changes == host.model.changes and not self.busy:
            if self.unsure:
                self.settle_unsure(jobs.jobs)
            elif self.stale:
                host.say(_("Connected again: the list is up to date."), "success")
            host.apply(jobs.jobs)
            host.model.total_count = jobs.count
            host.model.rejected = list(jobs.rejected)
            host.banner.unreadable(len(jobs.rejected))
        self.schedule()

    def back_online(self) -> bool:
        """The server answered: the no-connection banner goes. True if it was showing."""
        if not self.backoff.failing:
            return False
        self.backoff.reset()
        self.host.banner.online()
        return True

    def resync(self) -> None:
        """After a conflict the list is stale: fetch it now (the quiet refresh keeps its own beat)."""
        self.host.run_worker(self._refetch(), group="resync", exclusive=True, exit_on_error=False)

    async def _refetch(self) -> None:
        jobs = await unless_refused(self.host.session.client.jobs(limit=PAGE))
        if jobs is not None:
            self.host.apply(jobs.jobs)

    def read_again(self) -> None:
        """After a release: the list and the balance as the server now has them, asked once the
        outcome is on screen (sending them is work the person would wait for)."""
        self.host.call_after_refresh(self._start_reading)

    def _start_reading(self) -> None:
        self.host.run_worker(self._read_jobs_and_balance(), group="reread", exclusive=True, exit_on_error=False)

    async def _read_jobs_and_balance(self) -> None:
        """Each answer that came is shown; one that failed is left to the quiet refresh."""
        host = self.host
        client = host.session.client
        listed, user = await asyncio.gather(unless_refused(client.jobs(limit=PAGE)), unless_refused(client.me()))
        if user is not None:
            host.session.user = user
        if listed is not None:
            host.apply(listed.jobs)
        host.show_header()
        host.show_totals()

    # --- a release or cancel sent without an answer (issue 11, item 11) ----------------------------

    def unsure_of(self, jobs: list[Job]) -> bool:
        """Refuse to act on jobs whose last release or cancel is not known to have gone through."""
        unsure = [job for job in jobs if job.id in self.unsure]
        if unsure:
            self.host.say(
                _("Station is still checking with the print server whether {count} went through. "
                  "Wait until the list is up to date.").format(
                    count=count(len(unsure), 'job', 'jobs'),
                ),
                "busy",
            )
        return bool(unsure)

    def check_unsure(self) -> None:
        """Read the jobs again now; if the server still does not answer, the quiet refresh retries."""
        self.host.run_worker(self._check_outcome(), group="resync", exclusive=True, exit_on_error=False)

    async def _check_outcome(self) -> None:
        host = self.host
        try:
            jobs = await host.session.client.jobs(limit=PAGE)
        except ApiError as error:
            what = failure(error)
            if not isinstance(what, str):
                host.post_message(what)
                return
            host.say(
                _("No answer came back, and the list cannot be read now: station checks again and says what it "
                "finds. Do not release these jobs elsewhere meanwhile."),
                "error",
            )
            if isinstance(error, ServerUnreachable):
                self.offline(error)
            else:
                self.schedule()
            return
        self.back_online()
        self.settle_unsure(jobs.jobs)
        host.apply(jobs.jobs)

    def settle_unsure(self, jobs: Iterable[Job]) -> None:
        """Say what the list read again shows about the jobs sent without an answer."""
        still_waiting = {job.id for job in jobs if is_pending(job)}
        parts = []
        for action in ("release", "cancel"):
            ids = [job_id for job_id, sent in self.unsure.items() if sent == action]
            done = len([job_id for job_id in ids if job_id not in still_waiting])
            still = len(ids) - done
            if done:
                parts.append(done_words(action, done))
            if still:
                parts.append(still_words(action, still))
        self.unsure.clear()
        if parts:
            self.host.say(_("Checked with the print server: ") + "; ".join(parts) + ".", "success")


# Whole sentences per action and number: a participle agrees with the number of jobs in Czech,
# French and Spanish, so "3 jobs" and "released" are not joined from two messages.
def done_words(action: str, jobs: int) -> str:
    if action == "release":
        return ngettext("{count} job released", "{count} jobs released", jobs).format(count=jobs)
    return ngettext("{count} job canceled", "{count} jobs canceled", jobs).format(count=jobs)


def still_words(action: str, jobs: int) -> str:
    if action == "release":
        return ngettext("{count} job still waiting (not released; try again if you want)",
                        "{count} jobs still waiting (not released; try again if you want)", jobs).format(count=jobs)
    return ngettext("{count} job still waiting (not canceled; try again if you want)",
                    "{count} jobs still waiting (not canceled; try again if you want)", jobs).format(count=jobs)
