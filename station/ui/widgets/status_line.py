"""The status line, right above the keys: what the last action did, in words.

A message may be about something that changes under it: the job under the cursor (a question
waits for it) or the selection (`b` chose it). Such a message goes when that changes, so the
line never speaks of a job the cursor has left or a selection that is no longer the one made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from textual.content import Content
from textual.widgets import Static

from station.untrusted import plain

Kind = Literal["info", "success", "error", "busy"]
KINDS: tuple[Kind, ...] = ("info", "success", "error", "busy")
SELECTION = "selection"  # a message about the selection as it is now


class StatusLine(Static):
    """`say(message, kind)`; `about` ties the message to a job id or to `SELECTION`.
    `mask` hides job names in it while the names are hidden on screen."""

    def __init__(self, *, mask: Callable[[str], str] = lambda text: text, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mask = mask
        self.about: int | str | None = None

    def say(self, message: str, kind: Kind = "info", *, about: int | str | None = None) -> None:
        self.about = about
        self.update(Content(self.mask(plain(message, limit=500))))
        for name in KINDS:
            self.set_class(kind == name, f"-{name}")

    def cursor_on(self, job_id: int | None) -> None:
        """The cursor moved: a message about another job goes."""
        if isinstance(self.about, int) and self.about != job_id:
            self.say("")

    def selection_changed(self) -> None:
        """The selection changed: a message about the one before goes."""
        if self.about == SELECTION:
            self.say("")
