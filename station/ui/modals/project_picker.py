"""Pick the project to charge the jobs to: searchable, with a "no project" choice."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from station.api.models import Project
from station.text import plain
from station.ui.modals.base import StationModal

NO_PROJECT = 0
"""What the picker answers for "no project" (the contract's projectId 0)."""


class ProjectPicker(StationModal[int | None]):
    """Answers a project id, `NO_PROJECT`, or None when closed without a choice."""

    BINDINGS = [
        Binding("down", "move(1)", "next", show=False, id="project.next"),
        Binding("up", "move(-1)", "previous", show=False, id="project.previous"),
    ]

    def __init__(self, projects: list[Project], *, current: int | None, title: str) -> None:
        super().__init__()
        self.projects = projects
        self.current = current
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.title_text)
            yield Input(placeholder="Type to search projects", id="search")
            yield OptionList(id="projects")
            yield Static(Content("Enter choose · Esc back"), classes="hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#search", Input).focus()

    def _fill(self, query: str) -> None:
        query = query.strip().casefold()
        options = self.query_one("#projects", OptionList)
        options.clear_options()
        choices: list[Option] = []
        if not query or query in "no project":
            choices.append(Option(self._prompt("No project", "", NO_PROJECT), id=str(NO_PROJECT)))
        for project in self.projects:
            name, code = plain(project.name), plain(project.code)
            if not query or query in name.casefold() or query in code.casefold():
                choices.append(Option(self._prompt(name, code, project.id), id=str(project.id)))
        if not choices:
            choices.append(Option(Content("No project matches"), id="none", disabled=True))
        options.add_options(choices)
        ids = [choice.id for choice in choices]
        highlight = str(self.current) if not query and str(self.current) in ids else ids[0]
        options.highlighted = ids.index(highlight)

    def _prompt(self, name: str, code: str, project_id: int) -> Content:
        mark = "● " if project_id == self.current else "  "
        return Content.assemble(mark, (name, "bold" if project_id else "italic"), ("  " + code if code else "", "$text-muted"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#projects", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        if option.disabled or option.id is None or not option.id.isdigit():
            return
        self.dismiss(int(option.id))

    def action_move(self, step: int) -> None:
        options = self.query_one("#projects", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()
