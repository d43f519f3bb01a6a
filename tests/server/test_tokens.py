"""Tokens (issue 11, item 9): a refresh token works once, revoking needs the client's
credentials, acting for others needs the scope `users`, and a fresh token lives 1800 s."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from station.server.app import ServerSettings, create_app

from .support import API, BOB, CLIENT_ID, CLIENT_SECRET, job_id, reason, snapshot


def refresh_body(token: str, secret: str = CLIENT_SECRET) -> dict[str, Any]:
    return {"grant_type": "refresh_token", "refresh_token": token, "client_id": CLIENT_ID, "client_secret": secret}


def bearer_of(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


# --- refresh tokens work once ----------------------------------------------------------------


async def test_a_refresh_token_works_once_and_its_successor_carries_on(http, login):
    tokens = await login(http, pin="1234")
    used = set()
    for _ in range(3):
        used.add(tokens["refresh_token"])
        renewed = await http.post("/api/auth/token", json=refresh_body(tokens["refresh_token"]))
        assert renewed.status_code == 200, renewed.text
        tokens = renewed.json()
        assert tokens["refresh_token"] not in used  # a new one at every use
        assert (await http.get(f"{API}/users/me", headers=bearer_of(tokens))).json()["username"] == "alice"


async def test_a_refresh_token_used_twice_ends_the_whole_session(http, login):
    """Two parties hold it (a thief and the station): OAuth's advice is to end the family."""
    first = await login(http, pin="1234")
    second = (await http.post("/api/auth/token", json=refresh_body(first["refresh_token"]))).json()
    again = await http.post("/api/auth/token", json=refresh_body(first["refresh_token"]))
    assert again.status_code == 401 and reason(again) == "invalid_token"
    assert "access_token" not in again.text
    # Every token of the session is over, the newest too.
    after = await http.post("/api/auth/token", json=refresh_body(second["refresh_token"]))
    assert after.status_code == 401 and reason(after) == "invalid_token"
    for tokens in (first, second):
        response = await http.get(f"{API}/jobs", headers=bearer_of(tokens))
        assert response.status_code == 401 and reason(response) == "invalid_token"
    # Another session of the same person is not touched.
    other = await login(http, pin="1234")
    assert (await http.get(f"{API}/jobs", headers=bearer_of(other))).status_code == 200


async def test_a_refresh_with_a_wrong_client_secret_is_refused_and_keeps_the_token(http, login):
    tokens = await login(http, pin="1234")
    wrong = await http.post("/api/auth/token", json=refresh_body(tokens["refresh_token"], "guess"))
    assert wrong.status_code == 401 and reason(wrong) == "invalid_client"
    assert (await http.post("/api/auth/token", json=refresh_body(tokens["refresh_token"]))).status_code == 200


# --- revoking needs the client's credentials ---------------------------------------------------


@pytest.mark.parametrize(("credentials", "status", "word"), [
    ({}, 422, "validation"),
    ({"client_id": CLIENT_ID, "client_secret": "guess"}, 401, "invalid_client"),
    ({"client_id": "someone-else", "client_secret": CLIENT_SECRET}, 200, None),
])
async def test_revoking_without_the_clients_credentials_ends_nothing(http, login, credentials, status, word):
    """A stranger holding a token cannot log someone out; another client's call changes nothing."""
    tokens = await login(http, pin="1234")
    response = await http.post("/api/auth/revoke", json={"token": tokens["refresh_token"], **credentials})
    assert response.status_code == status, response.text
    if word:
        assert reason(response) == word
    assert (await http.get(f"{API}/jobs", headers=bearer_of(tokens))).status_code == 200
    assert (await http.post("/api/auth/token", json=refresh_body(tokens["refresh_token"]))).status_code == 200


