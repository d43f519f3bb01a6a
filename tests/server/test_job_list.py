"""The job list at speed (issue 13): the `id` filter of the profile, the kept JSON of each job
never answered stale, the cached token lookup refusing a revoked or expired token at once, and
the page served in order by an index."""

from __future__ import annotations

import json
from typing import Any

from station.server.jobs import JOB_SELECT, JobQuery, list_jobs, list_jobs_json
from station.server.jobs.rows import KEY_SELECT
from station.server.shapes import PROFILE_QUERY

from .support import (
    ALICE,
    API,
    BOB,
    CLIENT_ID,
    CLIENT_SECRET,
    job_row,
    pending_ids,
    reason,
    store_of,
)

HELPDESK = {"user": "carol", "pwd": "carol-pw"}


async def listed(http: Any, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = await http.get(f"{API}/jobs", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def all_ids(app: Any, owner_id: int) -> list[int]:
    with store_of(app).read() as db:
        return [row["id"] for row in db.all("SELECT id FROM jobs WHERE owner_id = ? ORDER BY id", (owner_id,))]


# --- the id filter --------------------------------------------------------------------------


async def test_the_id_filter_answers_the_jobs_named_whatever_their_state(http, bearer, app):
    alice = await bearer(http)
    ready, other, third = pending_ids(app, ALICE)[:3]
    released = await http.post(f"{API}/jobs/process", json={"jobIds": [ready]}, headers=alice)
    assert released.status_code == 202, released.text
    canceled = await http.post(f"{API}/jobs/delete", json=[other], headers=alice)
    assert canceled.status_code == 200, canceled.text
    everything = all_ids(app, ALICE)
    body = await listed(http, alice, id=",".join(map(str, everything)), limit=500)
    states = {job["id"]: job["state"] for job in body["jobs"]}
    assert set(states) == set(everything) and body["count"] == len(everything)
    assert states[ready] == "processing" and states[other] == "canceled" and states[third] == "ready"
    assert "printed" in states.values()  # the demo's printed favourite
    assert "id" in body["profileQuery"] and body["profileQuery"] == PROFILE_QUERY


async def test_the_id_filter_never_shows_another_persons_job(http, bearer, app):
    bobs = all_ids(app, BOB)
    mine = pending_ids(app, ALICE)[0]
    body = await listed(http, await bearer(http), id=f"{bobs[0]},{mine},{bobs[1]},999999")
    assert [job["id"] for job in body["jobs"]] == [mine] and body["count"] == 1


async def test_the_helpdesk_finds_anyones_jobs_by_id_with_all(http, bearer, app):
    carol = await bearer(http, **HELPDESK)
    ids = [all_ids(app, BOB)[0], pending_ids(app, ALICE)[0]]
    own = await listed(http, carol, id=",".join(map(str, ids)))
    assert own["jobs"] == []  # without `all` (or ownerId): her own jobs, and she has none
    body = await listed(http, carol, id=",".join(map(str, ids)), all="true")
    assert sorted(job["id"] for job in body["jobs"]) == sorted(ids)
    one_owner = await listed(http, carol, id=",".join(map(str, ids)), ownerId=str(BOB))
    assert [job["id"] for job in one_owner["jobs"]] == [ids[0]]


async def test_the_id_filter_keeps_the_other_filters_and_the_page(http, bearer, app):
    alice = await bearer(http)
    ids = all_ids(app, ALICE)
    body = await listed(http, alice, id=",".join(map(str, ids)), state="paused")
    assert body["jobs"] and {job["state"] for job in body["jobs"]} == {"paused"}
    page = await listed(http, alice, id=",".join(map(str, ids)), limit=2)
    assert len(page["jobs"]) == 2 and page["count"] == len(ids)
    twice = await listed(http, alice, id=f"{ids[0]}, {ids[0]} ,{ids[1]}")
    assert sorted(job["id"] for job in twice["jobs"]) == sorted(ids[:2])


async def test_a_bad_id_list_is_a_400_that_says_why(http, bearer, app):
    alice = await bearer(http)
    cases = {
        "": "empty item",
        "12,,13": "empty item",
        "12,": "empty item",
        "twelve": "not an id",
        "0": "not an id",
        "-3": "not an id",
        str(2**31): "not an id",
        "1" * 11: "not an id",
        ",".join(["7"] * 501): "too many",
        "1" * 6001: "too long",
    }
    for value, problem in cases.items():
        response = await http.get(f"{API}/jobs", params={"id": value}, headers=alice)
        assert response.status_code == 400, (value[:30], response.text)
        assert reason(response) == "bad_request"
        item = response.json()["data"][0]
        assert item["field"] == "id" and item["problem"] == problem, item
        assert "'id'" in response.json()["message"]
    repeated = await http.get(f"{API}/jobs?id=1&id=2", headers=alice)
    assert repeated.status_code == 400 and repeated.json()["data"][0]["problem"] == "repeated"
    assert "once" in repeated.json()["message"]


async def test_vendor_mode_has_no_id_filter(vendor_app):
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=vendor_app), base_url="http://t") as http:
        token = await http.post("/api/auth/token", json={
            "grant_type": "login_info", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "scope": "jobs", "login_info": {"type": 2, "pin": "1234"}})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        whole = await http.get(f"{API}/jobs", headers=headers)
        assert whole.json()["jobs"]
        first = whole.json()["jobs"][0]["id"]
        filtered = await http.get(f"{API}/jobs", params={"id": str(first)}, headers=headers)
    assert filtered.status_code == 200 and filtered.json() == {"jobs": [], "count": 0}


