"""The vendor's user calls in both modes: `GET /v3/users/find` and `GET /v3/users/{id}/accounts`
(contract 7.1, wire decisions): the vendor's shapes, who may ask, unknown filters find nobody."""

from __future__ import annotations

import pytest

from station.server.app import ServerSettings

from .support import ALICE, API, BOB, CAROL, DAVE

HELPDESK = {"user": "carol", "pwd": "carol-pw"}
VENDOR_USER = {"id", "username", "fullname", "email", "lang", "code"}


@pytest.fixture(params=["profile", "vendor"])
def settings(request, clock) -> ServerSettings:
    return ServerSettings(db=":memory:", seed="demo", clock=clock, api=request.param)


def words(response) -> list:
    return response.json()["data"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"username": "alice"}, ["alice"]),
        ({"username": "BOB"}, ["bob"]),
        ({"email": "Dave@Example.org"}, ["dave"]),
        ({"card": "04a1b2c3"}, ["alice"]),
        ({"card": " 04B0B0B0 "}, ["bob"]),
        ({"username": "alice", "email": "alice@example.org"}, ["alice"]),
    ],
)
async def test_find_a_user_by_each_filter(http, bearer, query, found):
    response = await http.get(f"{API}/users/find", params=query, headers=await bearer(http, **HELPDESK))
    assert response.status_code == 200, response.text
    body = response.json()
    assert [user["username"] for user in body["users"]] == found
    assert body["count"] == len(found)


async def test_a_found_user_has_the_vendors_shape(http, bearer):
    body = (await http.get(f"{API}/users/find?username=alice", headers=await bearer(http, **HELPDESK))).json()
    [alice] = body["users"]
    assert set(alice) == VENDOR_USER
    assert alice == {"id": ALICE, "username": "alice", "fullname": "Alice Martin", "email": "alice@example.org",
                     "lang": "en", "code": None}


@pytest.mark.parametrize(
    "query",
    ["", "?search=alice", "?name=alice", "?username=alice&search=x", "?username=", "?code=7",
     "?username=nobody", "?email=alice", "?card=DEADBEEF", "?username=alice&email=bob@example.org"],
)
async def test_no_unknown_or_unmatched_filter_finds_anyone(http, bearer, query):
    headers = await bearer(http, **HELPDESK)
    control = await http.get(f"{API}/users/find?username=alice", headers=headers)
    assert control.json()["count"] == 1
    response = await http.get(f"{API}/users/find{query}", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"users": [], "count": 0}


@pytest.mark.parametrize("pin", ["1234", "9012"])
async def test_find_needs_the_scope_users(http, bearer, settings, pin):
    response = await http.get(f"{API}/users/find?username=alice", headers=await bearer(http, pin=pin))
    assert response.status_code == 403
    assert words(response) == ([] if settings.api == "vendor" else [{"reason": "scope_missing", "scope": "users"}])


async def test_accounts_in_the_vendors_shape_without_a_balance(http, bearer):
    response = await http.get(f"{API}/users/{ALICE}/accounts", headers=await bearer(http, **HELPDESK))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "credit": {"enabled": True},
        "quota": {"enabled": False},
        "accounts": [
            {"name": "Personal credit", "reference": "credit", "type": "credit", "limits": {}, "groupId": None},
            {"name": "Marketing", "reference": "cc:marketing", "type": "costCenter", "limits": {}, "groupId": None},
        ],
    }


async def test_the_references_are_the_account_ids_a_release_takes(http, bearer, app):
    """`reference` is what goes into `account`: a release charged to it is accepted."""
    headers = await bearer(http)
    accounts = (await http.get(f"{API}/users/{ALICE}/accounts", headers=headers)).json()["accounts"]
    marketing = next(a["reference"] for a in accounts if a["type"] == "costCenter")
    response = await http.post(
        f"{API}/printers/1/jobs/release", json={"jobIds": [101], "account": marketing}, headers=headers
    )
    assert response.status_code == 202, response.text
    with app.state.store.read() as db:
        assert db.scalar("SELECT charged_account FROM jobs WHERE id = 101") == marketing


@pytest.mark.parametrize(("pin", "user_id"), [("1234", ALICE), ("5678", BOB), ("9012", DAVE)])
async def test_own_accounts_with_scope_jobs(http, bearer, pin, user_id):
    response = await http.get(
        f"{API}/users/{user_id}/accounts", headers=await bearer(http, pin=pin, scope="jobs")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["credit"] == {"enabled": True}
    expected = ["credit", "cc:marketing"] if user_id == ALICE else ["credit"]
    assert [a["reference"] for a in body["accounts"]] == expected


async def test_the_helpdesk_has_no_accounts_of_its_own(http, bearer):
    body = (await http.get(f"{API}/users/{CAROL}/accounts", headers=await bearer(http, **HELPDESK))).json()
    assert body == {"credit": {"enabled": False}, "quota": {"enabled": False}, "accounts": []}


async def test_another_users_accounts_need_the_scope_users_whether_or_not_they_exist(http, bearer, settings):
    headers = await bearer(http)  # alice, scope jobs
    existing = await http.get(f"{API}/users/{BOB}/accounts", headers=headers)
    absent = await http.get(f"{API}/users/4242/accounts", headers=headers)
    assert existing.status_code == absent.status_code == 403
    assert existing.text == absent.text  # nothing says whether user 4242 exists
    assert words(existing) == ([] if settings.api == "vendor" else [{"reason": "scope_missing", "scope": "users"}])


@pytest.mark.parametrize("user_id", ["4242", "abc", "0"])
async def test_accounts_of_no_such_user_is_404_for_the_helpdesk(http, bearer, settings, user_id):
    response = await http.get(f"{API}/users/{user_id}/accounts", headers=await bearer(http, **HELPDESK))
    assert response.status_code == 404
    assert words(response) == ([] if settings.api == "vendor" else [{"reason": "not_found"}])
