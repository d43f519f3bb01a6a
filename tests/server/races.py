"""Race scenarios, run both in-process (ASGI) and against a real uvicorn (see the test files)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from decimal import Decimal

import httpx

from station.server.store import Store

API = "/api/v3"
LOGIN = {"grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
         "scope": "jobs"}


@asynccontextmanager
async def all_at_once(requests: int, *stores: Store, patience: float = 5.0) -> AsyncIterator[None]:
    """Hold the write lock of the stores' file (from a connection of the test's own, as another
    process would) until `requests` requests are inside the database together, then let go: they
    race for the lock at the same moment. Fails unless they were in there together."""
    holder = sqlite3.connect(stores[0].path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    together = False

    async def let_go() -> None:
        nonlocal together
        deadline = time.monotonic() + patience  # well within the requests' wait for the lock (10 s)
        while not (together := sum(s.in_use for s in stores) >= requests) and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        holder.execute("ROLLBACK")

    waiter = asyncio.create_task(let_go())
    try:
        yield
    finally:
        await waiter
        holder.close()
    assert together, f"the requests were not in the database together ({requests} wanted)"


async def headers_for(http: httpx.AsyncClient, **login_info) -> dict[str, str]:
    response = await http.post("/api/auth/token", json={**LOGIN, "login_info": login_info})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def balance_of(http: httpx.AsyncClient, headers: dict[str, str]) -> Decimal:
    me = (await http.get(f"{API}/users/me", headers=headers)).json()
    return Decimal(str(me["accounts"][0]["balance"]))


async def two_releases_of_one_job(
    http_a: httpx.AsyncClient, http_b: httpx.AsyncClient, gate: AbstractAsyncContextManager[None] | None = None
) -> None:
    """Two clients release the same job at the same moment: one 202, one 409, charged once.
    `gate` (`all_at_once`) starts the releases together."""
    alice_a = await headers_for(http_a, type=2, pin="1234")
    alice_b = await headers_for(http_b, type=1, card="04A1B2C3")
    jobs = (await http_a.get(f"{API}/jobs", params={"search": "Board minutes"}, headers=alice_a)).json()["jobs"]
    [job] = jobs
    start = await balance_of(http_a, alice_a)
    body = {"jobIds": [job["id"]]}
    async with gate or nullcontext():
        first, second = await asyncio.gather(
            http_a.post(f"{API}/jobs/process", json=body, headers=alice_a),
            http_b.post(f"{API}/jobs/process", json=body, headers=alice_b),
        )
    assert sorted([first.status_code, second.status_code]) == [202, 409], (first.text, second.text)
    loser = first if first.status_code == 409 else second
    assert loser.json()["data"][0]["reason"] == "job_state"
    assert await balance_of(http_a, alice_a) == start - Decimal(str(job["cost"]))
    audit = (await http_a.get(f"{API}/audit", headers=alice_a)).json()
    assert [e["action"] for e in audit["entries"]].count("release") == 1


async def fifty_releases_against_one_balance(
    http: httpx.AsyncClient, gate: AbstractAsyncContextManager[None] | None = None
) -> None:
    """50 releases of different jobs at once, all charged to dave's 5.00: never overdrawn.
    `gate` (`all_at_once`) starts the releases together."""
    app_token = await http.post(
        "/api/auth/token",
        json={"grant_type": "client_credentials", "client_id": "station-demo",
              "client_secret": "station-demo-secret", "scope": "jobs users"},
    )
    spooler = {"Authorization": f"Bearer {app_token.json()['access_token']}", "X-Station-Reason": "test set-up"}
    created = await asyncio.gather(*[
        http.post(f"{API}/jobs/client", headers=spooler, json={
            "queue": "direct", "owner": "dave", "computer": "PC-DAVE", "name": f"Ticket {n:02d}.pdf",
            "size": 10_000, "uuid": f"race-{n}", "jobInfo": {"pageCount": 3 + n % 3, "colorCount": n % 2},
        })
        for n in range(50)
    ])
    assert {r.status_code for r in created} == {201}
    ids = [r.json()["id"] for r in created]
    dave = await headers_for(http, type=2, pin="9012")
    start = await balance_of(http, dave)
    assert start == Decimal("5.00")
    async with gate or nullcontext():
        results = await asyncio.gather(*[
            http.post(f"{API}/jobs/process", json={"jobIds": [job_id]}, headers=dave) for job_id in ids
        ])
    statuses = [r.status_code for r in results]
    assert set(statuses) <= {202, 402}, statuses
    assert statuses.count(202) > 0 and statuses.count(402) > 0
    charged = sum(Decimal(str(r.json()["charged"])) for r in results if r.status_code == 202)
    final = await balance_of(http, dave)
    assert final >= 0
    assert final == start - charged
    for r in results:
        if r.status_code == 402:
            data = r.json()["data"][0]
            assert data["reason"] == "insufficient_credit"
            assert data["required"] > data["balance"]
    processing = (await http.get(f"{API}/jobs", params={"state": "processing"}, headers=dave)).json()
    assert processing["count"] == statuses.count(202)
