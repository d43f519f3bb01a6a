"""The vendor's request bodies (seed/jobs-api.txt), sent raw as written there, with real ids for 0."""

from __future__ import annotations

import json

from station.api.models import ClientJobCreated, Job, JobList, ProcessResult, ScriptReply

from .support import ALICE, API, job_id, job_row


async def test_vendor_patch_many_body(http, bearer, app):
    a, b, c = (job_id(app, n) for n in ("Board minutes.pdf", "Expense claim.xlsx", "Flyer.pdf"))
    raw = """{
"jobs": [
{
"id": %d,
"ownerId": %d,
"projectId": 0,
"favorite": true,
"account": "credit"
},
{
"id": %d,
"ownerId": %d,
"projectId": 0,
"favorite": true,
"account": "credit"
},
{
"id": %d,
"ownerId": %d,
"projectId": 0,
"favorite": true,
"account": "credit"
}
]
}""" % (a, ALICE, b, ALICE, c, ALICE)
    response = await http.patch(
        f"{API}/jobs", content=raw, headers={**await bearer(http), "Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    listed = JobList.model_validate(response.json())
    assert listed.count == 3
    assert all(j.favorite and j.project_id == 0 and j.account == "credit" for j in listed.jobs)
    assert job_row(app, c)["project_id"] == 0  # Flyer had project 1: 0 unset it


async def test_vendor_patch_one_body(http, bearer, app):
    jid = job_id(app, "Flyer.pdf")
    raw = '{\n"ownerId": %d,\n"projectId": 0,\n"favorite": true\n}' % ALICE
    response = await http.patch(
        f"{API}/jobs/{jid}", content=raw, headers={**await bearer(http), "Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    for field in ("id", "name", "date", "dateTime", "favorite", "cost", "duplex", "color", "pageCount",
                  "colorCount", "copies", "paper"):
        assert field in body, field
    assert body["paper"] == {"state": 5}
    job = Job.model_validate(body)
    assert (job.favorite, job.project_id) == (True, 0)


async def test_vendor_delete_body(http, bearer, app):
    ids = [job_id(app, n) for n in ("Board minutes.pdf", "Expense claim.xlsx", "Train tickets Berlin.pdf")]
    raw = "[%d, %d, %d]" % tuple(ids)
    response = await http.post(
        f"{API}/jobs/delete", content=raw, headers={**await bearer(http), "Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert {j["state"] for j in response.json()["jobs"]} == {"canceled"}


async def test_vendor_delete_one(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    response = await http.delete(f"{API}/jobs/{jid}", headers=await bearer(http))
    assert response.status_code == 204


async def test_vendor_client_spooling_body(http, bearer):
    raw = """{
"queue": "direct",
"owner": "alice",
"computer": "string",
"name": "string",
"size": 0,
"uuid": "string",
"jobInfo": {}
}"""
    response = await http.post(
        f"{API}/jobs/client", content=raw, headers={**await bearer(http), "Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    created = ClientJobCreated.model_validate(response.json())
    assert set(response.json()) == {"id"}
    job = (await http.get(f"{API}/jobs/{created.id}", headers=await bearer(http))).json()
    assert (job["name"], job["pageCount"], job["copies"], job["state"]) == ("string", 1, 1, "ready")


async def test_vendor_process_body(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    raw = '{\n"jobIds": [\n%d\n],\n"owner": "alice",\n"projectId": 0,\n"account": "credit"\n}' % jid
    response = await http.post(
        f"{API}/jobs/process", content=raw, headers={**await bearer(http), "Content-Type": "application/json"}
    )
    assert response.status_code == 202, response.text
    result = ProcessResult.model_validate(response.json())
    assert [j.id for j in result.jobs] == [jid]


async def test_vendor_script_body(http, bearer, app):
    """The vendor's answer body, with the state "as received" from the question."""
    jid = job_id(app, "Campaign slides.pptx")
    headers = await bearer(http)
    state = (await http.post(f"{API}/jobs/{jid}/script", json={"state": []}, headers=headers)).json()["state"]
    raw = '{\n"-1052320151": {\n"duplex": true,\n"simplex": null\n},\n"state": %s\n}' % json.dumps(state)
    response = await http.post(
        f"{API}/jobs/{jid}/script", content=raw, headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    reply = ScriptReply.model_validate(response.json())
    assert reply.dialogs == []
    assert (reply.job.duplex, reply.job.state) == (True, "ready")
