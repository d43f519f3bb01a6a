"""Releasing (contract 4.5): all or nothing, charged once, every rule by its reason word."""

from __future__ import annotations

from decimal import Decimal

from station.api.models import ProcessResult
from station.server.seed import HANDOUT

from .support import (
    ALICE, API, BOB, answer_sides, audit_rows, balance, job_id, job_row, pending_ids, reason, snapshot,
)

HELPDESK = {"user": "carol", "pwd": "carol-pw"}


async def test_release_charges_once_and_moves_to_processing(http, bearer, app):
    a, b = job_id(app, "Board minutes.pdf"), job_id(app, "Train tickets Berlin.pdf")
    response = await http.post(f"{API}/jobs/process", json={"jobIds": [a, b]}, headers=await bearer(http))
    assert response.status_code == 202, response.text
    result = ProcessResult.model_validate(response.json())
    assert result.count == 2
    assert [j.state for j in result.jobs] == ["processing", "processing"]
    assert result.charged == Decimal("0.36")
    assert result.balance == Decimal("12.14")
    assert response.json()["charged"] == 0.36
    assert balance(app, ALICE) == Decimal("12.14")
    assert job_row(app, a)["state"] == job_row(app, b)["state"] == "processing"
    assert job_row(app, a)["charged_cents"] == 24
    [entry] = audit_rows(app, "release")
    assert (entry["amount_cents"], entry["account"], entry["job_ids"]) == (36, "credit", f"[{a}, {b}]")


