"""Bad input: a clear error, never a 500, never a half-applied change."""

from __future__ import annotations

import json

import pytest

from station.api.models import Reason

from .support import API, DUPLEX, reason, snapshot, spool_body

JOB = 101  # alice's "Board minutes.pdf"
LONG = "x" * 10_000

CASES: list[tuple[str, str, object, dict | None]] = [
    # (method, path, JSON body or raw bytes, query)
    ("PATCH", f"/jobs/{JOB}", {"favorite": "maybe"}, None),
    ("PATCH", f"/jobs/{JOB}", {"ownerId": -1}, None),
    ("PATCH", f"/jobs/{JOB}", {"projectId": 2**63}, None),
    ("PATCH", f"/jobs/{JOB}", {"projectId": 1.5}, None),
    ("PATCH", f"/jobs/{JOB}", {"projectId": -3}, None),
    ("PATCH", f"/jobs/{JOB}", {"favorite": True, "color": True}, None),
    ("PATCH", f"/jobs/{JOB}", [], None),
    ("PATCH", f"/jobs/{JOB}", "favorite", None),
    ("PATCH", f"/jobs/{JOB}", b"{bad json", None),
    ("PATCH", f"/jobs/{JOB}", b"[" * 100_000, None),
    ("PATCH", "/jobs", {"jobs": []}, None),
    ("PATCH", "/jobs", {"jobs": [{"id": 0, "favorite": True}]}, None),
    ("PATCH", "/jobs", {"jobs": [{"id": 10**30, "favorite": True}]}, None),
    ("PATCH", "/jobs", {"jobs": [{"favorite": True}]}, None),
    ("PATCH", "/jobs", {"jobs": "all"}, None),
    ("PATCH", "/jobs", {"jobs": [{"id": JOB, "favorite": True}, {"id": JOB, "favorite": False}]}, None),
    ("PATCH", "/jobs", {"jobs": [{"id": JOB, "favorite": True}, {"id": 102, "account": ""}]}, None),
    ("PATCH", "/jobs", {"jobs": [{"id": JOB, "favorite": True}, {"id": 102, "account": LONG}]}, None),
    ("PATCH", "/jobs", {"jobs": [{"id": i, "favorite": True} for i in range(1, 502)]}, None),
    ("POST", "/jobs/delete", [], None),
    ("POST", "/jobs/delete", ["a"], None),
    ("POST", "/jobs/delete", [JOB, 0], None),
    ("POST", "/jobs/delete", [JOB, -1], None),
    ("POST", "/jobs/delete", {"ids": [JOB]}, None),
    ("POST", "/jobs/delete", list(range(1, 503)), None),
    ("DELETE", "/jobs/abc", None, None),
    ("DELETE", "/jobs/-1", None, None),
    ("DELETE", "/jobs/0", None, None),
    ("DELETE", "/jobs/99999999999999999999999", None, None),
    ("DELETE", "/jobs/101.0", None, None),
    ("GET", "/jobs/%00", None, None),
    ("GET", "/jobs/%EF%BC%91", None, None),  # a full-width digit one
    ("POST", "/jobs/client", spool_body(name=""), None),
    ("POST", "/jobs/client", spool_body(name=LONG), None),
    ("POST", "/jobs/client", spool_body(size=-1), None),
    ("POST", "/jobs/client", spool_body(size=2**70), None),
    ("POST", "/jobs/client", spool_body(uuid=""), None),
    ("POST", "/jobs/client", spool_body(queue=""), None),
    ("POST", "/jobs/client", {k: v for k, v in spool_body().items() if k != "uuid"}, None),
    ("POST", "/jobs/client", spool_body(jobInfo={"copies": 0}), None),
    ("POST", "/jobs/client", spool_body(jobInfo={"copies": 10**9}), None),
    ("POST", "/jobs/client", spool_body(jobInfo={"pageCount": "many"}), None),
    ("POST", "/jobs/client", spool_body(jobInfo=[1, 2]), None),
    ("POST", "/jobs/client", spool_body(jobInfo={"pageCount": 3, "colorCount": 4}), None),
    ("POST", "/jobs/process", {"jobIds": []}, None),
    ("POST", "/jobs/process", {"jobIds": "101"}, None),
    ("POST", "/jobs/process", {"jobIds": [JOB], "projectId": -1}, None),
    ("POST", "/jobs/process", {"jobIds": [JOB], "account": LONG}, None),
    ("POST", "/jobs/process", {"jobIds": [JOB], "owner": LONG}, None),
    ("POST", "/jobs/process", {"jobIds": [JOB], "priority": "high"}, None),
    ("POST", "/jobs/process", {"jobIds": [JOB, 10**12]}, None),
    ("POST", "/jobs/process", {"jobIds": [JOB], "account": ""}, None),
    ("POST", f"/jobs/{JOB}/script", [], None),
    ("POST", f"/jobs/{JOB}/script", "duplex", None),
    ("POST", f"/jobs/{JOB}/script", {DUPLEX: {"duplex": True, "simplex": None}, "state": "v1"}, None),
    ("POST", f"/jobs/{JOB}/script", {DUPLEX: {"duplex": True, "simplex": None}, "state": ["x"] * 10_000}, None),
    ("POST", f"/jobs/{JOB}/script", {DUPLEX: {"duplex": True, "simplex": None}, "state": [LONG, LONG, LONG]}, None),
    ("POST", f"/jobs/{JOB}/script", {LONG: {"duplex": True}}, None),
    ("GET", "/jobs", None, {"limit": -1}),
    ("GET", "/jobs", None, {"limit": 100_000}),
    ("GET", "/jobs", None, {"start": -5}),
    ("GET", "/jobs", None, {"start": 10**30}),
    ("GET", "/jobs", None, {"sort": "size"}),
    ("GET", "/jobs", None, {"favorite": "maybe"}),
    ("GET", "/jobs", None, {"ownerId": "abc"}),
    ("GET", "/jobs", None, {"search": LONG}),
    ("GET", "/jobs", None, {"state": "nope"}),
    ("GET", "/audit", None, {"ownerId": 0}),
    ("GET", "/projects", None, {"limit": "ten"}),
    ("PUT", "/jobs", {"jobs": []}, None),
    ("POST", "/jobs", {"jobs": []}, None),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "query"), CASES, ids=[f"{c[0]} {c[1][:30]} {i}" for i, c in enumerate(CASES)]
)
async def test_bad_input_is_a_clear_error_and_changes_nothing(http, bearer, app, method, path, body, query):
    headers = await bearer(http)
    before = snapshot(app)
    kwargs: dict = {"params": query, "headers": headers}
    if isinstance(body, bytes):
        kwargs["content"] = body
        kwargs["headers"] = {**headers, "Content-Type": "application/json"}
    elif body is not None:
        kwargs["json"] = body
    response = await http.request(method, f"{API}{path}", **kwargs)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert reason(response) in {r.value for r in Reason}
    assert response.json()["code"] == response.status_code
    assert "Traceback" not in response.text
    assert snapshot(app) == before


