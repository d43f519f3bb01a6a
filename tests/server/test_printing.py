"""Printing that takes time, failures refunded, and expiry (contract 4.5, 4.1)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import httpx
from station.server.app import ServerSettings, create_app

from .support import ALICE, API, audit_rows, balance, job_id, job_row, reason, spool_body


async def release(http, headers, *ids):
    response = await http.post(f"{API}/jobs/process", json={"jobIds": list(ids)}, headers=headers)
    assert response.status_code == 202, response.text
    return response.json()


async def state_of(http, headers, jid) -> str:
    return (await http.get(f"{API}/jobs/{jid}/state", headers=headers)).json()["state"]


async def test_processing_becomes_printed_after_its_printing_time(http, bearer, app, clock):
    headers = await bearer(http)
    jid = job_id(app, "Board minutes.pdf")  # 4 pages at 30 pages a minute: 8 seconds
    await release(http, headers, jid)
    assert await state_of(http, headers, jid) == "processing"
    clock.advance(seconds=7)
    assert await state_of(http, headers, jid) == "processing"
    clock.advance(seconds=1)
    assert await state_of(http, headers, jid) == "printed"
    assert balance(app, ALICE) == Decimal("12.26")  # charged once, kept


async def test_a_queue_prints_one_job_after_the_other(http, bearer, app, clock):
    headers = await bearer(http)
    first, second = job_id(app, "Board minutes.pdf"), job_id(app, "Train tickets Berlin.pdf")
    await release(http, headers, first, second)  # 8 s, then 4 s more
    assert job_row(app, second)["print_done_us"] - job_row(app, first)["print_done_us"] == 4_000_000
    clock.advance(seconds=8)
    assert (await state_of(http, headers, first), await state_of(http, headers, second)) == (
        "printed", "processing")
    clock.advance(seconds=4)
    assert await state_of(http, headers, second) == "printed"


async def test_printing_failure_is_failed_and_refunded(clock):
    app = create_app(ServerSettings(clock=clock, fail_prints_named="tickets"))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://station.test") as http:
            tok = (await http.post("/api/auth/token", json={
                "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
                "scope": "jobs", "login_info": {"type": 2, "pin": "1234"}})).json()["access_token"]
            headers = {"Authorization": f"Bearer {tok}"}
            bad, good = job_id(app, "Train tickets Berlin.pdf"), job_id(app, "Board minutes.pdf")
            result = await release(http, headers, bad, good)
            assert result["balance"] == 12.14
            clock.advance(minutes=5)
            assert await state_of(http, headers, bad) == "failed"
            assert await state_of(http, headers, good) == "printed"
            assert balance(app, ALICE) == Decimal("12.26")  # 0.12 back
            [refund] = audit_rows(app, "refund")
            assert (refund["job_ids"], refund["amount_cents"], refund["account"], refund["owner_id"]) == (
                f"[{bad}]", 12, "credit", ALICE)
            entries = (await http.get(f"{API}/audit", headers=headers)).json()["entries"]
            assert entries[0]["action"] == "refund"
            assert entries[0]["amount"] == 0.12
            # A later request does not refund it again.
            clock.advance(minutes=5)
            await state_of(http, headers, bad)
            assert balance(app, ALICE) == Decimal("12.26")
            assert len(audit_rows(app, "refund")) == 1
    finally:
        app.state.store.close()


async def test_pending_jobs_expire_uncharged(http, bearer, app, clock):
    headers = await bearer(http)
    jid = (await http.post(f"{API}/jobs/client", json=spool_body(), headers=headers)).json()["id"]
    expires = (await http.get(f"{API}/jobs/{jid}", headers=headers)).json()["expiresAt"]
    assert expires == (clock() + timedelta(hours=24)).isoformat()
    clock.advance(hours=24)
    headers = await bearer(http)
    assert await state_of(http, headers, jid) == "expired"
    # Every seeded pending job is gone too; nothing was charged.
    assert (await http.get(f"{API}/jobs", headers=headers)).json()["count"] == 0
    assert balance(app, ALICE) == Decimal("12.50")
    refused = await http.post(f"{API}/jobs/process", json={"jobIds": [jid]}, headers=headers)
    assert refused.status_code == 409
    assert reason(refused) == "job_state"


async def test_expired_job_is_fine_to_cancel_and_not_to_change(http, bearer, app, clock):
    jid = job_id(app, "Board minutes.pdf")
    clock.advance(days=2)
    headers = await bearer(http)
    assert (await http.delete(f"{API}/jobs/{jid}", headers=headers)).status_code == 204
    assert job_row(app, jid)["state"] == "expired"
    patch = await http.patch(f"{API}/jobs/{jid}", json={"favorite": True}, headers=headers)
    assert patch.status_code == 409
    assert reason(patch) == "job_state"


async def test_print_speed_is_a_setting(clock, token_body):
    app = create_app(ServerSettings(clock=clock, print_speed=2.0))  # 4 pages: 2 minutes
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://station.test") as http:
            tok = (await http.post("/api/auth/token", json=token_body(pin="1234"))).json()["access_token"]
            headers = {"Authorization": f"Bearer {tok}"}
            jid = job_id(app, "Board minutes.pdf")
            await release(http, headers, jid)
            clock.advance(minutes=1, seconds=59)
            assert await state_of(http, headers, jid) == "processing"
            clock.advance(seconds=1)
            assert await state_of(http, headers, jid) == "printed"
    finally:
        app.state.store.close()
