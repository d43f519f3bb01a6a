"""Job names masked on screen (`mask_job_names`): a person standing behind sees `••••••`, until
the owner shows the names with `n`. Nothing here imports Textual."""

from __future__ import annotations

from collections.abc import Iterable

from station.api.models import Job
from station.untrusted import plain
from station.format import NAME_IN_TEXT

MASK = "••••••"


class NameMask:
    """Whether names are hidden now, and the text that follows from it. `allowed`: the settings
    mask names at all (else `n` does nothing and names always show)."""

    def __init__(self, allowed: bool) -> None:
        self.allowed = allowed
        self.hidden = allowed

    def toggle(self) -> bool:
        """Show the names if hidden, hide them if shown; True: hidden now."""
        if self.allowed:
            self.hidden = not self.hidden
        return self.hidden

    def name(self, job: Job) -> str:
        """A job's name as a sentence or the progress panel gives it."""
        return MASK if self.hidden else plain(job.name, limit=NAME_IN_TEXT)

    def cell(self, name: str) -> str:
        """A name as the table draws it."""
        return MASK if self.hidden else name

    def text(self, message: str, jobs: Iterable[Job]) -> str:
        """A message with the names of these jobs masked, while names are hidden."""
        if not self.hidden:
            return message
        for name in sorted({plain(job.name) for job in jobs}, key=len, reverse=True):
            if name:
                message = message.replace(name, MASK)
        return message
