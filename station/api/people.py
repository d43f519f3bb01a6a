"""Who is logged in, as far as the print server says (contract 7.3, point 8).

Station's profile answers `GET /v3/users/me` with the person, their accounts and balances. A
server with only the vendor's API may say less: the person through `GET /v3/users/find` (with
the `users` scope), their accounts through `GET /v3/users/{id}/accounts` (the id of an account
is its `reference`; it has no balance), or nothing at all. `Identity` holds what was said and
what was not, so that a screen shows what is known and invents nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # plain at run time: a screen imports this before anything of the wire is needed
    from station.api.models import User

Source = Literal["me", "find", "typed", "none"]


@dataclass(frozen=True)
class Identity:
    """The person behind the token.

    `user`: as the server described them, or None when it did not (`typed` is then the user
    name typed at login, if any). `accounts_known`: the server listed their accounts (else the
    server's default account is charged). `balances_known`: the accounts' balances are the
    server's (else no balance is known, which is not the same as no limit).
    """

    user: User | None
    source: Source
    typed: str | None = None
    accounts_known: bool = False
    balances_known: bool = False

    @property
    def username(self) -> str | None:
        """The user name to name as the owner of a release, when known."""
        return self.user.username if self.user is not None else self.typed
