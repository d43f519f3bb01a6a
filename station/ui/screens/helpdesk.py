"""The helpdesk: find a person, open their jobs and act for them, read the audit, see all jobs.

Staff log in with user name and password in helpdesk mode (`--helpdesk`); the login asks for
the scope `users` and a person who is not helpdesk staff is told so and logged out again. Then
this screen: a search field over the print server's users (`GET /v3/users?search=`); Enter in
the field goes to the list, Enter on the list opens the highlighted person's jobs, acting for
them (`OwnerJobsScreen`). The staff's session is the App's: `l` asks it to end.
"""

from __future__ import annotations

import asyncio
import logging
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from station.api.client import StationClient
from station.api.jobs_client import JobsClient
from station.api.errors import ApiError, NotFound, SessionExpired
from station.api.models import Job, User
from station.i18n import N_, _, ngettext
from station.untrusted import plain
from station.ui.acting import ActingClient
from station.ui.context import Context
from station.ui.messages import LogoutRequested, SessionEnded
from station.ui.screens.all_jobs import AllJobsScreen
from station.ui.screens.audit import AuditScreen, Names
from station.ui.screens.owner_jobs import OwnerJobsScreen
from station.ui.session import Session
from station.format import money
from station.ui.widgets.fixed_columns import cursor_id
from station.ui.widgets.header import SessionHeader
from station.ui.widgets.keybar import KeyBar

log = logging.getLogger("station.ui")

SEARCH_DELAY = 0.15
USERS_SHOWN = 100


def helpdesk_refusal(user: User, client: StationClient) -> str | None:
    """Why this login may not use the helpdesk station, in words; None when it may."""
    if user.role != "helpdesk":
        name = plain(user.full_name or user.username)
        return (
            _("{name} is not helpdesk staff, so this helpdesk station cannot be used with this login. "
              "To release your own jobs, log in at a print kiosk.").format(
                name=name,
            )
        )
    if "users" not in client.scopes:
        return _("The print server did not grant this login the right to look up users (scope 'users').")
    return None


async def find_user(client: JobsClient, user_id: int, username: str | None) -> User:
    """A user by id (the job lists name owners by id and user name)."""
    found = await client.users(username or "", limit=500)
    for user in found.users:
        if user.id == user_id:
            return user
    raise NotFound(_("That job's owner is not on the print server's user list."))


