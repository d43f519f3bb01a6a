"""Pick the project to charge the jobs to: searchable, with a "no project" choice."""

from __future__ import annotations

from textual.content import Content
from textual.widgets.option_list import Option

from station.api.models import Project
from station.i18n import N_, _
from station.untrusted import plain
from station.ui.modals.search_pick import SearchPick

NO_PROJECT = 0
"""What the picker answers for "no project" (the contract's projectId 0)."""


class ProjectPicker(SearchPick[int]):
    """Answers a project id, `NO_PROJECT`, or None when closed without a choice."""

    PLACEHOLDER = N_("Type to search projects")
    NOTHING = N_("No project matches")

    def __init__(self, projects: list[Project], *, current: int | None, title: str) -> None:
        super().__init__(title=title)
        self.projects = projects
        self.current = current

    def search(self, text: str) -> None:
        query = text.strip().casefold()
        choices: list[Option] = []
        if not query or query in "no project":
            choices.append(Option(self._prompt(_("No project"), "", NO_PROJECT), id=str(NO_PROJECT)))
        for project in self.projects:
            name, code = plain(project.name), plain(project.code)
            if not query or query in name.casefold() or query in code.casefold():
                choices.append(Option(self._prompt(name, code, project.id), id=str(project.id)))
        ids = [choice.id for choice in choices]
        current = str(self.current)
        self.show_choices(choices, ids.index(current) if not query and current in ids else 0)

    def _prompt(self, name: str, code: str, project_id: int) -> Content:
        mark = "● " if project_id == self.current else "  "
        code_part = ("  " + code if code else "", "$text-muted")
        return Content.assemble(mark, (name, "bold" if project_id else "italic"), code_part)

    def answer(self, option: Option) -> int | None:
        return int(option.id) if option.id is not None and option.id.isdigit() else None
