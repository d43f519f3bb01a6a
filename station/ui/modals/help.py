"""What each key does, and how to log in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Static

from station.ui.modals.base import StationModal


class HelpModal(StationModal[None]):
    BINDINGS = [Binding("question_mark", "close", "close", show=False, id="help.close")]

    def __init__(self, keys: list[tuple[str, str]], notes: list[str]) -> None:
        super().__init__()
        self.keys = keys
        self.notes = notes

    def compose(self) -> ComposeResult:
        width = max((len(key) for key, _ in self.keys), default=0)
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Help"
            with Grid(id="help-keys"):
                for key, description in self.keys:
                    yield Static(Content.assemble((key.rjust(width), "bold $accent"), "  ", description), classes="key")
            for note in self.notes:
                yield Static(Content(note), classes="note")
            yield Static(Content("Esc close"), classes="hint")
