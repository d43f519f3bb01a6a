"""Reading jobs (contract 4.1, 4.2)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from station.api.models import Job, JobList
from station.server.seed import REPORT

from .support import ALICE, API, BOB, job_id, reason


async def jobs_of(http, headers, **params) -> JobList:
    response = await http.get(f"{API}/jobs", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return JobList.model_validate(response.json())


async def test_pending_list_by_default_newest_first(http, bearer, clock):
    listed = await jobs_of(http, await bearer(http))
    assert listed.count == len(listed.jobs) >= 6
    assert {job.state for job in listed.jobs} <= {"ready", "paused"}
    assert all(job.owner == "alice" and job.owner_id == ALICE for job in listed.jobs)
    times = [job.date_time for job in listed.jobs]
    assert times == sorted(times, reverse=True)
    # Dates are relative to now, so nothing looks stale, and nothing has expired yet.
    assert all(clock() - timedelta(days=1) < t <= clock() for t in times)
    assert all(job.expires_at and job.expires_at > clock() for job in listed.jobs)


async def test_job_fields_are_the_contracts(http, bearer):
    listed = await http.get(f"{API}/jobs", headers=await bearer(http))
    job = listed.json()["jobs"][0]
    vendor = {"id", "name", "date", "dateTime", "favorite", "cost", "duplex", "color", "pageCount",
              "colorCount", "copies", "paper"}
    profile = {"state", "ownerId", "owner", "projectId", "account", "queue", "size", "expiresAt",
               "interaction"}
    assert set(job) == vendor | profile
    assert job["paper"] == {"state": 5}
    assert datetime.fromisoformat(job["dateTime"]).utcoffset() == timedelta(0)
    assert job["dateTime"].endswith("+00:00")


async def test_seed_costs_follow_the_price_list(http, bearer):
    listed = await jobs_of(http, await bearer(http))
    by_name = {job.name: job for job in listed.jobs}
    assert by_name["Board minutes.pdf"].cost == Decimal("0.24")
    assert by_name["Campaign slides.pptx"].cost == Decimal("2.64")
    assert by_name["Flyer.pdf"].cost == Decimal("4.20")


async def test_state_filter_comma_list(http, bearer):
    headers = await bearer(http)
    printed = await jobs_of(http, headers, state="printed")
    assert printed.count == 2
    assert {job.state for job in printed.jobs} == {"printed"}
    both = await jobs_of(http, headers, state="printed,paused")
    assert both.count == 3


async def test_unknown_state_word_is_a_validation_error(http, bearer):
    response = await http.get(f"{API}/jobs", params={"state": "ready,lost"}, headers=await bearer(http))
    assert response.status_code == 422
    assert reason(response) == "validation"
    assert "lost" in response.json()["message"]


async def test_favorite_filter_finds_the_printed_favourite(http, bearer):
    favs = await jobs_of(http, await bearer(http), favorite="true")
    assert [(job.name, job.state) for job in favs.jobs] == [("Weekly status template.docx", "printed")]


async def test_search_is_a_substring_of_the_name(http, bearer):
    found = await jobs_of(http, await bearer(http), search="REPORT")
    assert [job.name for job in found.jobs] == [REPORT]


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("name", lambda j: j.name.lower(), False),
        ("cost", lambda j: j.cost, False),
        ("-cost", lambda j: j.cost, True),
        ("dateTime", lambda j: j.date_time, False),
        ("-dateTime", lambda j: j.date_time, True),
    ],
)
async def test_sort(http, bearer, sort, key, reverse):
    listed = await jobs_of(http, await bearer(http), sort=sort)
    assert [key(j) for j in listed.jobs] == sorted((key(j) for j in listed.jobs), reverse=reverse)


async def test_limit_and_start_count_is_total_matching(http, bearer):
    headers = await bearer(http)
    everything = await jobs_of(http, headers, sort="name")
    page = await jobs_of(http, headers, sort="name", limit=2, start=3)
    assert page.count == everything.count
    assert [j.id for j in page.jobs] == [j.id for j in everything.jobs[3:5]]
    empty = await jobs_of(http, headers, limit=0)
    assert (empty.jobs, empty.count) == ([], everything.count)


async def test_owner_id_for_helpdesk(http, bearer):
    headers = await bearer(http, user="carol", pwd="carol-pw")
    assert (await jobs_of(http, headers)).count == 0  # carol has no jobs of her own
    bobs = await jobs_of(http, headers, ownerId=BOB)
    assert bobs.count >= 3
    assert {job.owner for job in bobs.jobs} == {"bob"}


async def test_owner_id_of_another_user_not_allowed(http, bearer):
    response = await http.get(f"{API}/jobs", params={"ownerId": BOB}, headers=await bearer(http))
    assert response.status_code == 403
    assert reason(response) == "not_allowed"


async def test_dave_has_no_jobs(http, bearer):
    listed = await jobs_of(http, await bearer(http, pin="9012"))
    assert (listed.jobs, listed.count) == ([], 0)


async def test_get_one_job_and_its_state(http, bearer, app):
    headers = await bearer(http)
    jid = job_id(app, "Campaign slides.pptx")
    response = await http.get(f"{API}/jobs/{jid}", headers=headers)
    assert response.status_code == 200
    job = Job.model_validate(response.json())
    assert (job.id, job.state, job.interaction, job.queue, job.page_count) == (
        jid, "paused", True, "secure", 12)
    state = await http.get(f"{API}/jobs/{jid}/state", headers=headers)
    assert state.json() == {"state": "paused"}


async def test_get_job_not_found(http, bearer):
    for path in ("/jobs/999999", "/jobs/999999/state"):
        response = await http.get(f"{API}{path}", headers=await bearer(http))
        assert response.status_code == 404
        assert reason(response) == "not_found"


async def test_helpdesk_reads_any_job(http, bearer, app):
    jid = job_id(app, "Parking permit.pdf")
    response = await http.get(f"{API}/jobs/{jid}", headers=await bearer(http, user="carol", pwd="carol-pw"))
    assert response.status_code == 200
    assert response.json()["owner"] == "bob"
