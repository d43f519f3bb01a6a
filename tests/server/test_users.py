"""Who is logged in and what they may charge (contract 3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from station.api.models import ProjectList, User, UserList

from .support import ALICE, API, BOB, reason

CAROL_LOGIN = {"user": "carol", "pwd": "carol-pw"}


async def test_users_me_alice(http, bearer):
    response = await http.get(f"{API}/users/me", headers=await bearer(http))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": ALICE, "username": "alice", "fullName": "Alice Martin", "email": "alice@example.org",
        "language": "en", "role": "user", "accounting": "costCenter", "projectRequired": False,
        "defaultAccount": "credit",
        "accounts": [
            {"id": "credit", "type": "credit", "name": "Personal credit", "balance": 12.5,
             "currency": "EUR"},
            {"id": "cc:marketing", "type": "costCenter", "name": "Marketing", "balance": None,
             "currency": "EUR"},
        ],
    }
    user = User.model_validate(body)
    assert user.account(None).balance == Decimal("12.50")


async def test_users_me_bob_carol_dave(http, bearer):
    bob = User.model_validate((await http.get(f"{API}/users/me", headers=await bearer(http, pin="5678"))).json())
    assert (bob.accounting, bob.project_required, bob.role) == ("group", True, "user")
    assert [(a.id, a.balance) for a in bob.accounts] == [("credit", Decimal("0.80"))]
    carol = User.model_validate(
        (await http.get(f"{API}/users/me", headers=await bearer(http, **CAROL_LOGIN))).json()
    )
    assert (carol.role, carol.accounts) == ("helpdesk", [])
    dave = User.model_validate((await http.get(f"{API}/users/me", headers=await bearer(http, pin="9012"))).json())
    assert [(a.id, a.balance) for a in dave.accounts] == [("credit", Decimal("5.00"))]


async def test_users_list_for_helpdesk(http, bearer):
    headers = await bearer(http, **CAROL_LOGIN)
    response = await http.get(f"{API}/users", headers=headers)
    assert response.status_code == 200
    users = UserList.model_validate(response.json())
    assert users.count == 4
    assert [u.username for u in users.users] == ["alice", "bob", "carol", "dave"]
    found = UserList.model_validate((await http.get(f"{API}/users?search=MART", headers=headers)).json())
    assert [u.username for u in found.users] == ["alice"]
    page = UserList.model_validate(
        (await http.get(f"{API}/users", params={"limit": 2, "start": 1}, headers=headers)).json()
    )
    assert page.count == 4
    assert [u.username for u in page.users] == ["bob", "carol"]


async def test_projects_alice_may_charge_some_bob_all(http, bearer):
    alice = ProjectList.model_validate((await http.get(f"{API}/projects", headers=await bearer(http))).json())
    bob = ProjectList.model_validate(
        (await http.get(f"{API}/projects", headers=await bearer(http, pin="5678"))).json()
    )
    assert bob.count >= 5
    assert alice.count == 3
    assert {p.id for p in alice.projects} < {p.id for p in bob.projects}
    assert all(p.id > 0 and p.name and p.code for p in bob.projects)


async def test_projects_search_and_paging(http, bearer):
    headers = await bearer(http, pin="5678")
    found = (await http.get(f"{API}/projects", params={"search": "report"}, headers=headers)).json()
    assert [p["code"] for p in found["projects"]] == ["AR-2026"]
    page = (await http.get(f"{API}/projects", params={"limit": 2}, headers=headers)).json()
    assert len(page["projects"]) == 2
    assert page["count"] == 6


async def test_projects_owner_id_for_helpdesk(http, bearer):
    headers = await bearer(http, **CAROL_LOGIN)
    own = (await http.get(f"{API}/projects", headers=headers)).json()
    assert own == {"projects": [], "count": 0}
    alices = (await http.get(f"{API}/projects", params={"ownerId": ALICE}, headers=headers)).json()
    assert alices["count"] == 3


async def test_projects_owner_id_of_another_user_not_allowed(http, bearer):
    response = await http.get(f"{API}/projects", params={"ownerId": BOB}, headers=await bearer(http))
    assert response.status_code == 403
    assert reason(response) == "not_allowed"
    own = await http.get(f"{API}/projects", params={"ownerId": ALICE}, headers=await bearer(http))
    assert own.status_code == 200


@pytest.mark.parametrize("pin", ["1234", "5678", "9012"])
async def test_users_list_not_for_users_scope_missing(http, bearer, pin):
    response = await http.get(f"{API}/users", headers=await bearer(http, pin=pin))
    assert response.status_code == 403
    assert reason(response) == "scope_missing"
