"""Released jobs followed to the printer: their states looked at until each printed or failed,
shown in the progress panel, then the balance read again (a failed job is refunded).

The App hears of it through `ReleaseStarted` and `ReleasePrinted` (a kiosk logs out after).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from decimal import Decimal

from station.api.errors import ApiError, SessionExpired
from station.api.models import Job
from station.untrusted import plain
from station.ui.messages import ReleasePrinted, ReleaseStarted
from station.ui.screens.jobs_host import JobsHost
from station.ui.widgets.progress import Printing

GIVE_UP_AFTER = 30  # looks at the print states that failed in a row: the jobs print anyway


class PrintFollow:
    def __init__(self, host: JobsHost) -> None:
        self.host = host
        self.printing = Printing()

    def track(self, jobs: Iterable[Job], charged: Decimal | None) -> None:
        """Follow released jobs to the printer; a release while others still print joins them."""
        if self.printing.done:
            self.printing = Printing()
        self.printing.add(jobs, charged, self.host.mask.name)
        self.host.run_worker(self._follow(), group="progress", exclusive=True, exit_on_error=False)

    async def _follow(self) -> None:
        """Read the released jobs' states, one request a tick whatever the batch (issue 13),
        until each is printed or failed; then read the balance."""
        host = self.host
        printing = self.printing
        host.post_message(ReleaseStarted())
        host.progress.show(printing, host.session)
        client = host.session.client
        progress = client.print_progress(printing.pending)
        misses = 0
        while not printing.done:
            await asyncio.sleep(host.context.pacing.poll_interval)
            try:
                await progress.poll()
                printing.trouble = ""
            except SessionExpired:
                return
            except ApiError as error:
                printing.trouble = plain(error.human, limit=200)
            printing.read(progress.states, progress.gone)  # what was read before a failure too
            misses = misses + 1 if printing.trouble else 0
            host.progress.show(printing, host.session)
            if misses >= GIVE_UP_AFTER:
                return  # the jobs print anyway; stop asking a server that does not answer
        try:
            user = await client.me()  # refunds change the balance too
        except ApiError:
            user = None
        if user is not None:
            host.session.user = user
        host.show_header()
        host.show_totals()
        host.progress.show(printing, host.session)
        host.post_message(ReleasePrinted())
