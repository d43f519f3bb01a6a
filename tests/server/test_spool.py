"""Client spooling (contract 4.4)."""

from __future__ import annotations

from decimal import Decimal

from .support import ALICE, API, BOB, audit_rows, job_row, reason, snapshot, spool_body


async def test_spool_creates_a_priced_job_201(http, bearer, app, clock):
    response = await http.post(f"{API}/jobs/client", json=spool_body(), headers=await bearer(http))
    assert response.status_code == 201, response.text
    jid = response.json()["id"]
    assert response.json() == {"id": jid}
    row = job_row(app, jid)
    assert (row["owner_id"], row["state"], row["page_count"], row["color_count"], row["copies"]) == (
        ALICE, "ready", 3, 1, 1)
    # 2 mono x 0.04 + 1 colour x 0.20 + 3 sheets x 0.02
    assert row["cost_cents"] == 34
    job = (await http.get(f"{API}/jobs/{jid}", headers=await bearer(http))).json()
    assert job["cost"] == 0.34
    assert job["color"] is True
    [entry] = audit_rows(app, "spool")
    assert entry["job_ids"] == f"[{jid}]"


async def test_spool_same_uuid_twice_gives_the_first_id_200(http, bearer, app):
    headers = await bearer(http)
    first = await http.post(f"{API}/jobs/client", json=spool_body(), headers=headers)
    before = snapshot(app)
    again = await http.post(f"{API}/jobs/client", json=spool_body(name="Other.pdf"), headers=headers)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert snapshot(app) == before


async def test_spool_unknown_queue(http, bearer, app):
    before = snapshot(app)
    response = await http.post(f"{API}/jobs/client", json=spool_body(queue="basement"), headers=await bearer(http))
    assert response.status_code == 404
    assert reason(response) == "unknown_queue"
    assert snapshot(app) == before


async def test_spool_for_another_owner_not_allowed(http, bearer, app):
    before = snapshot(app)
    response = await http.post(f"{API}/jobs/client", json=spool_body(owner="bob"), headers=await bearer(http))
    assert response.status_code == 403
    assert reason(response) == "not_allowed"
    assert snapshot(app) == before


async def test_spool_by_helpdesk_for_a_user(http, bearer, app):
    headers = await bearer(http, user="carol", pwd="carol-pw", reason="print from the desk")
    response = await http.post(f"{API}/jobs/client", json=spool_body(owner="bob"), headers=headers)
    assert response.status_code == 201
    assert job_row(app, response.json()["id"])["owner_id"] == BOB
    unknown = await http.post(f"{API}/jobs/client", json=spool_body(owner="zoe", uuid="u-2"), headers=headers)
    assert unknown.status_code == 400
    assert reason(unknown) == "unknown_user"


async def test_spool_by_an_application(http, app_bearer, app):
    headers = {**await app_bearer(http), "X-Station-Reason": "scanned at the front desk"}
    response = await http.post(f"{API}/jobs/client", json=spool_body(owner="dave"), headers=headers)
    assert response.status_code == 201
    assert job_row(app, response.json()["id"])["owner_id"] == 10
    assert audit_rows(app, "spool")[-1]["reason"] == "scanned at the front desk"


async def test_spool_secure_queue_holds_long_jobs_with_the_duplex_question(http, bearer, app):
    headers = await bearer(http)
    long = spool_body(queue="secure", uuid="u-long", jobInfo={"pageCount": 11})
    short = spool_body(queue="secure", uuid="u-short", jobInfo={"pageCount": 10})
    direct = spool_body(queue="direct", uuid="u-direct", jobInfo={"pageCount": 40})
    states = []
    for body in (long, short, direct):
        jid = (await http.post(f"{API}/jobs/client", json=body, headers=headers)).json()["id"]
        job = (await http.get(f"{API}/jobs/{jid}", headers=headers)).json()
        states.append((job["state"], job["interaction"]))
    assert states == [("paused", True), ("ready", False), ("ready", False)]


async def test_spool_colour_without_colour_count_is_all_colour(http, bearer, app):
    body = spool_body(jobInfo={"pageCount": 4, "color": True, "copies": 2, "duplex": True})
    jid = (await http.post(f"{API}/jobs/client", json=body, headers=await bearer(http))).json()["id"]
    row = job_row(app, jid)
    assert row["color_count"] == 4
    # 2 x 4 x 0.20 + 2 x 2 sheets x 0.02
    assert Decimal(row["cost_cents"]) / 100 == Decimal("1.68")


async def test_spool_more_colour_pages_than_pages_is_a_validation_error(http, bearer, app):
    body = spool_body(jobInfo={"pageCount": 2, "colorCount": 3})
    response = await http.post(f"{API}/jobs/client", json=body, headers=await bearer(http))
    assert response.status_code == 422
    assert reason(response) == "validation"
    assert "colorCount" in response.json()["message"]


async def test_spool_bad_job_info_is_a_validation_error(http, bearer, app):
    before = snapshot(app)
    body = spool_body(jobInfo={"pageCount": -1})
    response = await http.post(f"{API}/jobs/client", json=body, headers=await bearer(http))
    assert response.status_code == 422
    assert reason(response) == "validation"
    assert "pageCount" in response.json()["message"]
    assert snapshot(app) == before
