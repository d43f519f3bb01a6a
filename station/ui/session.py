"""What the station knows about the person logged in, and the sums it shows them.

Nothing here imports Textual: a screen holds a `Session` and asks it questions; the session
holds the client, the user, the projects and the account chosen for release. Logging out drops
the session object, and with it every piece of that person's data.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from station.api.errors import ApiError
from station.api.jobs_client import JobsClient
from station.api.models import Account, Job, Project, ProjectList, ReleaseAnswer, User
from station.api.people import Identity
from station.i18n import _
from station.ui.receipt import Receipt
from station.untrusted import plain
from station.format import count, money

log = logging.getLogger("station.ui")

PIN_LENGTHS = range(4, 7)


def secret_kind(secret: str) -> Literal["pin", "card"]:
    """What the one field of the login screen received.

    A card reader types the card number and Enter; a person types a PIN and Enter. Rule: all
    digits and 4 to 6 long is a PIN; anything else (letters, as in `04A1B2C3`, or a longer
    number) is a card. One login attempt per Enter: trying a PIN and then a card would count
    two failures towards the lockout.
    """
    secret = secret.strip()
    if secret.isdigit() and secret.isascii() and len(secret) in PIN_LENGTHS:
        return "pin"
    return "card"


@dataclass(frozen=True)
class Totals:
    """The sums of a set of jobs: what the totals bar and the release confirmation show."""

    jobs: int = 0
    pages: int = 0
    colour: int = 0
    sheets: int = 0
    cost: Decimal = Decimal("0")

    @classmethod
    def of(cls, jobs: Iterable[Job]) -> Totals:
        jobs = list(jobs)
        return cls(
            jobs=len(jobs),
            pages=sum(job.pages for job in jobs),
            colour=sum(job.color_pages for job in jobs),
            sheets=sum(job.sheets for job in jobs),
            cost=sum((job.cost for job in jobs), Decimal("0")),
        )


@dataclass
class Session:
    """One person's session at the station.

    `user` is whose jobs these are. At the helpdesk, `staff` is the helpdesk person acting for
    them, and `client` an `ActingClient` that names `user` as the owner in every call.

    A print server with only the vendor's API may not say who is logged in, which accounts
    they have or what they hold (contract 7.3, point 8): the `*_known` flags say what it did
    say, and the session shows nothing it was not told (no balance, no name it made up).
    """

    client: JobsClient
    user: User
    projects: list[Project] = field(default_factory=list)
    account_id: str | None = None  # the account the next release charges; None = the default
    staff: User | None = None  # the helpdesk person acting for `user`; None at a kiosk
    accounts_known: bool = True  # the server listed the accounts (else its default account is charged)
    balances_known: bool = True  # the balances are the server's (else none is shown)
    projects_known: bool = True  # the server lists the projects one may charge
    receipt: Receipt | None = None  # what this person released and canceled (not at the helpdesk)
    # Called once the session is closed, while its screens are still on show: they wipe.
    _on_close: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.account_id is None and self.balances_known:
            default = self.user.account(None) or (self.user.accounts[0] if self.user.accounts else None)
            self.account_id = default.id if default else None

    @classmethod
    def start(cls, client: JobsClient, identity: Identity, projects: ProjectList | None) -> Session:
        """A session from what the print server said at login (`client.who`, `client.projects`)."""
        user = identity.user or User(id=0, username=identity.typed or "")  # only what was typed
        return cls(
            client=client,
            user=user,
            projects=projects.projects if projects is not None else [],
            accounts_known=identity.accounts_known,
            balances_known=identity.balances_known,
            projects_known=projects is not None,
        )

    @property
    def name(self) -> str:
        return plain(self.user.full_name or self.user.username)

    @property
    def owner_name(self) -> str | None:
        """The user name a release names as the owner; None when the server did not say it."""
        return self.user.username or None

    @property
    def account(self) -> Account | None:
        return self.user.account(self.account_id)

    @property
    def currency(self) -> str:
        account = self.account or (self.user.accounts[0] if self.user.accounts else None)
        return account.currency if account else ""

    def money(self, amount: Decimal | None) -> str:
        return money(amount, self.currency)

    def project(self, project_id: int) -> Project | None:
        if not project_id:
            return None
        return next((p for p in self.projects if p.id == project_id), None)

    def project_label(self, project_id: int) -> str:
        """The short name shown in a table cell: the code, else the name, else the id."""
        if not project_id:
            return ""
        project = self.project(project_id)
        if project is None:
            return f"#{project_id}"
        return plain(project.code or project.name)

    def project_title(self, project_id: int) -> str:
        """The long name shown in a sentence."""
        project = self.project(project_id)
        if project is None:
            return _("no project") if not project_id else _("project #{project_id}").format(project_id=project_id)
        code = plain(project.code)
        return f"{plain(project.name)} ({code})" if code else plain(project.name)

    def balance_after(self, cost: Decimal) -> Decimal | None:
        account = self.account
        if account is None or account.balance is None or not self.balances_known:
            return None
        return account.balance - cost

    def account_line(self) -> str:
        account = self.account
        unknown = "" if self.balances_known else _(", balance not known")
        if account is None:
            if self.accounts_known and not self.user.accounts:
                return _("no account")
            return _("the default account{unknown}").format(unknown=unknown)
        name = plain(account.name or account.id)
        if unknown:
            return f"{name}{unknown}"
        if account.balance is None:
            return _("{name} (no limit)").format(name=name)
        return f"{name} {money(account.balance, account.currency)}"

    def release_refusal(self, jobs: list[Job], *, check_credit: bool = True) -> str | None:
        """Why these jobs may not be released, in words, or None: checked before any request.
        `check_credit` False: their cost is not the one listed (the server prices and checks it)."""
        if not jobs:
            return _("No job to release.")
        if self.user.project_required:
            missing = [job for job in jobs if not job.project_id]
            if missing:
                names = ", ".join(plain(job.name) for job in missing[:3])
                more = _(" and {more} more").format(more=len(missing) - 3) if len(missing) > 3 else ""
                said = (
                    _("Pick a project first (p): {names}{more} has no project.") if len(missing) == 1
                    else _("Pick a project first (p): {names}{more} have no project.")
                )
                return said.format(names=names, more=more)
        total = Totals.of(jobs).cost
        account = self.account
        known = check_credit and self.balances_known and account is not None and account.balance is not None
        if known and account is not None and account.balance is not None and total > account.balance:
            return (
                _("Not enough credit: {jobs} cost {total}, {account} holds {balance}. "
                  "Choose another account (c) or fewer jobs.").format(
                    jobs=count(len(jobs), 'job', 'jobs'), total=self.money(total),
                    account=plain(account.name or account.id), balance=money(account.balance, account.currency),
                )
            )
        return None

    def when_closed(self, wipe: Callable[[], None]) -> None:
        """`wipe` is called when the session closes: a screen forgets what it showed of it."""
        self._on_close.append(wipe)

    async def close(self, *, revoke: bool = True, timeout: float = 5) -> bool:
        """End this session: revoke its token on the server (when asked), close the connection,
        then whoever asked wipes. True unless the server could not be told. The App calls this,
        and nothing else does."""
        told = await close_client(self.client, revoke=revoke, timeout=timeout)
        if self.receipt is not None:
            self.receipt.wipe()
        wipes, self._on_close = self._on_close, []
        for wipe in wipes:
            wipe()
        return told

    def seen(self, jobs: Iterable[Job]) -> None:
        """Jobs as read from the server: the receipt keeps how each arrived (to tell a switch)."""
        if self.receipt is not None:
            self.receipt.seen(jobs)

    def note_release(self, jobs: list[Job], result: ReleaseAnswer | None, printer: str | None) -> None:
        """A release went through: the receipt notes the jobs as the server says they print (else
        as `jobs` say), and what it charged (else the listed costs are summed)."""
        if self.receipt is None:
            return
        printed = result.jobs if result is not None and result.jobs else jobs
        charged = result.charged if result is not None else None
        balance = result.balance if result is not None and self.balances_known else None
        self.receipt.released(printed, charged=charged, account=self.account, balance=balance, printer=printer)

    def note_cancel(self, jobs: Iterable[Job]) -> None:
        if self.receipt is not None:
            self.receipt.canceled(jobs)

    def set_balance(self, account_id: str | None, balance: Decimal | None) -> None:
        """After a release: the server said what the charged account now holds."""
        account = self.user.account(account_id)
        if account is not None:
            account.balance = balance


async def close_client(client: JobsClient, *, revoke: bool = False, timeout: float = 5) -> bool:
    """End a client's session: revoke its token on the server when asked, then forget it and
    close the connection whatever happened. True unless the server could not be told."""
    told = True
    if revoke:
        try:
            async with asyncio.timeout(timeout):  # not wait_for: on 3.11 it can swallow a cancellation
                await client.revoke()
        except (ApiError, TimeoutError):
            told = False
        except Exception:
            log.exception("revoke failed")
            told = False
    client.forget()
    try:
        await client.aclose()
    except Exception:  # closing a connection that never opened must not matter
        log.debug("closing the client failed", exc_info=True)
    return told