async def test_validation_message_names_the_field_and_the_problem(http, bearer):
    response = await http.patch(f"{API}/jobs", json={"jobs": [{"id": 0}]}, headers=await bearer(http))
    assert response.status_code == 422
    assert reason(response) == "validation"
    body = response.json()
    assert "jobs[0].id" in body["message"]
    assert "greater than or equal to 1" in body["message"]
    assert body["data"][0]["field"] == "jobs[0].id"


async def test_validation_error_for_unknown_fields(http, bearer):
    response = await http.patch(f"{API}/jobs/{JOB}", json={"colour": True}, headers=await bearer(http))
    assert response.status_code == 422
    assert "'colour' is not a field this call accepts" in response.json()["message"]


async def test_validation_error_never_echoes_a_secret(http, token_body):
    body = token_body(pin="1234")
    body["login_info"]["pin"] = "9" * 300
    response = await http.post("/api/auth/token", json=body)
    assert response.status_code == 422
    assert reason(response) == "validation"
    assert "999" not in response.text


async def test_invalid_json_is_a_validation_error(http, bearer):
    response = await http.post(
        f"{API}/jobs/process", content=b'{"jobIds": [101,',
        headers={**await bearer(http), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert reason(response) == "validation"
    assert response.json()["message"] == "The request body is not valid JSON."


async def test_a_body_over_a_megabyte_is_refused(http, bearer):
    payload = json.dumps({"jobIds": [JOB], "owner": "a" * 1_100_000})
    response = await http.post(
        f"{API}/jobs/process", content=payload, headers={**await bearer(http), "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert reason(response) == "bad_request"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"grant_type": "password", "client_id": "station-demo", "client_secret": "station-demo-secret"},
        {"grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
         "login_info": {"type": 9, "pin": "1234"}},
        {"grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret"},
        {"grant_type": "refresh_token", "client_id": "station-demo", "client_secret": "station-demo-secret"},
        {"grant_type": "login_info", "client_id": LONG, "client_secret": "x", "login_info": {"type": 2, "pin": "1"}},
        [],
    ],
)
async def test_bad_token_requests_are_validation_errors(http, body):
    response = await http.post("/api/auth/token", json=body)
    assert response.status_code == 422, response.text
    assert reason(response) == "validation"