# --- the kept JSON is never stale -----------------------------------------------------------


async def test_each_listed_job_is_what_the_job_itself_answers(http, bearer, app):
    alice = await bearer(http)
    body = await listed(http, alice, state="ready,paused,printed,processing", limit=500)
    assert body["jobs"]
    for job in body["jobs"]:
        single = await http.get(f"{API}/jobs/{job['id']}", headers=alice)
        assert single.json() == job


async def test_a_changed_job_is_listed_as_it_is_now(http, bearer, app):
    alice = await bearer(http)
    first = (await listed(http, alice))["jobs"][0]
    patched = await http.patch(f"{API}/jobs/{first['id']}", json={"favorite": not first["favorite"]}, headers=alice)
    assert patched.status_code == 200, patched.text
    again = next(job for job in (await listed(http, alice))["jobs"] if job["id"] == first["id"])
    assert again["favorite"] is (not first["favorite"])
    # A change that forgets `version` (another tool on the same file): the trigger bumps it.
    before = job_row(app, first["id"])["version"]
    with store_of(app).tx() as db:
        db.execute("UPDATE jobs SET name = 'Renamed by hand.pdf' WHERE id = ?", (first["id"],))
    assert job_row(app, first["id"])["version"] == before + 1
    renamed = next(job for job in (await listed(http, alice))["jobs"] if job["id"] == first["id"])
    assert renamed["name"] == "Renamed by hand.pdf"


async def test_a_job_added_or_removed_by_hand_is_listed_at_once(http, bearer, app):
    alice = await bearer(http)
    before = await listed(http, alice)
    assert before == await listed(http, alice)  # the same page again: kept
    newest = before["jobs"][0]
    with store_of(app).tx() as db:  # another tool on the same file: no version, no id of ours
        db.execute(
            "INSERT INTO jobs (owner_id, name, submitted_us, page_count, state, queue, cost_cents)"
            " SELECT owner_id, 'Added by hand.pdf', submitted_us + 1, 1, 'ready', queue, 4 FROM jobs WHERE id = ?",
            (newest["id"],),
        )
    added = await listed(http, alice)
    assert added["jobs"][0]["name"] == "Added by hand.pdf" and added["count"] == before["count"] + 1
    with store_of(app).tx() as db:
        db.execute("DELETE FROM jobs WHERE name = 'Added by hand.pdf'")
    assert await listed(http, alice) == before


# --- the token lookup is cached, safely -----------------------------------------------------


async def test_a_revoked_token_is_refused_at_once(http, login):
    tokens = await login(http, pin="1234")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await http.get(f"{API}/jobs", headers=headers)).status_code == 200  # now cached
    revoked = await http.post("/api/auth/revoke", json={
        "token": tokens["refresh_token"], "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert revoked.status_code == 200, revoked.text
    refused = await http.get(f"{API}/jobs", headers=headers)
    assert refused.status_code == 401 and reason(refused) == "invalid_token"


async def test_a_refresh_token_used_twice_ends_the_cached_session_at_once(http, login):
    tokens = await login(http, pin="1234")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await http.get(f"{API}/jobs", headers=headers)).status_code == 200
    body = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    assert (await http.post("/api/auth/token", json=body)).status_code == 200
    assert (await http.post("/api/auth/token", json=body)).status_code == 401  # used twice
    refused = await http.get(f"{API}/jobs", headers=headers)
    assert refused.status_code == 401 and reason(refused) == "invalid_token"


async def test_an_expired_token_is_refused_at_once(http, bearer, clock, settings):
    headers = await bearer(http)
    assert (await http.get(f"{API}/jobs", headers=headers)).status_code == 200
    clock.advance(seconds=settings.token_ttl - 1)
    assert (await http.get(f"{API}/jobs", headers=headers)).status_code == 200
    clock.advance(seconds=1)
    refused = await http.get(f"{API}/jobs", headers=headers)
    assert refused.status_code == 401 and reason(refused) == "token_expired"


# --- the page comes in order from an index ----------------------------------------------------


def test_a_persons_pending_page_walks_an_index_in_order(app):
    store = store_of(app)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        page = list_jobs(store, principal_of_alice(), JobQuery())
        items, _ = list_jobs_json(store, principal_of_alice(), JobQuery())
    finally:
        store.conn.set_trace_callback(None)
    assert page.jobs and len(json.loads(b"[%s]" % items)) == len(page.jobs)
    queries = [sql for sql in statements if sql.startswith((JOB_SELECT, KEY_SELECT)) and "ORDER BY" in sql]
    assert len(queries) == 2
    for query in queries:
        with store.read() as db:
            plan = " ".join(row["detail"] for row in db.all(f"EXPLAIN QUERY PLAN {query}"))
        assert "jobs_pending" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    assert "COVERING INDEX jobs_pending" in plan, plan  # the keys need no row of the table


def principal_of_alice() -> Any:
    from station.server.auth import Principal

    return Principal(
        user_id=ALICE, username="alice", role="user", scopes=frozenset({"jobs"}),
        client_id=CLIENT_ID, session_id="test",
    )
