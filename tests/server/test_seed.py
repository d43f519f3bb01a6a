"""The demo data set (contract 6) and resetting it."""

from __future__ import annotations

from datetime import timedelta

from station.server.app import ServerSettings, create_app
from station.server.seed import DEMO_LOGINS

from .support import ALICE, API, BOB, job_id, snapshot


async def all_jobs(http, headers, **params):
    return (await http.get(f"{API}/jobs", params=params, headers=headers)).json()["jobs"]


async def test_alice_has_the_jobs_the_contract_asks_for(http, bearer):
    headers = await bearer(http)
    pending = await all_jobs(http, headers)
    assert len(pending) >= 6
    assert any(j["colorCount"] == 0 for j in pending) and any(j["colorCount"] > 0 for j in pending)
    assert any(j["duplex"] for j in pending) and any(not j["duplex"] for j in pending)
    assert any(j["copies"] > 1 for j in pending)
    paused = [j for j in pending if j["state"] == "paused"]
    assert len(paused) == 1
    assert paused[0]["pageCount"] >= 12 and paused[0]["queue"] == "secure" and paused[0]["interaction"]
    favourites = await all_jobs(http, headers, state="printed", favorite="true")
    assert len(favourites) == 1


async def test_bob_has_jobs_costing_more_than_his_credit(http, bearer):
    headers = await bearer(http, pin="5678")
    pending = await all_jobs(http, headers)
    assert len(pending) >= 3
    assert sum(round(j["cost"] * 100) for j in pending) > 80
    me = (await http.get(f"{API}/users/me", headers=headers)).json()
    assert (me["accounting"], me["projectRequired"]) == ("group", True)


async def test_carol_and_dave(http, bearer):
    carol = await bearer(http, user="carol", pwd="carol-pw")
    assert (await http.get(f"{API}/jobs", headers=carol)).json()["count"] == 0
    dave = await bearer(http, pin="9012")
    every_state = ",".join(["paused", "ready", "processing", "printed", "canceled", "expired", "failed"])
    assert (await http.get(f"{API}/jobs", params={"state": every_state}, headers=dave)).json()["count"] == 0


async def test_queues_secure_and_direct(app):
    with app.state.store.read() as db:
        queues = {r["name"]: r["duplex_question_over"] for r in db.all("SELECT * FROM queues")}
    assert queues == {"secure": 10, "direct": None}


def test_demo_logins_name_every_demo_credential():
    text = " ".join(f"{who} {value}" for who, ways in DEMO_LOGINS for _kind, value in ways)
    for credential in ("1234", "04A1B2C3", "alice-pw", "5678", "04B0B0B0", "carol-pw", "9012"):
        assert credential in text


def test_seed_is_deterministic_given_the_clock(clock):
    first, second = create_app(ServerSettings(clock=clock)), create_app(ServerSettings(clock=clock))
    try:
        a, b = snapshot(first), snapshot(second)
        # Secrets are hashed with a per-database salt, so only they differ.
        assert a["jobs"] == b["jobs"]
        assert a["accounts"] == b["accounts"]
        assert a["user_projects"] == b["user_projects"]
    finally:
        first.state.store.close()
        second.state.store.close()


def test_seed_none_is_empty(clock):
    app = create_app(ServerSettings(clock=clock, seed="none"))
    try:
        assert snapshot(app) == {"jobs": [], "accounts": [], "audit": [], "users": [], "user_projects": []}
    finally:
        app.state.store.close()


async def test_reset_to_seed_restores_the_demo_data(http, bearer, app, clock):
    seeded = snapshot(app)
    headers = await bearer(http)
    await http.post(f"{API}/jobs/process", json={"jobIds": [job_id(app, "Board minutes.pdf")]}, headers=headers)
    await http.delete(f"{API}/jobs/{job_id(app, 'Flyer.pdf')}", headers=headers)
    assert snapshot(app) != seeded
    app.state.store.reset_to_seed()
    assert snapshot(app)["jobs"] == seeded["jobs"]
    assert snapshot(app)["accounts"] == seeded["accounts"]
    assert snapshot(app)["audit"] == []
    # A session open before the reset goes on.
    assert (await http.get(f"{API}/users/me", headers=headers)).json()["id"] == ALICE
    # Later, the demo data is seeded relative to the new now.
    clock.advance(days=3)
    app.state.store.reset_to_seed()
    headers = await bearer(http, pin="5678")
    jobs = (await http.get(f"{API}/jobs", headers=headers)).json()["jobs"]
    assert jobs and all(j["ownerId"] == BOB for j in jobs)
    newest = max(j["dateTime"] for j in jobs)
    assert newest > (clock() - timedelta(hours=1)).isoformat()
