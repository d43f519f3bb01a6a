"""The print server's question about a job, shown with the text and options the server sent."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from station.api.models import Dialog
from station.i18n import N_, _
from station.untrusted import plain
from station.format import NAME_IN_TEXT
from station.ui.modals.base import StationModal


class QuestionModal(StationModal[str | None]):
    """Answers the chosen option's key, or None when closed without an answer."""

    BINDINGS = [
        Binding("left", "app.focus_previous", N_("previous"), show=False, id="question.previous"),
        Binding("right", "app.focus_next", N_("next"), show=False, id="question.next"),
    ]

    def __init__(self, job_name: str, dialog: Dialog) -> None:
        super().__init__()
        self.job_name = plain(job_name, limit=NAME_IN_TEXT)
        self.dialog = dialog

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(_("A question about this job"))
            yield Static(Content.assemble((_("Job  "), "$text-muted"), (self.job_name, "bold")), id="job")
            yield Static(Content(plain(self.dialog.text) or _("The print server asks:")), id="text")
            current = next((o for o in self.dialog.options if o.key == self.dialog.current), None)
            if current is not None:
                now = plain(current.label) or plain(current.key)
                yield Static(Content.assemble((_("As it is now: "), "$text-muted"), now), id="current")
            with Horizontal(id="options"):
                for index, option in enumerate(self.dialog.options):
                    label = plain(option.label) or plain(option.key)
                    yield Button(Content(label), id=f"option-{index}")
            yield Static(Content(_("Enter answer · ←/→ choose · Esc not now")), classes="hint")

    def on_mount(self) -> None:
        keys = [option.key for option in self.dialog.options]
        index = keys.index(self.dialog.current) if self.dialog.current in keys else 0
        if keys:
            self.query_one(f"#option-{index}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        index = int((event.button.id or "option-0").removeprefix("option-"))
        self.dismiss(self.dialog.options[index].key)
