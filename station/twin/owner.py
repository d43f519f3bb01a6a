"""Whose jobs a command of `station jobs` acts on, and the project it charges."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING

from station.untrusted import plain
from station.api.errors import NotAllowed, ScopeMissing
from station.twin.words import OWNER_NOT_ALLOWED, UsageError

if TYPE_CHECKING:
    from station.api.client import StationClient
    from station.api.models import Project, User


@dataclass(frozen=True)
class Owner:
    """Whose jobs a command acts on: the person logged in, or (helpdesk) `--owner`."""

    name: str | None  # the user name, when the server says it (or it was typed)
    user: User | None  # as the server described them, or None
    acting_id: int | None  # their id when acting for another person (sent as `ownerId`), else None
    accounts_known: bool
    balances_known: bool

    def currency(self, account: str | None = None) -> str:
        """The currency of the account charged (or of their first one); empty when not said."""
        if self.user is None:
            return ""
        chosen = self.user.account(account) or (self.user.accounts[0] if self.user.accounts else None)
        return chosen.currency if chosen is not None else ""


async def find_owner(client: StationClient, args: argparse.Namespace) -> Owner:
    """Whose jobs: the person logged in (as far as the server says), or `--owner`."""
    who = await client.who(args.user)
    me = who.user
    if not args.owner or (me is not None and args.owner == me.username):
        return Owner(who.username, me, None, who.accounts_known, who.balances_known)
    try:
        return await _other_owner(client, args.owner)
    except (ScopeMissing, NotAllowed) as error:  # the server's words name its permission ('users')
        raise type(error)(OWNER_NOT_ALLOWED, status=error.status, reason=error.reason) from None


async def _other_owner(client: StationClient, name: str) -> Owner:
    # The profile's user list describes their accounts and balances; the vendor's find does not.
    listed = await client.users(name)
    user = next((found for found in listed.users if found.username == name), None)
    if user is not None:
        return Owner(user.username, user, user.id, True, True)
    user = await client.find_user(name)
    if user is None:
        raise UsageError(f"no user named {name!r}")
    accounts = await client.user_accounts(user.id)
    if accounts is not None:
        user = user.model_copy(update={"accounts": accounts, "default_account": None})
    return Owner(user.username, user, user.id, accounts is not None, False)


async def find_project(client: StationClient, owner: Owner, given: str) -> Project | None:
    """The project `--project` names, by id, code or name; None for no project (0)."""
    from station.api.models import Project

    text = given.strip()
    if text.isdigit():
        return Project(id=int(text), name="") if int(text) else None
    found = await client.projects(text, owner_id=owner.acting_id)  # the server's search: name or code
    if found is None:
        raise UsageError(f"this print server does not list projects, so --project {text!r} cannot be looked up: "
                         "give the project's id")
    wanted = text.casefold()  # and again here, for a server that ignores the search
    exact = [p for p in found.projects if wanted in (p.code.casefold(), p.name.casefold())]
    near = exact or [p for p in found.projects if wanted in p.code.casefold() or wanted in p.name.casefold()]
    if len(near) == 1:
        return near[0]
    whose = f"{owner.name} may" if owner.name else "may be"
    if not near:
        raise UsageError(f"no project {text!r} that {whose} charge: see `station jobs projects`")
    named = "; ".join(f"{plain(p.code or '-')} {plain(p.name, limit=40)} (id {p.id})" for p in near[:5])
    more = f" and {len(near) - 5} more" if len(near) > 5 else ""
    raise UsageError(f"--project {text!r} could be {len(near)} projects: {named}{more}. Give its id or code")
