"""Races for real, in one process: requests run in the server's threads on a database file, each
with a connection of its own, so they interleave wherever SQLite lets them; and two apps on one
file, as two server processes would be (`test_crash.py` and `test_e2e_uvicorn.py` race real
processes and a real uvicorn).

The money holds under it: charged once, to the cent, all or nothing. The releases of each race
are started together (`races.all_at_once`): the test holds the file's write lock until they are
all inside the database, then lets go, and they race for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.server.app import ServerSettings, create_app

from .races import LOGIN, all_at_once, fifty_releases_against_one_balance, headers_for, two_releases_of_one_job
from .support import API, DAVE, store_of


@pytest.fixture
def file_settings(tmp_path, clock) -> ServerSettings:
    return ServerSettings(db=str(tmp_path / "station.db"), seed="demo", clock=clock)


@pytest.fixture
def app(file_settings) -> Iterator[Any]:
    """The app of this module: on a file, so that requests in threads each get a connection."""
    application = create_app(file_settings)
    yield application
    application.state.store.close()


@pytest.fixture
def other(file_settings) -> Iterator[Any]:
    """A second app on the same file: another server process, in all but name."""
    application = create_app(file_settings)
    yield application
    application.state.store.close()


async def test_two_releases_of_the_same_job_one_wins_charged_once(app, http):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://station.test") as other:
        await two_releases_of_one_job(http, other, all_at_once(2, store_of(app)))


async def test_two_servers_on_one_file_release_the_same_job_once(app, http, other):
    """Two apps on one file: each with its own connections, as two server processes."""
    transport = httpx.ASGITransport(app=other)
    async with httpx.AsyncClient(transport=transport, base_url="http://other.test") as other_http:
        await two_releases_of_one_job(http, other_http, all_at_once(2, store_of(app), store_of(other)))


async def test_fifty_releases_against_one_balance_never_overdraw(app, http):
    await fifty_releases_against_one_balance(http, all_at_once(20, store_of(app)))


async def test_the_gate_sees_requests_that_never_meet(app, http):
    """The control of `all_at_once`: a release alone waits in the database, but it is no race."""
    alice = await headers_for(http, type=2, pin="1234")
    with pytest.raises(AssertionError, match="not in the database together"):
        async with all_at_once(2, store_of(app), patience=0.3):
            released = await http.post(f"{API}/jobs/process", json={"jobIds": [101]}, headers=alice)
    assert released.status_code == 202  # it got in once the gate let go


# --- a property under real concurrency ----------------------------------------------------------

JOB = st.tuples(st.integers(min_value=1, max_value=30), st.integers(min_value=1, max_value=4))  # pages, copies


async def _concurrent_releases(app: Any, jobs: list[tuple[int, int]], batches: list[list[int]], cents: int) -> None:
    store = store_of(app)
    store.reset_to_seed()
    with store.tx() as db:
        db.execute("UPDATE accounts SET balance_cents = ? WHERE user_id = ? AND id = 'credit'", (cents, DAVE))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://station.test", timeout=30) as http:
        token = await http.post("/api/auth/token", json={**LOGIN, "login_info": {"type": 2, "pin": "9012"}})
        dave = {"Authorization": f"Bearer {token.json()['access_token']}"}
        ids = []
        for n, (pages, copies) in enumerate(jobs):
            created = await http.post(f"{API}/jobs/client", headers=dave, json={
                "queue": "direct", "owner": "dave", "computer": "PC", "name": f"Job {n}.pdf", "size": 1000,
                "uuid": f"race-{n}",
                "jobInfo": {"pageCount": pages, "colorCount": n % 2, "copies": copies},
            })
            assert created.status_code == 201, created.text
            ids.append(created.json()["id"])
        chosen = [sorted({ids[i % len(ids)] for i in batch}) for batch in batches]
        async with all_at_once(2, store):
            answers = await asyncio.gather(*[
                http.post(f"{API}/jobs/process", json={"jobIds": batch}, headers=dave) for batch in chosen
            ])
    with store.read() as db:
        rows = {row["id"]: row for row in db.all("SELECT * FROM jobs WHERE owner_id = ?", (DAVE,))}
        final = db.scalar("SELECT balance_cents FROM accounts WHERE user_id = ? AND id = 'credit'", (DAVE,))
        releases = db.all("SELECT job_ids, amount_cents FROM audit WHERE action = 'release'")
    won = [(batch, answer) for batch, answer in zip(chosen, answers, strict=True) if answer.status_code == 202]
    for batch, answer in zip(chosen, answers, strict=True):
        assert answer.status_code in (202, 402, 409), answer.text
        if answer.status_code == 202:  # to the cent: the sum of its jobs' costs, as stored
            assert Decimal(str(answer.json()["charged"])) * 100 == sum(rows[i]["cost_cents"] for i in batch)
    charged = [i for i, row in rows.items() if row["charged_cents"] is not None]
    assert sorted(charged) == sorted(i for batch, _ in won for i in batch)  # all or nothing, once each
    assert all(rows[i]["state"] == "processing" and rows[i]["charged_cents"] == rows[i]["cost_cents"] for i in charged)
    assert all(rows[i]["state"] == "ready" for i in rows.keys() - set(charged))
    assert final == cents - sum(rows[i]["charged_cents"] for i in charged) >= 0
    assert sorted((sorted(eval_ids(r["job_ids"])), r["amount_cents"]) for r in releases) == sorted(
        (batch, sum(rows[i]["cost_cents"] for i in batch)) for batch, _ in won
    )


def eval_ids(text: str) -> list[int]:
    return [int(part) for part in text.strip("[]").split(",") if part.strip()]


@pytest.fixture(scope="module")
def race_app(tmp_path_factory) -> Iterator[Any]:
    """One app on a file for every example (making one takes a while); each example resets it."""
    application = create_app(ServerSettings(db=str(tmp_path_factory.mktemp("race") / "station.db")))
    yield application
    application.state.store.close()


@settings(max_examples=12, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    jobs=st.lists(JOB, min_size=1, max_size=8),
    batches=st.lists(st.lists(st.integers(min_value=0, max_value=7), min_size=1, max_size=3), min_size=2, max_size=12),
    cents=st.integers(min_value=0, max_value=3_000),
)
def test_concurrent_releases_charge_each_job_once_to_the_cent(race_app, jobs, batches, cents):
    """Overlapping batches released at once against one balance: each job charged at most once,
    by a release that answered 202 with exactly its jobs' costs; the balance drops by exactly
    what was charged and never below zero; one audit entry per release that won."""
    asyncio.run(_concurrent_releases(race_app, jobs, batches, cents))
