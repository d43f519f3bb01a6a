"""The filter field above the job list: `/` opens it, typing filters by name or project, Enter
keeps the filter (and closes an empty field), Esc clears it."""

from __future__ import annotations

from textual.widgets import Input
from station.i18n import _


class JobFilter(Input):
    def __init__(self, *, id: str | None = None) -> None:
        placeholder = _("Type to filter by name or project · Enter keep · Esc clear")
        super().__init__(placeholder=placeholder, id=id, compact=True)
        self.display = False

    def open(self) -> None:
        self.display = True
        self.focus()

    def keep(self) -> None:
        """Enter: the text stays and filters; an empty field goes."""
        if not self.value.strip():
            self.display = False

    def drop(self) -> bool:
        """Esc: no filter any more. False when there was none to clear."""
        if not self.display:
            return False
        self.value = ""
        self.display = False
        return True
