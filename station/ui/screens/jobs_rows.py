"""What the job table asks about a row beyond the job itself (its `RowContext`), answered from
the jobs screen's model, session, clock and name mask; what shows when no row does; and the
notes of the screen's help."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from textual.content import Content

from station.api.release import ReleaseOptions
from station.i18n import N_, _
from station.untrusted import plain
from station.ui.release_choices import CHOSEN_MARK
from station.ui.screens.jobs_host import JobsHost


class JobRows:
    def __init__(self, host: JobsHost) -> None:
        self.host = host

    @property
    def currency(self) -> str:
        return self.host.session.currency

    def now(self) -> datetime:
        return self.host.context.now()

    def project_label(self, project_id: int) -> str:
        return self.host.session.project_label(project_id)

    def project_title(self, project_id: int) -> str:
        """The project's name and code, or what the cell says of a project this session does not know."""
        session = self.host.session
        return session.project_title(project_id) if session.project(project_id) else session.project_label(project_id)

    def is_selected(self, job_id: int) -> bool:
        return self.host.model.is_selected(job_id)

    def saving(self, job_id: int) -> Decimal:
        return self.host.model.saving(job_id)

    def chosen(self, job_id: int) -> ReleaseOptions:
        return self.host.model.chosen(job_id)

    def shown_name(self, name: str) -> str:
        return self.host.mask.cell(name)


def nothing_shown(full_name: str, filter_text: str, *, any_jobs: bool) -> Content:
    """No job waits (`any_jobs` False), or the filter lets none through."""
    if any_jobs:
        return Content(_("No job matches “{filter_text}”. Esc clears the filter.").format(filter_text=filter_text))
    first = plain(full_name).split(" ")[0]
    return Content.assemble(
        (_("Nothing waiting for you, {first}.").format(first=first) if first else _("Nothing waiting for you."),
         "bold"),
        "\n\n" + _("Print to the secure queue from your computer, then come back here\n"
                    "to release your jobs. New jobs appear on their own."),
    )


def help_notes(printer: str | None) -> list[str]:
    """What the help says besides the keys (`printer`: the one this station releases at)."""
    notes = [
        _("Enter selects, like space."),  # the table's own key: help lists only the screen's bindings
        _("Actions apply to the selected jobs (✓), else to the highlighted one (▸)."),
        _("(?) the print server has a question about the job: it is asked on release."),
        _("★ favourite · −0.08 what printing 2-sided saved · click a heading to sort."),
        _("Jobs not released are deleted when they expire: unprinted, and free."),
    ]
    if printer is not None:
        notes.insert(4, _("2-sided{mark} mono{mark}: chosen here (d, m) for printer {printer}; "
                          "the print server prices it at release.").format(
            mark=CHOSEN_MARK, printer=plain(printer),
        ))
    return notes


# The job table's columns as a sentence names them (the keys are the English words).
SORT_WORDS = {
    "name": N_("name"), "submitted": N_("submitted"), "pages": N_("pages"), "colour": N_("colour"),
    "copies": N_("copies"), "sides": N_("sides"), "cost": N_("cost"), "project": N_("project"),
    "expires": N_("expires"),
}


def sorted_by(column: str | None, reverse: bool) -> str:
    """What `s` says: the column sorted by and its direction."""
    word = _(SORT_WORDS[column]) if column in SORT_WORDS else str(column)
    direction = _("down") if reverse else _("up")
    return _("Sorted by {column} ({direction}). s: next column; click a heading to sort by it.").format(
        column=word, direction=direction,
    )
