"""Every owner's jobs at once (profile extension `GET /v3/jobs?all=true`), paged on the server.

The helpdesk's "all jobs" view reads one page at a time; with 10,000 jobs a page must cost what
a page costs with 100, so the default order walks an index and the query plan says so.
"""

from __future__ import annotations

import time

from station.api.models import JobList
from station.server.auth import Principal
from station.server.jobs import JOB_SELECT, JobQuery, list_jobs
from station.server.store import to_us

from .support import ALICE, API, BOB, CAROL, DAVE, reason, store_of

HELPDESK = {"user": "carol", "pwd": "carol-pw"}
HELPDESK_PRINCIPAL = Principal(
    user_id=CAROL, username="carol", role="helpdesk", scopes=frozenset({"jobs", "users"}),
    client_id="station-demo", session_id="test",
)


def seed_many(app, count: int, *, owners=(ALICE, BOB, DAVE)) -> None:
    """`count` ready jobs, spread over owners, one second apart: in one transaction."""
    store = store_of(app)
    base = to_us(store.settings.now()) - count * 1_000_000
    rows = [
        (owners[i % len(owners)], f"Bulk {i:05d}.pdf", base + i * 1_000_000, 1 + i % 7, 4 * (1 + i % 7))
        for i in range(count)
    ]
    with store.tx() as db:
        db.executemany(
            "INSERT INTO jobs (owner_id, name, submitted_us, page_count, state, queue, cost_cents,"
            " expires_us) VALUES (?, ?, ?, ?, 'ready', 'direct', ?, NULL)",
            rows,
        )


async def page(http, headers, **params) -> JobList:
    response = await http.get(f"{API}/jobs", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return JobList.model_validate(response.json())


async def test_helpdesk_lists_every_owners_jobs(http, bearer):
    headers = await bearer(http, **HELPDESK)
    everyone = await page(http, headers, all="true")
    owners = {job.owner for job in everyone.jobs}
    assert owners == {"alice", "bob"}
    assert everyone.count == len(everyone.jobs)
    times = [job.date_time for job in everyone.jobs]
    assert times == sorted(times, reverse=True)
    # Without all=true the helpdesk lists its own jobs: carol has none.
    assert (await page(http, headers)).count == 0


async def test_all_pages_and_searches_over_ten_thousand_jobs(http, bearer, app):
    seed_many(app, 10_000)
    headers = await bearer(http, **HELPDESK)
    started = time.perf_counter()
    first = await page(http, headers, all="true", limit=100)
    second = await page(http, headers, all="true", limit=100, start=100)
    elapsed = time.perf_counter() - started
    assert first.count == second.count == 10_000 + 11  # and the demo's pending jobs
    assert len(first.jobs) == len(second.jobs) == 100
    assert not {job.id for job in first.jobs} & {job.id for job in second.jobs}
    assert first.jobs[0].name == "Bulk 09999.pdf"  # the newest first
    assert second.jobs[0].name == "Bulk 09899.pdf"
    assert elapsed < 1.0, elapsed
    found = await page(http, headers, all="true", search="bulk 0042", sort="name")
    assert [job.name for job in found.jobs] == [f"Bulk 0042{i}.pdf" for i in range(10)]
    assert found.count == 10
    last = await page(http, headers, all="true", limit=100, start=10_000)
    assert len(last.jobs) == 11 and last.count == 10_011


def test_the_default_page_walks_an_index(app):
    seed_many(app, 1_000)
    store = store_of(app)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        listed = list_jobs(store, HELPDESK_PRINCIPAL, JobQuery(all_owners=True))
    finally:
        store.conn.set_trace_callback(None)
    assert len(listed.jobs) == 100
    (query,) = [sql for sql in statements if sql.startswith(JOB_SELECT)]
    with store.read() as db:
        plan = " ".join(row["detail"] for row in db.all(f"EXPLAIN QUERY PLAN {query}"))
    assert "jobs_submitted" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


async def test_a_person_may_not_list_everyones_jobs(http, bearer):
    response = await http.get(f"{API}/jobs", params={"all": "true"}, headers=await bearer(http))
    assert response.status_code == 403
    assert reason(response) == "not_allowed"


async def test_all_and_owner_id_together_are_refused(http, bearer):
    headers = await bearer(http, **HELPDESK)
    response = await http.get(f"{API}/jobs", params={"all": "true", "ownerId": ALICE}, headers=headers)
    assert response.status_code == 422
    assert reason(response) == "validation"


async def test_a_helpdesk_login_without_scope_users_may_not_list_everyone(http, bearer):
    headers = await bearer(http, scope="jobs", **HELPDESK)
    response = await http.get(f"{API}/jobs", params={"all": "true"}, headers=headers)
    assert response.status_code == 403
