"""The print progress: jobs released in this session, followed to the printer.

`Printing` is what is known (plain data); `PrintProgress` draws it above the totals bar:
`Printing 3 jobs · 1 printed · charged 2.40 EUR`, a line per job (the first four), and when all
are done what printed, what failed and was refunded, and the balance now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from textual.content import Content
from textual.widgets import Static

from station.api.models import Job, JobStateName
from station.api.progress import FINISHED
from station.i18n import _
from station.ui.session import Session
from station.format import count, state_word

SHOWN = 4  # jobs named in the panel; the rest are counted


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

    def read(self, states: Mapping[int, str | None], gone: Iterable[int]) -> None:
        """What the print server said: each job's state read (None: not yet), and the jobs it
        no longer shows (taken away, as good as canceled)."""
        for job_id, state in states.items():
            if state is not None and job_id in self.states:
                self.states[job_id] = state
        for job_id in gone:
            if job_id in self.states:
                self.states[job_id] = JobStateName.CANCELED

    @property
    def pending(self) -> list[int]:
        return [job_id for job_id, state in self.states.items() if state not in FINISHED]

    @property
    def done(self) -> bool:
        return not self.pending


class PrintProgress(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.display = False
        self.finished = False  # it shows a release that is done (its balance may go stale)

    def show(self, printing: Printing, session: Session) -> None:
        states = printing.states
        printed = sum(state == JobStateName.PRINTED for state in states.values())
        failed = [job_id for job_id, state in states.items() if state == JobStateName.FAILED]
        if printing.done:
            refunded = sum((printing.costs[job_id] for job_id in failed), Decimal("0"))
            head = _("Printed {printed} of {count}").format(printed=printed, count=count(len(states), 'job', 'jobs'))
            if failed:
                head += _(" · {count} failed, refunded {refunded}").format(
                    count=len(failed), refunded=session.money(refunded),
                )
            if session.balances_known:  # else the server did not say: nothing to show
                head += _(" · balance now {account_line}").format(account_line=session.account_line())
        else:
            head = _("Printing {count} · {printed} printed").format(
                count=count(len(states), 'job', 'jobs'), printed=printed,
            )
            if printing.charged is not None:
                head += _(" · charged {charged}").format(charged=session.money(printing.charged))
        lines = [Content.styled(head, "bold")]
        for job_id in list(states)[:SHOWN]:
            state = states[job_id]
            if state == JobStateName.PRINTED:
                mark, word, style = "✓", _("printed"), "$text-success"
            elif state == JobStateName.FAILED:
                mark, word, style = "✗", _("failed, refunded {costs}").format(
                    costs=session.money(printing.costs[job_id]),
                ), "$text-error"
            elif state in FINISHED:
                mark, word, style = "–", state_word(state), "$text-muted"
            else:
                mark, word, style = "…", _("printing"), "$text-warning"
            lines.append(Content.assemble(f" {mark} ", printing.names[job_id], "  ", (word, style)))
        if len(states) > SHOWN:
            lines.append(Content(_("   and {more} more").format(more=len(states) - SHOWN)))
        if printing.trouble and not printing.done:
            lines.append(Content.styled(_(" {trouble} The jobs print anyway.").format(
                trouble=printing.trouble,
            ), "$text-error"))
        self.update(Content("\n").join(lines))
        self.display = True
        self.finished = printing.done

    def account_changed(self) -> None:
        """Another account is chosen: a finished release's `balance now` no longer describes
        what the person sees in the header, so the panel goes (one still printing stays)."""
        if self.finished:
            self.display = False
            self.update("")