async def test_revoking_with_the_clients_credentials_ends_the_session(http, login):
    tokens = await login(http, pin="1234")
    response = await http.post("/api/auth/revoke", json={
        "token": tokens["access_token"], "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert response.status_code == 200
    assert (await http.get(f"{API}/jobs", headers=bearer_of(tokens))).status_code == 401
    refreshed = await http.post("/api/auth/token", json=refresh_body(tokens["refresh_token"]))
    assert refreshed.status_code == 401 and reason(refreshed) == "invalid_token"


async def test_the_station_logs_out_with_its_credentials(app):
    """The real client's revoke sends what the server now asks for."""
    from station.api.client import StationClient

    transport = httpx.ASGITransport(app=app)
    async with StationClient("http://station.test", transport=transport) as client:
        access = (await client.login_pin("1234")).access_token
        await client.revoke()
    async with httpx.AsyncClient(transport=transport, base_url="http://station.test") as http:
        response = await http.get(f"{API}/jobs", headers={"Authorization": f"Bearer {access}"})
    assert response.status_code == 401 and reason(response) == "invalid_token"


# --- acting for others needs the scope users ----------------------------------------------------


def others_calls(app) -> list[tuple[str, str, Any]]:
    parking, labels = job_id(app, "Parking permit.pdf"), job_id(app, "Shipping labels.pdf")
    return [
        ("GET", f"{API}/jobs?ownerId={BOB}", None),
        ("GET", f"{API}/jobs?all=true", None),
        ("GET", f"{API}/jobs/{parking}", None),
        ("PATCH", f"{API}/jobs/{parking}", {"favorite": True}),
        ("POST", f"{API}/jobs/delete", [labels]),
        ("POST", f"{API}/jobs/process", {"jobIds": [parking], "owner": "bob", "projectId": 2}),
        ("POST", f"{API}/jobs/client", {"queue": "direct", "owner": "bob", "computer": "PC", "name": "x.pdf",
                                        "size": 1, "uuid": "u-1", "jobInfo": {"pageCount": 1}}),
        ("GET", f"{API}/audit?ownerId={BOB}", None),
        ("GET", f"{API}/projects?ownerId={BOB}", None),
    ]


async def scoped(http: httpx.AsyncClient, who: str, scope: str) -> dict[str, str]:
    if who == "helpdesk":
        body = {"grant_type": "login_info", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "scope": scope,
                "login_info": {"type": 3, "user": "carol", "pwd": "carol-pw"}}
    else:
        body = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "scope": scope}
    response = await http.post("/api/auth/token", json=body)
    assert response.status_code == 200 and response.json()["scope"] == scope, response.text
    return {**bearer_of(response.json()), "X-Station-Reason": "asked at the desk"}


@pytest.mark.parametrize("who", ["helpdesk", "application"])
async def test_without_the_scope_users_no_one_reads_or_changes_anothers_jobs(http, app, who):
    headers = await scoped(http, who, "jobs")
    before = snapshot(app)
    for method, url, body in others_calls(app):
        response = await http.request(method, url, json=body, headers=headers)
        assert response.status_code in (403, 404), (method, url, response.text)
    assert snapshot(app) == before
    # Its own (empty) list is fine: it is not refused, it just holds nobody else's jobs.
    own = await http.get(f"{API}/jobs", headers=headers)
    assert own.status_code == 200 and (own.json()["jobs"], own.json()["count"]) == ([], 0)


@pytest.mark.parametrize("who", ["helpdesk", "application"])
async def test_with_the_scope_users_the_same_calls_are_answered(http, app, who):
    """The control of the test above."""
    headers = await scoped(http, who, "jobs users")
    for method, url, body in others_calls(app):
        response = await http.request(method, url, json=body, headers=headers)
        assert response.status_code < 300, (method, url, response.text)


# --- a fresh token's expires_in is the contract's 1800 ---------------------------------------


class TickingClock:
    """A clock that moves on by a microsecond each time it is read, as a real one does."""

    def __init__(self, start) -> None:
        self.now = start

    def __call__(self):
        self.now += timedelta(microseconds=1)
        return self.now


async def test_a_fresh_token_says_1800_seconds_on_a_clock_that_moves(clock):
    app = create_app(ServerSettings(clock=TickingClock(clock.now)))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://station.test") as http:
            login = await http.post("/api/auth/token", json={
                "grant_type": "login_info", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "scope": "jobs offline.access", "login_info": {"type": 2, "pin": "1234"}})
            assert login.json()["expires_in"] == 1800
            renewed = await http.post("/api/auth/token", json=refresh_body(login.json()["refresh_token"]))
            assert renewed.json()["expires_in"] == 1800
            application = await http.post("/api/auth/token", json={
                "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
            assert application.json()["expires_in"] == 1800
    finally:
        app.state.store.close()
