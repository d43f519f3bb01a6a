"""Give jobs to another owner: search the print server's users, pick one."""

from __future__ import annotations

import asyncio

from textual import work
from textual.content import Content
from textual.widgets.option_list import Option

from station.api.jobs_client import JobsClient
from station.api.errors import ApiError
from station.api.models import User
from station.i18n import N_, _
from station.untrusted import plain
from station.ui.modals.search_pick import SearchPick

SEARCH_DELAY = 0.15


class OwnerPicker(SearchPick[User]):
    """Answers the chosen user, or None when closed without a choice. `exclude`: the owner now."""

    PLACEHOLDER = N_("Search the new owner by name or user name")
    HINT = N_("Enter give to the highlighted user · Esc back")
    NOTHING = N_("No user matches")

    def __init__(self, client: JobsClient, *, exclude: int | None, title: str) -> None:
        super().__init__(title=title)
        self.client = client
        self.exclude = exclude
        self.users: dict[str, User] = {}
        self._first = True

    def search(self, text: str) -> None:
        self._search(text, delay=0 if self._first else SEARCH_DELAY)
        self._first = False

    @work(exclusive=True, group="owner-search", exit_on_error=False)
    async def _search(self, text: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)  # typing on: only the last search goes out
        try:
            found = await self.client.users(text.strip(), limit=50)
        except ApiError as error:
            self.show_problem(error.human)
            return
        self.show_problem(None)
        users = [user for user in found.users if user.id != self.exclude]
        self.users = {str(user.id): user for user in users}
        width = max((len(plain(user.full_name or user.username)) for user in users), default=0)
        self.show_choices([
            Option(
                Content.assemble(
                    (plain(user.full_name or user.username).ljust(width), "bold"),
                    "  ", (plain(user.username), "$text-muted"),
                    ("  " + _("helpdesk") if user.role == "helpdesk" else "", "$text-muted"),
                ),
                id=str(user.id),
            )
            for user in users
        ])

    def answer(self, option: Option) -> User | None:
        return self.users.get(option.id or "")