class PeopleTable(DataTable[Text]):
    """The people found; Enter opens the highlighted person's jobs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", N_("open their jobs"), id="helpdesk.open"),
    ]


class HelpdeskScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", N_("search"), key_display="/", id="helpdesk.search"),
        Binding("a", "all_jobs", N_("all jobs"), id="helpdesk.all_jobs"),
        Binding("h", "audit", N_("audit"), id="helpdesk.audit"),
        Binding("l", "logout", N_("log out"), id="helpdesk.logout"),
        Binding("down", "to_table", N_("to the list"), show=False, id="helpdesk.to_table"),
    ]

    def __init__(self, context: Context, session: Session) -> None:
        super().__init__()
        self.context = context
        self.session = session
        self.users: dict[int, User] = {}
        self.count = 0
        self._away = False

    def compose(self) -> ComposeResult:
        yield SessionHeader(demo=self.context.demo is not None, id="header")
        yield Input(
            placeholder=_("/ search people by name or user name · Enter or ↓ to the list"),
            id="user-search", max_length=200, compact=True,
        )
        yield PeopleTable(cursor_type="row", zebra_stripes=False, id="users")
        yield Static(id="users-empty")
        yield Static(id="helpdesk-status")
        yield KeyBar()

    def on_mount(self) -> None:
        staff = self.session.user
        self.query_one(SessionHeader).show(plain(staff.full_name or staff.username), "helpdesk")
        table = self.query_one("#users", DataTable)
        table.add_column(_("Name"), key="name", width=28)
        table.add_column(_("User name"), key="username", width=14)
        table.add_column(_("Role"), key="role", width=9)
        table.add_column(_("Credit"), key="credit", width=16)
        self.query_one("#users-empty").display = False
        table.focus()
        self._search("", delay=0)

    # --- searching --------------------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#user-search", Input).focus()

    def action_to_table(self) -> None:
        if self.users:
            self.query_one("#users", DataTable).focus()

    @on(Input.Changed, "#user-search")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#user-search")
    def _submitted(self, event: Input.Submitted) -> None:
        """To the list, even for one match: Enter there opens; one Enter never does two things."""
        event.stop()
        self.action_to_table()

    @work(exclusive=True, group="user-search", exit_on_error=False)
    async def _search(self, text: str, delay: float = SEARCH_DELAY) -> None:
        if delay:
            await asyncio.sleep(delay)  # typing on: only the last search goes out
        try:
            found = await self.session.client.users(text.strip(), limit=USERS_SHOWN)
        except SessionExpired as error:
            self.post_message(SessionEnded(error.human))
            return
        except ApiError as error:
            self.say(error.human, error=True)
            return
        self.users = {user.id: user for user in found.users}
        self.count = found.count
        table = self.query_one("#users", DataTable)
        with self.app.batch_update():
            table.clear()
            for user in found.users:
                table.add_row(*self._cells(user), key=str(user.id))
        empty = self.query_one("#users-empty", Static)
        empty.update(Content(_("Nobody matches “{search}”.").format(search=plain(text.strip(), limit=60))))
        empty.display = not self.users
        table.display = bool(self.users)
        shown = len(found.users)
        more = _(" (the first {shown} shown; type more to narrow)").format(shown=shown) if found.count > shown else ""
        self.say(ngettext(
            "{count} person{more}. Enter opens a person's jobs.", "{count} people{more}. Enter opens a person's jobs.",
            found.count,
        ).format(
            count=found.count, more=more,
        ))

    @staticmethod
    def _cells(user: User) -> list[Text]:
        account = user.account(None) or (user.accounts[0] if user.accounts else None)
        credit = money(account.balance, account.currency) if account else ""
        return [
            Text(plain(user.full_name or user.username)),
            Text(plain(user.username)),
            Text(plain(user.role)),
            Text(credit),
        ]

    def highlighted(self) -> User | None:
        key = cursor_id(self.query_one("#users", DataTable))
        return self.users.get(key) if key is not None else None

    # --- opening ------------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#users")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        user = self.highlighted()
        if user is None:
            self.say(_("No one to open: search for a person first."))
            return
        self._open(user)

    @work(exclusive=True, group="open", exit_on_error=False)
    async def _open(self, user: User) -> None:
        self.say(_("Opening the jobs of {name}…").format(name=plain(user.full_name or user.username)))
        try:
            await self.visit(user)
        except SessionExpired as error:
            self.post_message(SessionEnded(error.human))
            return
        except ApiError as error:
            self.say(error.human, error=True)
            return
        self.say(_("Back at the people list. Enter opens a person's jobs."))

    async def visit(self, owner: User, *, focus_job: int | None = None, back_to: str = "people") -> None:
        """Open `owner`'s jobs, acting for them: their jobs and projects in one round trip.
        `back_to`: where `b` goes back to, as the footer says it (the people, all jobs)."""
        acting = ActingClient(self.session.client, owner)
        jobs, projects = await asyncio.gather(acting.jobs(limit=500), acting.projects())
        session = Session(
            client=acting,
            user=owner, projects=projects.projects if projects else [], staff=self.session.user,
            projects_known=projects is not None,
        )
        await self.app.push_screen(OwnerJobsScreen(self.context, session, jobs, focus_job=focus_job, back_to=back_to))

    async def _visit_job(self, job: Job) -> None:
        """From all jobs: the job's owner, with the cursor on that job; `b` comes back to all jobs."""
        owner = await find_user(self.session.client, job.owner_id or 0, job.owner)
        await self.visit(owner, focus_job=job.id, back_to="all jobs")

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        if self._away:  # back from a visit: balances may have changed
            self._away = False
            self._search(self.query_one("#user-search", Input).value, delay=0)
            self.action_to_table()  # keys are keys again (h, a, l), not letters in the search

    def action_all_jobs(self) -> None:
        self.app.push_screen(AllJobsScreen(self.context, self.session, self._visit_job))

    def action_audit(self) -> None:
        names = Names(people=dict(self.users))
        self.app.push_screen(AuditScreen(self.context, self.session.client, title=_("Audit · everyone"), names=names))

    # --- the staff's session --------------------------------------------------------------------------

    def action_logout(self) -> None:
        self.say(_("Logging out…"))
        self.users.clear()
        self.post_message(LogoutRequested(_("You are logged out.")))

    def say(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#helpdesk-status", Static)
        status.update(Content(plain(message, limit=300)))
        status.set_class(error, "-error")
