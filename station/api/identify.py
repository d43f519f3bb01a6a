"""Who is logged in (contract 7.3, point 8), asked of the server in the ways it may answer.

`GET /v3/users/me` (profile) where it exists; else, with the `users` scope, the vendor's
`GET /v3/users/find` by the user name typed at login, with the accounts of
`GET /v3/users/{id}/accounts` where readable; else only the name typed, or nothing.
"""

from __future__ import annotations

from typing import Any

from station.api import capabilities as calls
from station.api.errors import BadResponse, NotAllowed, ScopeMissing
from station.api.models import Account, User, UserList
from station.api.people import Identity
from station.api.wire import Wire


async def me(wire: Wire) -> User | None:
    """The person logged in (profile), or None when the server does not say."""
    return await wire.optional(calls.ME, lambda: wire.read("GET", "/v3/users/me", User))


async def find_user(wire: Wire, username: str) -> User | None:
    """`GET /v3/users/find?username=` (vendor, scope `users`): the user of that name, or None."""
    try:
        found = await wire.optional(
            calls.USERS_FIND, lambda: wire.read("GET", "/v3/users/find", UserList, params={"username": username})
        )
    except (NotAllowed, ScopeMissing):
        return None  # there, but not for this login
    return next((user for user in found.users if user.username == username), None) if found else None


async def user_accounts(wire: Wire, user_id: int) -> list[Account] | None:
    """`GET /v3/users/{id}/accounts` (vendor): the accounts (no balances), or None."""

    async def ask() -> list[Account]:
        accounts = vendor_accounts(await wire.body("GET", f"/v3/users/{int(user_id)}/accounts"))
        if accounts is None:
            raise BadResponse()
        return accounts

    try:
        return await wire.optional(calls.ACCOUNTS, ask)
    except (NotAllowed, ScopeMissing):
        return None  # there, but not for this login


async def who(wire: Wire, username: str | None, *, may_find: bool) -> Identity:
    """The person behind the token; `may_find`: the login has the `users` scope."""
    user = await me(wire)
    if user is not None:
        return Identity(user, "me", accounts_known=True, balances_known=True)
    found = await find_user(wire, username) if username and may_find else None
    if found is None:
        return Identity(None, "typed" if username else "none", typed=username)
    accounts = await user_accounts(wire, found.id)
    if accounts is not None:
        found = found.model_copy(update={"accounts": accounts, "default_account": None})
    return Identity(found, "find", typed=username, accounts_known=accounts is not None)


def vendor_accounts(body: Any) -> list[Account] | None:
    """The accounts of `GET /v3/users/{id}/accounts`, or None when the reply is not that shape.

    `{"credit": {"enabled"}, "quota": {...}, "accounts": [{"name", "reference", "type", ...}]}`:
    an account without a usable reference is left out (there would be nothing to charge).
    """
    if not isinstance(body, dict) or not isinstance(body.get("accounts"), list):
        return None
    accounts: list[Account] = []
    for raw in body["accounts"]:
        if not isinstance(raw, dict):
            continue
        reference = raw.get("reference")
        if not isinstance(reference, (str, int)) or isinstance(reference, bool) or str(reference) == "":
            continue
        name = raw.get("name")
        kind = raw.get("type")
        accounts.append(
            Account(
                id=str(reference),
                name=name if isinstance(name, str) else "",
                type=str(kind) if isinstance(kind, (str, int)) and not isinstance(kind, bool) else "",
                balance=None,
                currency="",
            )
        )
    return accounts
