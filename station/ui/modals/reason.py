"""Why is the helpdesk changing someone else's jobs? One line, kept in the audit (contract 4.7)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from station.i18n import _
from station.untrusted import plain
from station.ui.modals.base import StationModal

MAX_REASON = 500


class ReasonModal(StationModal[str | None]):
    """Answers the reason (stripped, never empty), or None when closed without one.

    An empty reason is refused in words and the dialog stays open: nothing is sent.
    """

    def __init__(self, owner: str, *, current: str = "") -> None:
        super().__init__()
        self.owner = plain(owner, limit=80)
        self.current = plain(current)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(_("Why?"))
            yield Static(
                Content.assemble(
                    _("You are changing jobs of "), (self.owner, "bold"), ".\n",
                    _("Say why: the reason is kept in the audit with each change."),
                ),
                id="reason-intro",
            )
            yield Input(
                value=self.current, placeholder=_("e.g. asked at the desk, ticket 4711"), id="reason",
                max_length=MAX_REASON,
            )
            yield Static(id="reason-message")
            yield Static(Content(_("Enter use this reason for this visit · Esc change nothing")), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#reason-message").display = False
        self.query_one("#reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        reason = " ".join(plain(event.value).split())
        if not reason:
            message = self.query_one("#reason-message", Static)
            message.update(Content(_("A reason is needed: nothing was sent. Type why, or Esc to change nothing.")))
            message.display = True
            return
        self.dismiss(reason)
