"""The undo bar: while a release or cancel waits out its undo window, a large "Undo (u)" and the
seconds left, above the totals. It takes no room otherwise.

    ┃  Undo (u)   Releasing Board minutes.pdf in 7 s. Nothing is sent before.                 ┃

A click on the bar is the same as the key. What it says is plain text (job names come from the
server); the screen masks the names before they reach it when names are hidden.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.content import Content
from textual.widgets import Static
from station.i18n import _


class UndoBar(Static):
    def __init__(self, clicked: Callable[[], object], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clicked = clicked
        self.display = False

    def show(self, key: str, doing: str, seconds: int) -> None:
        """`doing` (e.g. `Releasing 2 jobs`) waits `seconds` more; `key` takes it back."""
        self.update(
            Content.assemble(
                (_(" Undo ({key}) ").format(key=key), "bold reverse"),
                "  ",
                (doing, "bold"),
                _(" in "),
                (f"{seconds} s", "bold"),
                _(". Nothing is sent before."),
            )
        )
        self.display = True

    def hide(self) -> None:
        self.update("")
        self.display = False

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.clicked()
