"""The totals bar under the table: what the action keys would act on, and what it costs.

`▸ 1 job` (the highlighted one) or `✓ 2 selected`, then pages, colour, sheets, the cost and the
balance after it. When an option chosen at the printer changes how a job prints, the cost is
the one listed and a second line says the print server prices the change at release.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from station.api.models import Job
from station.i18n import _
from station.ui.jobs_model import JobsModel
from station.ui.release_choices import CHOSEN_MARK
from station.ui.session import Session
from station.format import count


class TotalsBar(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._fits = False  # the bar holds one line that fits its width

    def show(self, jobs: list[Job], picked: bool, model: JobsModel, session: Session) -> None:
        """The sums of `jobs` (`picked`: a selection, else the highlighted job)."""
        self.display = bool(jobs)
        if not jobs:
            self.update("")
            self._fits = False
            return
        totals = model.totals(jobs)
        what = _("✓ {count} selected").format(count=len(jobs)) if picked else _("▸ 1 job")
        parts = [
            Content.styled(what, "bold"),
            Content(_("{count}, {colour} colour").format(
                count=count(totals.pages, 'page', 'pages'), colour=totals.colour,
            )),
            Content(count(totals.sheets, 'sheet', 'sheets')),
            Content.styled(session.money(totals.cost), "bold"),
        ]
        after = session.balance_after(totals.cost)
        repriced = model.choices.changes(jobs)
        if repriced:  # never a cost of the station's own: the server prices what was chosen
            parts[-1] += Content(_(" as listed"))
            tail = Content.styled(
                "\n" + _("{mark} chosen here: the print server prices the change at release.").format(mark=CHOSEN_MARK),
                "$text-muted"
            )
        elif after is None:
            tail = Content(f" → {session.account_line()}")
        else:
            style = "bold $text-error" if after < 0 else ""
            tail = Content.assemble(_(" → balance "), (session.money(after), style))
        content = Content(" · ").join(parts) + tail
        # A new layout only when the line may change height: a layout costs the whole screen
        # (about 15 ms a cursor move), and one line that still fits stays one line.
        fits = not repriced and 0 < content.cell_length <= self.content_size.width
        self.update(content, layout=not (fits and self._fits))
        self._fits = fits
