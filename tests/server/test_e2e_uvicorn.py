"""End to end over a real uvicorn on 127.0.0.1 (EmbeddedServer), a file database in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest

from station.server.app import ServerSettings
from station.server.run import EmbeddedServer

from .races import all_at_once, fifty_releases_against_one_balance, headers_for, two_releases_of_one_job
from .support import API, DUPLEX


@pytest.fixture
def served(tmp_path, clock) -> Iterator[EmbeddedServer]:
    with EmbeddedServer(ServerSettings(db=str(tmp_path / "station.db"), clock=clock)) as server:
        yield server


async def test_embedded_server_binds_a_free_port(served):
    assert served.base_url.startswith("http://127.0.0.1:")
    assert served.port > 0
    assert served.api_url == served.base_url + "/api"
    async with httpx.AsyncClient(base_url=served.base_url) as http:
        assert (await http.get("/api")).json()["name"] == "station"


async def test_two_releases_of_the_same_job_over_uvicorn(served):
    async with httpx.AsyncClient(base_url=served.base_url) as a, httpx.AsyncClient(base_url=served.base_url) as b:
        await two_releases_of_one_job(a, b, all_at_once(2, served.store))


async def test_fifty_releases_against_one_balance_over_uvicorn(served):
    limits = httpx.Limits(max_connections=50)
    async with httpx.AsyncClient(base_url=served.base_url, limits=limits, timeout=30) as http:
        await fifty_releases_against_one_balance(http, all_at_once(20, served.store))


async def test_a_session_end_to_end_over_uvicorn(served, clock):
    async with httpx.AsyncClient(base_url=served.base_url) as http:
        login = await http.post("/api/auth/token", json={
            "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
            "scope": "jobs offline.access", "login_info": {"type": 2, "pin": "1234"}})
        assert login.status_code == 200
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        jobs = (await http.get(f"{API}/jobs", headers=headers)).json()["jobs"]
        paused = next(j for j in jobs if j["state"] == "paused")
        asked = (await http.post(f"{API}/jobs/{paused['id']}/script", json={}, headers=headers)).json()
        answered = await http.post(f"{API}/jobs/{paused['id']}/script", headers=headers, json={
            DUPLEX: {"duplex": True, "simplex": None}, "state": asked["state"]})
        assert answered.status_code == 200
        assert answered.json()["job"]["state"] == "ready"
        released = await http.post(f"{API}/jobs/process", json={"jobIds": [paused["id"]]}, headers=headers)
        assert released.status_code == 202
        assert Decimal(str(released.json()["balance"])) == Decimal("12.50") - Decimal("2.52")
        clock.advance(minutes=1)
        state = await http.get(f"{API}/jobs/{paused['id']}/state", headers=headers)
        assert state.json() == {"state": "printed"}
        other = next(j for j in jobs if j["state"] == "ready")
        assert (await http.delete(f"{API}/jobs/{other['id']}", headers=headers)).status_code == 204
        audit = (await http.get(f"{API}/audit", headers=headers)).json()
        assert [e["action"] for e in audit["entries"]] == ["cancel", "release", "duplex"]
        bad = await http.patch(f"{API}/jobs/abc", json={}, headers=headers)
        assert bad.status_code == 404 and bad.json()["data"][0]["reason"] == "not_found"
        revoked = await http.post("/api/auth/revoke", json={
            "token": login.json()["refresh_token"], "client_id": "station-demo",
            "client_secret": "station-demo-secret"})
        assert revoked.status_code == 200
        after = await http.get(f"{API}/jobs", headers=headers)
        assert after.status_code == 401 and after.json()["data"][0]["reason"] == "invalid_token"


async def test_restart_of_the_embedded_server_keeps_everything(tmp_path, clock):
    settings = ServerSettings(db=str(tmp_path / "station.db"), clock=clock)
    with EmbeddedServer(settings) as first:
        async with httpx.AsyncClient(base_url=first.base_url) as http:
            headers = await headers_for(http, type=2, pin="1234")
            jobs = (await http.get(f"{API}/jobs", headers=headers)).json()["jobs"]
            target = next(j for j in jobs if j["state"] == "ready")
            asked = (await http.post(f"{API}/jobs/{target['id']}/script", json={}, headers=headers)).json()
            assert (await http.patch(f"{API}/jobs/{target['id']}", json={"favorite": True},
                                     headers=headers)).status_code == 200
            favourite_state = (await http.post(f"{API}/jobs/{target['id']}/script", json={},
                                               headers=headers)).json()["state"]
    assert asked["state"] != favourite_state
    with EmbeddedServer(settings) as second:
        assert second.port != 0
        async with httpx.AsyncClient(base_url=second.base_url) as http:
            job = (await http.get(f"{API}/jobs/{target['id']}", headers=headers)).json()
            assert job["favorite"] is True  # the token, too, survived the restart
            answered = await http.post(f"{API}/jobs/{target['id']}/script", headers=headers, json={
                DUPLEX: {"duplex": True, "simplex": None}, "state": favourite_state})
            assert answered.status_code == 200, answered.text
