"""The vendor's user calls, in both modes (contract 7.1, rad/v4 get-users):
`GET /v3/users/find?username=|email=|card=|code=` and `GET /v3/users/{id}/accounts`.

"Incorrect or unsupported filter will return empty result": a find without a filter, or with
one it does not know, finds nobody rather than failing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Query, Request

from station.server import jobs
from station.server.auth import Principal
from station.server.deps import Caller, path_id, store_of
from station.server.errors import error_responses, not_found
from station.server.lockout import normalize_card
from station.server.shapes import Enabled, UserAccounts, VendorAccount, VendorUserList, vendor_user
from station.server.store import Store

FIND_FILTERS = ("username", "email", "card", "code")
Filter = Annotated[str | None, Query(max_length=200)]


def find_users(store: Store, filters: dict[str, str]) -> VendorUserList:
    """The users matching every filter given (exactly, letter case aside). The embedded server's
    users have no personal number, so `code` finds nobody."""
    if not filters or set(filters) - set(FIND_FILTERS) or "code" in filters:
        return VendorUserList(users=[], count=0)
    where: list[str] = []
    params: list[Any] = []
    for name, value in filters.items():
        if name == "username":
            where.append("username = ?")  # the column compares without letter case
            params.append(value.strip())
        elif name == "email":
            where.append("lower(email) = lower(?)")
            params.append(value.strip())
        else:
            where.append("card_hash = ?")
            params.append(store.hash_secret("card", normalize_card(value)))
    with store.read() as db:
        rows = db.all(
            f"SELECT * FROM users WHERE {' AND '.join(where)} ORDER BY username COLLATE NOCASE",
            params,
        )
        users = [vendor_user(jobs.user_model(db, row)) for row in rows]
    return VendorUserList(users=users, count=len(users))


def user_accounts(store: Store, p: Principal, user_id: int) -> UserAccounts:
    """Anyone's accounts with scope `users`; one's own with scope `jobs` too."""
    if user_id == p.user_id:
        p.require("jobs", "users")
    else:
        p.require("users")
    with store.read() as db:
        if db.scalar("SELECT 1 FROM users WHERE id = ?", (user_id,)) is None:
            raise not_found("user")
        rows = db.all("SELECT * FROM accounts WHERE user_id = ? ORDER BY position, id", (user_id,))
    return UserAccounts(
        credit=Enabled(enabled=any(row["type"] == "credit" for row in rows)),
        quota=Enabled(enabled=False),
        accounts=[
            VendorAccount(name=row["name"], reference=row["id"], type=row["type"]) for row in rows
        ],
    )


def add_routes(app: FastAPI) -> None:
    @app.get(
        "/api/v3/users/find", response_model=VendorUserList, tags=["users"],
        responses=error_responses(401, 403, 422),
    )
    def find(
        request: Request, p: Caller, username: Filter = None, email: Filter = None,
        card: Filter = None, code: Filter = None,
    ) -> VendorUserList:
        # The filters are declared for the document; they are read from the query as sent, so
        # that one this call does not know is seen (and finds nobody).
        p.require("users")
        return find_users(store_of(request), dict(request.query_params))

    @app.get(
        "/api/v3/users/{user_id}/accounts", response_model=UserAccounts, tags=["users"],
        responses=error_responses(401, 403, 404, 422),
    )
    def accounts(user_id: str, request: Request, p: Caller) -> UserAccounts:
        return user_accounts(store_of(request), p, path_id(user_id, "user"))