async def test_release_twice_the_second_is_job_state(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    headers = await bearer(http)
    assert (await http.post(f"{API}/jobs/process", json={"jobIds": [jid]}, headers=headers)).status_code == 202
    again = await http.post(f"{API}/jobs/process", json={"jobIds": [jid]}, headers=headers)
    assert again.status_code == 409
    assert reason(again) == "job_state"
    assert again.json()["data"] == [{"reason": "job_state", "id": jid, "state": "processing"}]
    assert balance(app, ALICE) == Decimal("12.26")


async def test_release_insufficient_credit(http, bearer, app):
    ids = pending_ids(app, BOB)
    before = snapshot(app)
    response = await http.post(
        f"{API}/jobs/process", json={"jobIds": ids, "projectId": 2}, headers=await bearer(http, pin="5678")
    )
    assert response.status_code == 402
    assert reason(response) == "insufficient_credit"
    data = response.json()["data"][0]
    assert data["balance"] == 0.8
    assert data["required"] == 1.96
    assert data["required"] > data["balance"]
    assert snapshot(app) == before


async def test_release_exactly_the_balance_is_fine(http, bearer, app, settings):
    # Bob: 0.18 + 0.22 + 0.12 = 0.52 of his 0.80
    ids = [job_id(app, n) for n in ("Shipping labels.pdf", "Parking permit.pdf", "Invoice INV-0412.pdf")]
    response = await http.post(
        f"{API}/jobs/process", json={"jobIds": ids, "projectId": 4}, headers=await bearer(http, pin="5678")
    )
    assert response.status_code == 202, response.text
    assert response.json()["balance"] == 0.28
    assert balance(app, BOB) == Decimal("0.28")


async def test_release_project_required(http, bearer, app):
    jid = job_id(app, "Shipping labels.pdf")
    before = snapshot(app)
    response = await http.post(f"{API}/jobs/process", json={"jobIds": [jid]}, headers=await bearer(http, pin="5678"))
    assert response.status_code == 409
    assert reason(response) == "project_required"
    assert response.json()["data"] == [{"reason": "project_required", "id": jid}]
    assert snapshot(app) == before


async def test_release_project_id_set_on_jobs_lacking_one(http, bearer, app):
    with_project = job_id(app, HANDOUT)  # project 5 already
    without = job_id(app, "Shipping labels.pdf")
    assert job_row(app, with_project)["project_id"] == 5
    # Bob tops up to afford it (directly in the data: there is no top-up call).
    with app.state.store.tx() as db:
        db.execute("UPDATE accounts SET balance_cents = 500 WHERE user_id = ?", (BOB,))
    response = await http.post(
        f"{API}/jobs/process", json={"jobIds": [with_project, without], "projectId": 2},
        headers=await bearer(http, pin="5678"),
    )
    assert response.status_code == 202, response.text
    assert job_row(app, with_project)["project_id"] == 5
    assert job_row(app, without)["project_id"] == 2


async def test_release_unknown_project(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    response = await http.post(
        f"{API}/jobs/process", json={"jobIds": [jid], "projectId": 2}, headers=await bearer(http)
    )
    assert response.status_code == 400
    assert reason(response) == "unknown_project"


async def test_release_interaction_pending(http, bearer, app):
    paused, ready = job_id(app, "Campaign slides.pptx"), job_id(app, "Board minutes.pdf")
    before = snapshot(app)
    response = await http.post(f"{API}/jobs/process", json={"jobIds": [ready, paused]}, headers=await bearer(http))
    assert response.status_code == 409
    assert reason(response) == "interaction_pending"
    assert response.json()["data"] == [{"reason": "interaction_pending", "id": paused, "state": "paused"}]
    assert snapshot(app) == before


async def test_release_job_state_for_canceled_and_printed(http, bearer, app):
    headers = await bearer(http)
    canceled = job_id(app, "Expense claim.xlsx")
    await http.delete(f"{API}/jobs/{canceled}", headers=headers)
    printed = job_id(app, "Boarding pass.pdf")  # printed, not a favourite
    response = await http.post(f"{API}/jobs/process", json={"jobIds": [canceled, printed]}, headers=headers)
    assert response.status_code == 409
    assert reason(response) == "job_state"
    assert [d["id"] for d in response.json()["data"]] == [canceled, printed]


async def test_release_favourite_printed_job_prints_again(http, bearer, app):
    jid = job_id(app, "Weekly status template.docx")
    response = await http.post(f"{API}/jobs/process", json={"jobIds": [jid]}, headers=await bearer(http))
    assert response.status_code == 202, response.text
    assert job_row(app, jid)["state"] == "processing"
    assert balance(app, ALICE) == Decimal("12.40")


async def test_release_to_the_unlimited_cost_centre(http, bearer, app):
    jid = job_id(app, "Flyer.pdf")
    response = await http.post(
        f"{API}/jobs/process", json={"jobIds": [jid], "account": "cc:marketing"}, headers=await bearer(http)
    )
    assert response.status_code == 202
    assert response.json()["balance"] is None
    assert response.json()["charged"] == 4.2
    assert balance(app, ALICE) == Decimal("12.50")
    assert job_row(app, jid)["charged_account"] == "cc:marketing"


async def test_release_uses_the_jobs_own_account_when_none_is_named(http, bearer, app):
    a, b = job_id(app, "Flyer.pdf"), job_id(app, "Board minutes.pdf")
    headers = await bearer(http)
    await http.patch(f"{API}/jobs", json={"jobs": [{"id": a, "account": "cc:marketing"}]}, headers=headers)
    response = await http.post(f"{API}/jobs/process", json={"jobIds": [a, b]}, headers=headers)
    assert response.status_code == 202
    body = response.json()
    assert body["charged"] == 4.44
    assert sorted((c["account"], c["amount"]) for c in body["charges"]) == [
        ("cc:marketing", 4.2), ("credit", 0.24)]
    assert balance(app, ALICE) == Decimal("12.26")


async def test_release_unknown_account(http, bearer, app):
    before = snapshot(app)
    jid = job_id(app, "Board minutes.pdf")
    response = await http.post(
        f"{API}/jobs/process", json={"jobIds": [jid], "account": "cc:sales"}, headers=await bearer(http)
    )
    assert response.status_code == 400
    assert reason(response) == "unknown_account"
    assert snapshot(app) == before


async def test_release_another_users_job_is_not_found(http, bearer, app):
    bobs = job_id(app, "Parking permit.pdf")
    before = snapshot(app)
    response = await http.post(f"{API}/jobs/process", json={"jobIds": [bobs]}, headers=await bearer(http))
    assert response.status_code == 404
    assert reason(response) == "not_found"
    assert snapshot(app) == before


async def test_release_owner_other_than_the_caller_not_allowed(http, bearer, app):
    bobs = job_id(app, "Parking permit.pdf")
    response = await http.post(
        f"{API}/jobs/process", json={"jobIds": [bobs], "owner": "bob"}, headers=await bearer(http)
    )
    assert response.status_code == 403
    assert reason(response) == "not_allowed"


async def test_release_by_helpdesk_for_a_user(http, bearer, app):
    jid = job_id(app, "Parking permit.pdf")
    headers = await bearer(http, reason="Bob is at the desk without his card", **HELPDESK)
    response = await http.post(
        f"{API}/jobs/process", json={"jobIds": [jid], "owner": "bob", "projectId": 1}, headers=headers
    )
    assert response.status_code == 202, response.text
    assert balance(app, BOB) == Decimal("0.58")
    [entry] = audit_rows(app, "release")
    assert (entry["actor"], entry["owner"], entry["reason"], entry["project_id"]) == (
        "carol", "bob", "Bob is at the desk without his card", 1)


async def test_release_by_helpdesk_unknown_user(http, bearer):
    headers = await bearer(http, reason="x", **HELPDESK)
    response = await http.post(f"{API}/jobs/process", json={"jobIds": [1], "owner": "zoe"}, headers=headers)
    assert response.status_code == 400
    assert reason(response) == "unknown_user"


async def test_release_helpdesk_without_an_account_of_its_own(http, bearer):
    # carol names no owner: she releases her own jobs, and she has none.
    response = await http.post(f"{API}/jobs/process", json={"jobIds": [101]}, headers=await bearer(http, **HELPDESK))
    assert response.status_code == 404
    assert reason(response) == "not_found"


async def test_release_all_of_alices_pending_jobs_fits_her_credit(http, bearer, app):
    headers = await bearer(http)
    jid = job_id(app, "Campaign slides.pptx")
    assert (await answer_sides(http, headers, jid, "simplex")).status_code == 200
    ids = pending_ids(app, ALICE)
    response = await http.post(f"{API}/jobs/process", json={"jobIds": ids}, headers=headers)
    assert response.status_code == 202, response.text
    total = sum(Decimal(job_row(app, i)["cost_cents"]) for i in ids) / 100
    assert Decimal(str(response.json()["charged"])) == total
    assert balance(app, ALICE) == Decimal("12.50") - total
