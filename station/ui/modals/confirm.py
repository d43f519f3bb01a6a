"""Yes-or-no dialogs: release these jobs? cancel these jobs?"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from station.i18n import N_, _, ngettext
from station.untrusted import plain
from station.ui.modals.base import StationModal
from station.format import NAME_IN_TEXT


class ConfirmModal(StationModal[bool]):
    """Answers True for yes; False for no or Escape."""

    ESCAPE_ANSWER = False
    BINDINGS = [
        Binding("left", "app.focus_previous", N_("previous"), show=False, id="confirm.previous"),
        Binding("right", "app.focus_next", N_("next"), show=False, id="confirm.next"),
    ]

    def __init__(
        self,
        title: str,
        rows: list[tuple[str, Content | str]],
        *,
        yes: str,
        no: str,
        note: Content | str = "",
        yes_variant: str = "primary",
        focus_yes: bool = True,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows
        self.note = note
        self.yes, self.no = yes, no
        self.yes_variant = yes_variant
        self.focus_yes = focus_yes

    def compose(self) -> ComposeResult:
        width = max((len(label) for label, _ in self.rows), default=0)
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.title_text)
            for label, value in self.rows:
                with Horizontal(classes="row"):  # a long value (a job's whole name) wraps beside its label
                    if width:
                        yield Static(Content.styled(label, "$text-muted"), classes="label").set_styles(
                            f"width: {width + 2};"
                        )
                    yield Static(value if isinstance(value, Content) else Content(value), classes="value")
            if self.note:
                yield Static(self.note if isinstance(self.note, Content) else Content(self.note), classes="note")
            with Horizontal(id="buttons"):
                yes = Button(Content(self.yes), id="yes", variant=self.yes_variant)  # type: ignore[arg-type]
                no = Button(Content(self.no), id="no")
                for button in (yes, no):
                    # A press closes the dialog: the flash of a pressed button would only cost a frame
                    # (a restyle and a paint) before the release is sent.
                    button.active_effect_duration = 0
                    yield button

    def on_mount(self) -> None:
        self.query_one("#yes" if self.focus_yes else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


class ReleaseConfirm(ConfirmModal):
    """Release these jobs? Jobs, pages, cost, project, account, balance after."""

    def __init__(self, rows: list[tuple[str, Content | str]], *, jobs: int, note: Content | str = "") -> None:
        title = ngettext("Release {jobs} job?", "Release {jobs} jobs?", jobs).format(jobs=jobs)
        super().__init__(title, rows, yes=_("Release"), no=_("Back"), note=note)


class CancelConfirm(ConfirmModal):
    """Cancel these jobs? They will not print and nothing is charged. "Keep" has the focus."""

    def __init__(self, names: list[str]) -> None:
        jobs = len(names)
        title = ngettext("Cancel {jobs} job?", "Cancel {jobs} jobs?", jobs).format(jobs=jobs)
        shown = names[:5] + ([_("… and {more} more").format(more=jobs - 5)] if jobs > 5 else [])
        rows: list[tuple[str, Content | str]] = [("", Content(plain(name, limit=NAME_IN_TEXT))) for name in shown]
        super().__init__(
            title,
            rows,
            yes=_("Cancel jobs") if jobs > 1 else _("Cancel job"),
            no=_("Keep"),
            note=(
                _("They will not print, and nothing is charged.") if jobs > 1
                else _("It will not print, and nothing is charged.")
            ),
            yes_variant="error",
            focus_yes=False,
        )
