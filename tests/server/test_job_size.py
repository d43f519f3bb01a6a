"""A job cannot be big enough to stop the printers (issue 11 item 5).

A job of 100,000 pages x 10,000 copies was accepted, charged 220,000,000.00 to an unlimited cost
centre and put the end of Dave's 1-page job in the year 2121; more of them overflowed the print
clock into a 500. Now the printed pages of one job (pages x copies) are bounded by
`max_job_pages` (422 beyond, at spooling and in a printer release's `copies`), and a released
job is done at most `max_print_wait` after its release, whatever is queued before it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest

from station.server.app import ServerSettings, create_app
from station.server.seed import REPORT

from .support import API, DAVE, audit_rows, balance, job_id, reason, snapshot, spool_body, store_of

LIMIT = ServerSettings().max_job_pages


def huge(pages: int, copies: int, n: int = 0, owner: str = "alice") -> dict:
    return spool_body(
        owner=owner, name=f"Huge {n}.pdf", uuid=f"huge-{n}",
        jobInfo={"pageCount": pages, "colorCount": pages, "copies": copies},
    )


async def test_the_issues_job_is_refused_and_nothing_is_kept(http, bearer, app):
    headers = await bearer(http)
    before = snapshot(app)
    response = await http.post(f"{API}/jobs/client", json=huge(100_000, 10_000), headers=headers)
    assert response.status_code == 422, response.text
    assert reason(response) == "validation"
    assert response.json()["data"][0]["field"] == "jobInfo"
    assert f"{LIMIT:,}" in response.json()["message"] and "1,000,000,000" in response.json()["message"]
    assert snapshot(app) == before


async def test_a_job_at_the_limit_is_taken(http, bearer, app):
    """The control: pages x copies exactly at the limit is a job like any other."""
    assert LIMIT % 10 == 0
    response = await http.post(f"{API}/jobs/client", json=huge(LIMIT // 10, 10), headers=await bearer(http))
    assert response.status_code == 201, response.text
    over = await http.post(f"{API}/jobs/client", json=huge(LIMIT // 10 + 1, 10, n=1), headers=await bearer(http))
    assert over.status_code == 422, over.text


@asynccontextmanager
async def serving(settings: ServerSettings) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    """An app of these settings and a client of it (the `app`/`http` fixtures, other settings)."""
    app = create_app(settings)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://station.test") as http:
            yield app, http
    finally:
        app.state.store.close()


async def test_the_limit_is_a_setting(clock, bearer):
    async with serving(ServerSettings(clock=clock, max_job_pages=50)) as (_, http):
        headers = await bearer(http)
        assert (await http.post(f"{API}/jobs/client", json=huge(10, 5), headers=headers)).status_code == 201
        refused = await http.post(f"{API}/jobs/client", json=huge(10, 6, n=1), headers=headers)
        assert refused.status_code == 422
        assert "50 pages" in refused.json()["message"]


@pytest.mark.parametrize("api", ["profile", "vendor"])
async def test_a_printer_release_with_too_many_copies_is_refused(clock, bearer, api):
    async with serving(ServerSettings(clock=clock, api=api)) as (app, http):
        headers = await bearer(http)
        jid = job_id(app, REPORT)  # 18 pages
        before = snapshot(app)
        body = {"jobIds": [jid], "account": "cc:marketing", "releaseOptions": {"copies": LIMIT // 18 + 1}}
        refused = await http.post(f"{API}/printers/1/jobs/release", json=body, headers=headers)
        assert refused.status_code == (422 if api == "profile" else 400), refused.text
        if api == "profile":
            assert refused.json()["data"][0]["field"] == "releaseOptions.copies"
        assert snapshot(app) == before
        body["releaseOptions"]["copies"] = LIMIT // 18  # the control: within the limit it prints
        done = await http.post(f"{API}/printers/1/jobs/release", json=body, headers=headers)
        assert done.status_code == 202, done.text


async def test_a_one_page_job_behind_a_pile_of_big_ones_prints_within_the_wait(http, bearer, app, clock):
    """Alice releases ten jobs at the limit to her unlimited cost centre (55 hours of printing at
    30 pages a minute); Dave's 1-page job released after them is printed within `max_print_wait`."""
    alice = await bearer(http)
    ids = []
    for n in range(10):
        created = await http.post(f"{API}/jobs/client", json=huge(LIMIT // 10, 10, n=n, owner="alice"),
                                  headers=alice)
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    pile = await http.post(f"{API}/jobs/process", json={"jobIds": ids, "account": "cc:marketing"}, headers=alice)
    assert pile.status_code == 202, pile.text
    dave = await bearer(http, pin="9012")
    mine = await http.post(f"{API}/jobs/client", json=spool_body(owner="dave", uuid="dave-1"), headers=dave)
    released = await http.post(f"{API}/jobs/process", json={"jobIds": [mine.json()["id"]]}, headers=dave)
    assert released.status_code == 202, released.text
    wait = ServerSettings().max_print_wait
    clock.advance(wait - timedelta(minutes=1))
    dave = await bearer(http, pin="9012")
    state = await http.get(f"{API}/jobs/{mine.json()['id']}/state", headers=dave)
    assert state.json() == {"state": "processing"}  # still waiting behind the pile
    clock.advance(minutes=2)
    dave = await bearer(http, pin="9012")
    assert (await http.get(f"{API}/jobs/{mine.json()['id']}/state", headers=dave)).json() == {"state": "printed"}


async def test_no_queue_overflows_the_print_clock(http, bearer, app, clock):
    """Whatever an older server left queued (here a job done in the year 292,277, the largest time
    SQLite holds), a release is answered and prints within the wait."""
    with store_of(app).tx() as db:
        db.execute(
            "UPDATE jobs SET state = 'processing', print_done_us = ? WHERE name = 'Weekly status template.docx'",
            (2**63 - 1,),
        )
    dave = await bearer(http, pin="9012")
    mine = await http.post(f"{API}/jobs/client", json=spool_body(owner="dave", uuid="dave-1"), headers=dave)
    released = await http.post(f"{API}/jobs/process", json={"jobIds": [mine.json()["id"]]}, headers=dave)
    assert released.status_code == 202, released.text
    assert balance(app, DAVE) < 5
    clock.advance(ServerSettings().max_print_wait + timedelta(minutes=1))
    dave = await bearer(http, pin="9012")
    assert (await http.get(f"{API}/jobs/{mine.json()['id']}/state", headers=dave)).json() == {"state": "printed"}
    assert [e["owner_id"] for e in audit_rows(app, "release")] == [DAVE]
