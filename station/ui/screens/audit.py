"""The audit: who did what, for whom, when, on which jobs, for how much, and why (contract 4.7).

The helpdesk sees everyone's entries or one owner's; a person sees their own history the same
way (`h` on the jobs screen). Entries come a page at a time, newest first; `n` and `p` turn the
pages. An entry names jobs by id and people by user name: the screen shows the jobs' names and
the people's whole names where it knows or can read them (`Names`), and money with its currency.
Names and reasons come from the server: shown as plain text, never as markup.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual import work
from textual.content import Content

from station.api.errors import ApiError
from station.api.models import AuditEntry, Job, JobStateName, User
from station.i18n import N_, _
from station.untrusted import plain
from station.ui.context import Context
from station.ui.screens.paged_table import PagedTableScreen, paging_bindings
from station.ui.session import Session
from station.format import NAME_IN_TEXT, ago, decimal, money

log = logging.getLogger("station.ui")

ACTIONS = {
    "release": N_("released"),
    "cancel": N_("canceled"),
    "update": N_("changed"),
    "duplex": N_("sides"),
    "spool": N_("spooled"),
    "refund": N_("refunded"),
}

SENTENCES = {
    "release": N_("released"),
    "cancel": N_("canceled"),
    "update": N_("changed"),
    "duplex": N_("switched the sides of"),
    "spool": N_("spooled"),
    "refund": N_("refunded"),
}

EVERY_STATE = tuple(JobStateName)  # a job named in the audit may have printed or gone since
NAMES_READ = 500  # jobs read per owner to learn the names of the jobs on a page

# key, heading, width (0: what is left), right-aligned
COLUMNS = (
    ("when", N_("When"), 11, False),
    ("at", N_("At (UTC)"), 12, False),
    ("action", N_("Action"), 9, False),
    ("actor", N_("By"), 9, False),
    ("owner", N_("For"), 9, False),
    ("jobs", N_("Jobs"), 12, False),
    ("amount", N_("Amount"), 8, True),
    ("reason", N_("Reason"), 0, False),
)


def previous_owner(entry: AuditEntry) -> int | None:
    """An owner change names the owner before it (station's profile field `previousOwnerId`)."""
    value = (entry.model_extra or {}).get("previousOwnerId")
    return value if isinstance(value, int) else None


@dataclass
class Names:
    """What the audit can say instead of an id: people, jobs, projects; the currency of money."""

    people: dict[int, User] = field(default_factory=dict)
    jobs: dict[int, str] = field(default_factory=dict)  # job id: its name
    projects: dict[int, str] = field(default_factory=dict)  # project id: its title
    currency: str = ""  # of an amount whose account's currency is not known

    def person(self, user_id: int | None, username: str | None) -> str:
        """`Alice Martin` when known, else the user name the entry gave, else `someone else`."""
        user = self.people.get(user_id) if user_id is not None else None
        if user is not None:
            return plain(user.full_name or user.username)
        return plain(username) if username else _("someone else")

    def job(self, job_id: int) -> str:
        name = self.jobs.get(job_id)
        return plain(name, limit=NAME_IN_TEXT) if name else _("job {job_id}").format(job_id=job_id)

    def job_list(self, job_ids: list[int], shown: int = 3) -> str:
        names = ", ".join(self.job(job_id) for job_id in job_ids[:shown])
        more = len(job_ids) - shown
        return names + (_(" and {more} more").format(more=more) if more > 0 else "") if job_ids else _("no job")

    def money(self, entry: AuditEntry) -> str:
        if entry.amount is None:
            return ""
        return money(entry.amount, self._account(entry)[1] or self.currency)

    def account(self, entry: AuditEntry) -> str:
        return self._account(entry)[0] or plain(entry.account or "")

    def _account(self, entry: AuditEntry) -> tuple[str, str]:
        """The charged account's name and currency, when its owner is known."""
        owner = self.people.get(entry.owner_id) if entry.owner_id is not None else None
        found = owner.account(entry.account) if owner is not None and entry.account else None
        return (plain(found.name or found.id), found.currency) if found is not None else ("", "")

    def project(self, project_id: int) -> str:
        if not project_id:
            return _("no project")
        return plain(self.projects.get(project_id) or f"project #{project_id}")


class AuditScreen(PagedTableScreen[AuditEntry]):
    """A page of audit entries; the one under the cursor in full below the table."""

    BINDINGS = paging_bindings("audit")
    COLUMNS = COLUMNS
    LEAST = 10
    EMPTY = N_("Nothing recorded yet.")
    DETAIL = True

    def __init__(
        self, context: Context, client: Any, *, title: str, owner_id: int | None = None, names: Names | None = None
    ) -> None:
        """`client` reads `audit(owner_id=, limit=, start=)`, and `jobs` and `users` to learn names."""
        super().__init__(context, title=title, subtitle=_("newest first"))
        self.client = client
        self.owner_id = owner_id
        self.names = names or Names()
        self._people_read = False

    @classmethod
    def history(cls, context: Context, session: Session, jobs: Iterable[Job]) -> AuditScreen:
        """`h` on a person's jobs: what was done with them, by whom and why, in the names the
        jobs screen knows (these jobs, the person, their projects and currency)."""
        names = Names(
            people={session.user.id: session.user} if session.user.id else {},
            jobs={job.id: job.name for job in jobs},
            projects={project.id: session.project_title(project.id) for project in session.projects},
            currency=session.currency,
        )
        return cls(context, session.client, title=_("History · {name}").format(name=session.name), names=names)

    async def fetch(self) -> tuple[list[AuditEntry], int]:
        page = await self.client.audit(owner_id=self.owner_id, limit=self.page_size, start=self.start)
        self._learn(page.entries)
        return page.entries, page.count

    def row_id(self, row: AuditEntry) -> int:
        return row.id

    def where(self, shown: int) -> str:
        return _("Entries {first}–{last} of {count}, newest first.").format(
            first=self.start + 1, last=self.start + shown, count=self.count,
        )

    # --- learning names ------------------------------------------------------------------------------

    @work(exclusive=True, group="audit-names", exit_on_error=False)
    async def _learn(self, entries: Iterable[AuditEntry]) -> None:
        """Read the names this page lacks (the people once, the jobs of each owner), then draw it
        again. What cannot be read stays as it came: ids are still true, only less friendly."""
        entries = list(entries)
        owners = {entry.owner_id for entry in entries if entry.owner_id is not None
                  and any(job_id not in self.names.jobs for job_id in entry.job_ids)}
        reads: list[Awaitable[bool]] = [self._read_jobs(owner) for owner in sorted(owners)]
        if not self._people_read:
            self._people_read = True
            reads.append(self._read_people())
        if any(await asyncio.gather(*reads)):
            self.redraw()

    async def _read_jobs(self, owner_id: int) -> bool:
        """True when it learned a name."""
        try:
            found = await self.client.jobs(owner_id=owner_id, state=EVERY_STATE, limit=NAMES_READ)
        except ApiError:
            return False  # a person may not list another's jobs, a vendor server has no such query
        before = len(self.names.jobs)
        for job in found.jobs:
            self.names.jobs.setdefault(job.id, job.name)
        return len(self.names.jobs) > before

    async def _read_people(self) -> bool:
        try:
            found = await self.client.users("", limit=NAMES_READ)
        except ApiError:
            return False  # only the helpdesk may look people up
        before = len(self.names.people)
        for user in found.users:
            self.names.people.setdefault(user.id, user)
        return len(self.names.people) > before

    # --- drawing ----------------------------------------------------------------------------------

    def cells(self, row: AuditEntry) -> list[Text]:
        now = self.context.now()
        return [
            Text(ago(row.at, now)),
            Text(row.at.strftime("%m-%d %H:%M")),
            Text(self._action(row)),
            Text(plain(row.actor or "-")),
            Text(plain(row.owner or "-")),
            Text(self.names.job_list(row.job_ids, shown=1)),
            Text("" if row.amount is None else decimal(row.amount)),  # the currency: in the detail
            Text(plain(row.reason or "")),
        ]

    @staticmethod
    def _action(entry: AuditEntry) -> str:
        if entry.action == "update" and previous_owner(entry) is not None:
            return _("handed")
        return _(ACTIONS[entry.action]) if entry.action in ACTIONS else plain(entry.action)

    def detail(self, row: AuditEntry) -> Content:
        """The entry in words, all of it, however narrow the table."""
        names = self.names
        actor = Content.styled(names.person(row.actor_id, row.actor), "bold")
        owner = Content.styled(names.person(row.owner_id, row.owner), "bold")
        jobs = names.job_list(row.job_ids, shown=10)
        when = Content.styled(f"{row.at.strftime('%Y-%m-%d %H:%M:%S %Z')} ({ago(row.at, self.context.now())})", "bold")
        before = previous_owner(row)
        if before is not None:
            giver = Content.styled(names.person(before, None), "bold")
            did = Content.assemble(actor, _(" handed {jobs} from ").format(jobs=jobs), giver, _(" to "), owner)
        else:
            did = Content.assemble(actor, _(" {did} {jobs} for ").format(
                did=_(SENTENCES[row.action]) if row.action in SENTENCES else plain(row.action), jobs=jobs,
            ), owner)
            if row.action == "update":
                did += Content(_(": project now {project}").format(
                    project=names.project(row.project_id),
                ))  # what the entry holds after it
        line = Content(" · ").join([when, did])
        if row.amount is not None:
            charged = names.money(row)
            account = names.account(row)
            line += Content(f" · {charged}" + (_(" from {account}").format(account=account) if account else ""))
        why = plain(row.reason) if row.reason else (_("no reason given (their own change)"), "italic")
        reason = Content.assemble((_("Why: "), "$text-muted"), why)
        return line + Content("\n") + reason
