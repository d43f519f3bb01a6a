"""Give jobs to another owner: search the print server's users, pick one."""

from __future__ import annotations

import asyncio

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from station.api.client import StationClient
from station.api.errors import ApiError
from station.api.models import User
from station.text import plain
from station.ui.modals.base import StationModal

SEARCH_DELAY = 0.15


class OwnerPicker(StationModal[User | None]):
    """Answers the chosen user, or None when closed without a choice. `exclude`: the owner now."""

    BINDINGS = [
        Binding("down", "move(1)", "next", show=False, id="owner.next"),
        Binding("up", "move(-1)", "previous", show=False, id="owner.previous"),
    ]

    def __init__(self, client: StationClient, *, exclude: int | None, title: str, cursor_blink: bool = True) -> None:
        super().__init__()
        self.client = client
        self.exclude = exclude
        self.title_text = title
        self.cursor_blink = cursor_blink
        self.users: dict[str, User] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = Content(self.title_text)
            field = Input(placeholder="Search the new owner by name or user name", id="owner-search", max_length=200)
            field.cursor_blink = self.cursor_blink
            yield field
            yield OptionList(id="owners")
            yield Static(id="owner-message")
            yield Static(Content("Enter give to the highlighted user · Esc back"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#owner-message").display = False
        self.query_one("#owner-search", Input).focus()
        self._search("", delay=0)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(exclusive=True, group="owner-search", exit_on_error=False)
    async def _search(self, text: str, delay: float = SEARCH_DELAY) -> None:
        if delay:
            await asyncio.sleep(delay)  # typing on: only the last search goes out
        message = self.query_one("#owner-message", Static)
        try:
            found = await self.client.users(text.strip(), limit=50)
        except ApiError as error:
            message.update(Content(plain(error.human)))
            message.display = True
            return
        message.display = False
        users = [user for user in found.users if user.id != self.exclude]
        self.users = {str(user.id): user for user in users}
        options = self.query_one("#owners", OptionList)
        options.clear_options()
        if not users:
            options.add_option(Option(Content("No user matches"), id="none", disabled=True))
            return
        width = max(len(plain(user.full_name or user.username)) for user in users)
        options.add_options(
            Option(
                Content.assemble(
                    (plain(user.full_name or user.username).ljust(width), "bold"),
                    "  ", (plain(user.username), "$text-muted"),
                    ("  helpdesk" if user.role == "helpdesk" else "", "$text-muted"),
                ),
                id=str(user.id),
            )
            for user in users
        )
        options.highlighted = 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#owners", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        user = self.users.get(option.id or "")
        if user is not None and not option.disabled:
            self.dismiss(user)

    def action_move(self, step: int) -> None:
        options = self.query_one("#owners", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()
