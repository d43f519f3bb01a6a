"""Audit (contract 4.7): every accepted change recorded once; who may read what."""

from __future__ import annotations

from station.api.models import AuditList

from .support import ALICE, API, BOB, answer_sides, audit_rows, job_id, reason, spool_body

HELPDESK = {"user": "carol", "pwd": "carol-pw"}


async def test_every_accepted_change_is_recorded_once(http, bearer, app):
    headers = await bearer(http)
    a, b, c = (job_id(app, n) for n in ("Board minutes.pdf", "Expense claim.xlsx", "Campaign slides.pptx"))
    await http.post(f"{API}/jobs/client", json=spool_body(), headers=headers)
    await http.patch(f"{API}/jobs/{a}", json={"favorite": True}, headers=headers)
    assert (await answer_sides(http, headers, c, "duplex")).status_code == 200
    await http.delete(f"{API}/jobs/{b}", headers=headers)
    await http.post(f"{API}/jobs/process", json={"jobIds": [a]}, headers=headers)
    response = await http.get(f"{API}/audit", headers=headers)
    assert response.status_code == 200
    listed = AuditList.model_validate(response.json())
    assert [e.action for e in listed.entries] == ["release", "cancel", "duplex", "update", "spool"]
    assert listed.count == 5
    assert [e.id for e in listed.entries] == sorted((e.id for e in listed.entries), reverse=True)
    release = listed.entries[0]
    assert (release.actor, release.actor_id, release.owner_id, release.job_ids, str(release.amount),
            release.account) == ("alice", ALICE, ALICE, [a], "0.24", "credit")
    assert release.at.utcoffset().total_seconds() == 0
    assert len(audit_rows(app)) == 5


async def test_refused_changes_record_nothing(http, bearer, app):
    headers = await bearer(http, pin="5678")
    await http.post(f"{API}/jobs/process", json={"jobIds": [job_id(app, "Shipping labels.pdf")]}, headers=headers)
    await http.patch(f"{API}/jobs/{job_id(app, 'Shipping labels.pdf')}", json={"projectId": 99}, headers=headers)
    assert audit_rows(app) == []


async def test_a_user_sees_only_entries_about_their_own_jobs(http, bearer, app):
    await http.delete(f"{API}/jobs/{job_id(app, 'Board minutes.pdf')}", headers=await bearer(http))
    await http.delete(f"{API}/jobs/{job_id(app, 'Parking permit.pdf')}", headers=await bearer(http, pin="5678"))
    alice = (await http.get(f"{API}/audit", headers=await bearer(http))).json()
    assert [e["owner"] for e in alice["entries"]] == ["alice"]
    dave = (await http.get(f"{API}/audit", headers=await bearer(http, pin="9012"))).json()
    assert dave == {"entries": [], "count": 0}


async def test_audit_owner_id_of_another_user_not_allowed(http, bearer):
    response = await http.get(f"{API}/audit", params={"ownerId": BOB}, headers=await bearer(http))
    assert response.status_code == 403
    assert reason(response) == "not_allowed"


async def test_helpdesk_sees_all_or_one_owner(http, bearer, app):
    await http.delete(f"{API}/jobs/{job_id(app, 'Board minutes.pdf')}", headers=await bearer(http))
    await http.delete(f"{API}/jobs/{job_id(app, 'Parking permit.pdf')}", headers=await bearer(http, pin="5678"))
    headers = await bearer(http, **HELPDESK)
    everything = (await http.get(f"{API}/audit", headers=headers)).json()
    assert everything["count"] == 2
    bobs = (await http.get(f"{API}/audit", params={"ownerId": BOB}, headers=headers)).json()
    assert [e["owner"] for e in bobs["entries"]] == ["bob"]
    page = (await http.get(f"{API}/audit", params={"limit": 1, "start": 1}, headers=headers)).json()
    assert page["count"] == 2 and len(page["entries"]) == 1
    assert page["entries"][0]["owner"] == "alice"


async def test_audit_helpdesk_without_scope_users_scope_missing(http, token_body):
    tok = (await http.post("/api/auth/token", json=token_body("jobs", **HELPDESK))).json()["access_token"]
    response = await http.get(f"{API}/audit", params={"ownerId": BOB}, headers={"Authorization": f"Bearer {tok}"})
    assert response.status_code == 403
    assert reason(response) == "scope_missing"
