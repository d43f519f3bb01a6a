"""Changing jobs (contract 4.3): PATCH one and many, cancel, and the helpdesk's reason."""

from __future__ import annotations

from .support import ALICE, API, BOB, CAROL, DAVE, audit_rows, job_id, job_row, reason, snapshot

HELPDESK = {"user": "carol", "pwd": "carol-pw"}


async def test_patch_one_favorite_and_project(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    response = await http.patch(
        f"{API}/jobs/{jid}", json={"favorite": True, "projectId": 3}, headers=await bearer(http)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["favorite"], body["projectId"]) == (jid, True, 3)
    row = job_row(app, jid)
    assert (row["favorite"], row["project_id"], row["version"]) == (1, 3, 2)
    [entry] = audit_rows(app, "update")
    assert (entry["actor"], entry["owner_id"], entry["project_id"]) == ("alice", ALICE, 3)


async def test_patch_project_zero_removes_the_project(http, bearer, app):
    jid = job_id(app, "Flyer.pdf")
    assert job_row(app, jid)["project_id"] == 1
    response = await http.patch(f"{API}/jobs/{jid}", json={"projectId": 0}, headers=await bearer(http))
    assert response.status_code == 200
    assert response.json()["projectId"] == 0
    assert job_row(app, jid)["project_id"] == 0


async def test_patch_unknown_project(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    before = snapshot(app)
    # Project 2 exists but alice may not charge it; 77 does not exist.
    for project in (2, 77):
        response = await http.patch(f"{API}/jobs/{jid}", json={"projectId": project}, headers=await bearer(http))
        assert response.status_code == 400
        assert reason(response) == "unknown_project"
    assert snapshot(app) == before


async def test_patch_owner_id_not_allowed_for_a_user(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    before = snapshot(app)
    response = await http.patch(f"{API}/jobs/{jid}", json={"ownerId": BOB}, headers=await bearer(http))
    assert response.status_code == 403
    assert reason(response) == "not_allowed"
    assert snapshot(app) == before
    # Naming the owner it already has changes nothing and is fine.
    same = await http.patch(f"{API}/jobs/{jid}", json={"ownerId": ALICE}, headers=await bearer(http))
    assert same.status_code == 200


async def test_patch_owner_by_helpdesk_with_reason(http, bearer, app):
    jid = job_id(app, "Flyer.pdf")  # alice's, with project 1 (bob may charge it too)
    headers = await bearer(http, reason="Alice asked to give it to Bob", **HELPDESK)
    response = await http.patch(f"{API}/jobs/{jid}", json={"ownerId": BOB}, headers=headers)
    assert response.status_code == 200, response.text
    assert (response.json()["ownerId"], response.json()["owner"]) == (BOB, "bob")
    assert job_row(app, jid)["owner_id"] == BOB
    [entry] = audit_rows(app, "update")
    assert entry["actor_id"] == CAROL
    assert entry["owner_id"] == BOB
    assert entry["previous_owner_id"] == ALICE
    assert entry["reason"] == "Alice asked to give it to Bob"
    # Both the old and the new owner see the entry.
    for pin in ("1234", "5678"):
        entries = (await http.get(f"{API}/audit", headers=await bearer(http, pin=pin))).json()["entries"]
        assert [e["action"] for e in entries] == ["update"]


async def test_patch_owner_unknown_user(http, bearer, app):
    jid = job_id(app, "Flyer.pdf")
    headers = await bearer(http, reason="ticket 7", **HELPDESK)
    response = await http.patch(f"{API}/jobs/{jid}", json={"ownerId": 4242}, headers=headers)
    assert response.status_code == 400
    assert reason(response) == "unknown_user"


async def test_patch_owner_change_drops_what_the_new_owner_may_not_charge(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    alice = await bearer(http)
    await http.patch(f"{API}/jobs", json={"jobs": [{"id": jid, "account": "cc:marketing", "projectId": 3}]},
                     headers=alice)
    headers = await bearer(http, reason="desk", **HELPDESK)
    response = await http.patch(f"{API}/jobs/{jid}", json={"ownerId": DAVE}, headers=headers)
    assert response.status_code == 200
    row = job_row(app, jid)
    assert (row["owner_id"], row["account"], row["project_id"]) == (DAVE, None, 0)


async def test_reason_required_for_helpdesk_changing_another_users_job(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    headers = await bearer(http, **HELPDESK)
    before = snapshot(app)
    calls = [
        ("PATCH", f"{API}/jobs/{jid}", {"favorite": True}),
        ("PATCH", f"{API}/jobs", {"jobs": [{"id": jid, "favorite": True}]}),
        ("POST", f"{API}/jobs/delete", [jid]),
        ("DELETE", f"{API}/jobs/{jid}", None),
        ("POST", f"{API}/jobs/process", {"jobIds": [jid], "owner": "alice"}),
        ("POST", f"{API}/jobs/{jid}/script", {"-1052320151": {"duplex": True, "simplex": None}}),
        ("POST", f"{API}/jobs/client", {"queue": "direct", "owner": "alice", "name": "x.pdf",
                                        "uuid": "u-1", "jobInfo": {"pageCount": 1}}),
    ]
    for method, url, body in calls:
        response = await http.request(method, url, json=body, headers=headers)
        assert response.status_code == 400, (method, url, response.text)
        assert reason(response) == "reason_required", (method, url)
        assert "X-Station-Reason" in response.json()["message"]
    assert snapshot(app) == before
    # Reading needs no reason.
    assert (await http.get(f"{API}/jobs/{jid}", headers=headers)).status_code == 200
    asked = await http.post(f"{API}/jobs/{jid}/script", json={}, headers=headers)
    assert asked.status_code == 200


async def test_reason_required_is_not_asked_of_the_owner(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    response = await http.patch(f"{API}/jobs/{jid}", json={"favorite": True}, headers=await bearer(http))
    assert response.status_code == 200


async def test_patch_many_all_or_nothing_lists_each_failing_id(http, bearer, app):
    good = job_id(app, "Board minutes.pdf")
    printed = job_id(app, "Boarding pass.pdf")
    before = snapshot(app)
    body = {"jobs": [
        {"id": good, "favorite": True},
        {"id": printed, "projectId": 3},            # printed: only favourite may change
        {"id": 424242, "favorite": True},            # does not exist
        {"id": good + 1, "account": "bank"},         # not one of alice's accounts
    ]}
    response = await http.patch(f"{API}/jobs", json=body, headers=await bearer(http))
    assert response.status_code == 409
    data = response.json()["data"]
    assert [(d["id"], d["reason"]) for d in data] == [
        (printed, "job_state"), (424242, "not_found"), (good + 1, "unknown_account")]
    assert snapshot(app) == before


async def test_patch_many_unknown_account(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    response = await http.patch(f"{API}/jobs", json={"jobs": [{"id": jid, "account": "bank"}]},
                                headers=await bearer(http))
    assert response.status_code == 400
    assert reason(response) == "unknown_account"


async def test_patch_many_changes_and_returns_the_jobs(http, bearer, app):
    a, b = job_id(app, "Board minutes.pdf"), job_id(app, "Expense claim.xlsx")
    body = {"jobs": [{"id": a, "account": "cc:marketing"}, {"id": b, "projectId": 5, "favorite": True}]}
    response = await http.patch(f"{API}/jobs", json=body, headers=await bearer(http))
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["count"] == 2
    assert [(j["id"], j["account"], j["projectId"], j["favorite"]) for j in result["jobs"]] == [
        (a, "cc:marketing", 0, False), (b, None, 5, True)]
    assert len(audit_rows(app, "update")) == 2


async def test_patch_job_state_processing_canceled_expired(http, bearer, app):
    headers = await bearer(http)
    jid = job_id(app, "Board minutes.pdf")
    await http.delete(f"{API}/jobs/{jid}", headers=headers)
    response = await http.patch(f"{API}/jobs/{jid}", json={"favorite": True}, headers=headers)
    assert response.status_code == 409
    assert reason(response) == "job_state"
    assert job_row(app, jid)["favorite"] == 0


async def test_patch_favorite_on_a_printed_job_is_fine(http, bearer, app):
    jid = job_id(app, "Boarding pass.pdf")
    response = await http.patch(f"{API}/jobs/{jid}", json={"favorite": True}, headers=await bearer(http))
    assert response.status_code == 200
    assert job_row(app, jid)["favorite"] == 1
    refused = await http.patch(f"{API}/jobs/{jid}", json={"projectId": 3}, headers=await bearer(http))
    assert refused.status_code == 409
    assert reason(refused) == "job_state"


async def test_cancel_many(http, bearer, app):
    a, b = job_id(app, "Board minutes.pdf"), job_id(app, "Campaign slides.pptx")
    response = await http.post(f"{API}/jobs/delete", json=[a, b], headers=await bearer(http))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {j["state"] for j in body["jobs"]} == {"canceled"}
    assert job_row(app, a)["state"] == job_row(app, b)["state"] == "canceled"
    [entry] = audit_rows(app, "cancel")
    assert entry["job_ids"] == f"[{a}, {b}]"
    # Already canceled is fine, and records nothing more.
    again = await http.post(f"{API}/jobs/delete", json=[a], headers=await bearer(http))
    assert again.status_code == 200
    assert len(audit_rows(app, "cancel")) == 1


async def test_cancel_printed_job_state_all_or_nothing(http, bearer, app):
    good, printed = job_id(app, "Board minutes.pdf"), job_id(app, "Boarding pass.pdf")
    before = snapshot(app)
    response = await http.post(f"{API}/jobs/delete", json=[good, printed], headers=await bearer(http))
    assert response.status_code == 409
    assert reason(response) == "job_state"
    assert [(d["id"], d["reason"]) for d in response.json()["data"]] == [(printed, "job_state")]
    assert snapshot(app) == before


async def test_delete_one_is_204_twice(http, bearer, app):
    jid = job_id(app, "Expense claim.xlsx")
    headers = await bearer(http)
    first = await http.delete(f"{API}/jobs/{jid}", headers=headers)
    assert (first.status_code, first.content) == (204, b"")
    assert job_row(app, jid)["state"] == "canceled"
    second = await http.delete(f"{API}/jobs/{jid}", headers=headers)
    assert second.status_code == 204


async def test_delete_one_printed_job_state(http, bearer, app):
    response = await http.delete(f"{API}/jobs/{job_id(app, 'Boarding pass.pdf')}", headers=await bearer(http))
    assert response.status_code == 409
    assert reason(response) == "job_state"


async def test_cancel_not_found(http, bearer):
    response = await http.post(f"{API}/jobs/delete", json=[999999], headers=await bearer(http))
    assert response.status_code == 404
    assert reason(response) == "not_found"


async def test_helpdesk_cancels_with_reason(http, bearer, app):
    jid = job_id(app, "Parking permit.pdf")
    headers = await bearer(http, reason="Bob called: printed elsewhere", **HELPDESK)
    response = await http.delete(f"{API}/jobs/{jid}", headers=headers)
    assert response.status_code == 204
    [entry] = audit_rows(app, "cancel")
    assert (entry["actor"], entry["owner"], entry["reason"]) == (
        "carol", "bob", "Bob called: printed elsewhere")


async def test_reason_required_accepts_any_letters_sent_as_utf8(http, bearer, app):
    jid = job_id(app, "Parking permit.pdf")
    headers = await bearer(http, **HELPDESK)
    headers["X-Station-Reason"] = "Bob’s café card is broken".encode()
    response = await http.delete(f"{API}/jobs/{jid}", headers=headers)
    assert response.status_code == 204
    assert audit_rows(app, "cancel")[0]["reason"] == "Bob’s café card is broken"


async def test_reason_required_blank_reason_is_no_reason(http, bearer, app):
    jid = job_id(app, "Parking permit.pdf")
    headers = await bearer(http, reason="   ", **HELPDESK)
    response = await http.delete(f"{API}/jobs/{jid}", headers=headers)
    assert response.status_code == 400
    assert reason(response) == "reason_required"
