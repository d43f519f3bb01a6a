"""Search and pick one: a field over a list; typing narrows the list, Enter picks the highlighted.

The owner picker (people, searched on the print server) and the project picker (the session's
projects, searched here) are this dialog with their own choices: a subclass fills the list in
`search(text)` through `show_choices` and turns the chosen option into its answer in `answer`.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from station.i18n import N_, _
from station.untrusted import plain
from station.ui.modals.base import StationModal

T = TypeVar("T")


class SearchPick(StationModal[T | None]):
    """Answers what `answer` makes of the picked option, or None when closed without a choice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", N_("next"), show=False, id="pick.next"),
        Binding("up", "move(-1)", N_("previous"), show=False, id="pick.previous"),
    ]
    PLACEHOLDER: ClassVar[str] = N_("Type to search")
    HINT: ClassVar[str] = N_("Enter choose · Esc back")
    NOTHING: ClassVar[str] = N_("Nothing matches")  # the one (disabled) line of an empty list

    def __init__(self, *, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.title_text)
            yield Input(placeholder=_(self.PLACEHOLDER), id="search", max_length=200)
            yield OptionList(id="choices")
            yield Static(id="message")
            yield Static(Content(_(self.HINT)), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#message").display = False
        self.query_one("#search", Input).focus()
        self.search("")

    # --- what a subclass says ---------------------------------------------------------------------

    def search(self, text: str) -> None:
        """Fill the list for this text (now, or from a worker) with `show_choices`."""
        raise NotImplementedError

    def answer(self, option: Option) -> T | None:
        """The answer for a picked (enabled) option; None: not an answer, the dialog stays."""
        raise NotImplementedError

    # --- the list ---------------------------------------------------------------------------------

    def show_choices(self, choices: list[Option], highlight: int = 0) -> None:
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        options.add_options(choices or [Option(Content(_(self.NOTHING)), id="none", disabled=True)])
        options.highlighted = highlight if choices else 0

    def show_problem(self, message: str | None) -> None:
        """A line under the list (a search that failed), or none."""
        line = self.query_one("#message", Static)
        line.update(Content(plain(message or "")))
        line.display = bool(message)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#choices", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        if option.disabled:
            return
        chosen = self.answer(option)
        if chosen is not None:
            self.dismiss(chosen)

    def action_move(self, step: int) -> None:
        options = self.query_one("#choices", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()
