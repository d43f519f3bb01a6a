"""Another user's job answers exactly like a missing one, on every job endpoint, and stays as it was."""

from __future__ import annotations

import pytest
from station.server.seed import HANDOUT

from .support import API, DUPLEX, job_id, snapshot

MISSING = 2_000_000_000


def calls(jid: int) -> list[tuple[str, str, object]]:
    return [
        ("GET", f"{API}/jobs/{jid}", None),
        ("GET", f"{API}/jobs/{jid}/state", None),
        ("PATCH", f"{API}/jobs/{jid}", {"favorite": True}),
        ("PATCH", f"{API}/jobs", {"jobs": [{"id": jid, "favorite": True}]}),
        ("POST", f"{API}/jobs/delete", [jid]),
        ("DELETE", f"{API}/jobs/{jid}", None),
        ("POST", f"{API}/jobs/process", {"jobIds": [jid]}),
        ("POST", f"{API}/jobs/{jid}/script", {}),
        ("POST", f"{API}/jobs/{jid}/script", {DUPLEX: {"duplex": True, "simplex": None}, "state": []}),
    ]


@pytest.mark.parametrize("index", range(len(calls(0))))
@pytest.mark.parametrize("name", ["Parking permit.pdf", HANDOUT])
async def test_another_users_job_is_not_found_and_unchanged(http, bearer, app, index, name):
    headers = await bearer(http)  # alice
    bobs = job_id(app, name)
    before = snapshot(app)
    method, url, body = calls(bobs)[index]
    response = await http.request(method, url, json=body, headers=headers)
    assert response.status_code == 404, (method, url, response.text)
    assert response.json()["data"][0]["reason"] == "not_found"
    # Exactly the answer for a job that does not exist at all.
    m_method, m_url, m_body = calls(MISSING)[index]
    missing = await http.request(m_method, m_url, json=m_body, headers=headers)
    assert missing.status_code == 404
    assert response.text.replace(str(bobs), "ID") == missing.text.replace(str(MISSING), "ID")
    assert snapshot(app) == before


async def test_another_users_jobs_are_not_listed_or_searchable(http, bearer, app):
    listed = (await http.get(f"{API}/jobs", params={"search": "Parking"}, headers=await bearer(http))).json()
    assert (listed["jobs"], listed["count"]) == ([], 0)
