"""Vendor mode (`ServerSettings(api="vendor")`): only contract 7.1, in the vendor's shapes, as
`/work/wire-decisions.md` says. Each "absent" or "empty" check has its profile-mode or
unfiltered control beside it."""

from __future__ import annotations

import logging
import re
import sqlite3
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import pytest

from station.server import jobs
from station.server.app import ServerSettings, create_app
from station.server.shapes import PROFILE_QUERY
from station.server.store import from_us
from station.server.seed import HANDOUT

from .support import ALICE, API, BOB, CLIENT_ID, CLIENT_SECRET, DAVE, balance, job_id, job_row, snapshot, spool_body

ZONE = ZoneInfo("Europe/Berlin")
VENDOR_JOB = {"id", "name", "date", "dateTime", "favorite", "cost", "duplex", "color", "pageCount",
              "colorCount", "copies", "paper"}
NO_OFFSET = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}")
HELPDESK = {"user": "carol", "pwd": "carol-pw"}
PROFILE_ONLY = [
    ("GET", "/api/v3/users/me", None),
    ("GET", "/api/v3/projects", None),
    ("GET", "/api/v3/audit", None),
    ("POST", "/api/auth/revoke", {"token": "anything", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
]


@pytest.fixture
def settings(clock) -> ServerSettings:
    return ServerSettings(db=":memory:", seed="demo", clock=clock, api="vendor", local_zone=ZONE)


@pytest.fixture
async def profile_http(clock):
    """The same data set in profile mode: the control of what vendor mode leaves out."""
    app = create_app(ServerSettings(db=":memory:", seed="demo", clock=clock))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://station.test") as http:
        yield http
    app.state.store.close()


def assert_vendor_error(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body == {"code": status, "message": body["message"], "data": []}
    assert isinstance(body["message"], str) and body["message"]
    return body


# --- what is not there ------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), PROFILE_ONLY, ids=[p for _, p, _ in PROFILE_ONLY])
async def test_profile_endpoints_are_404_with_the_vendors_body(http, bearer, profile_http, method, path, body):
    response = await http.request(method, path, json=body, headers=await bearer(http, **HELPDESK))
    assert_vendor_error(response, 404)
    control = await profile_http.request(method, path, json=body, headers=await bearer(profile_http, **HELPDESK))
    assert control.status_code == 200, control.text


async def test_the_document_has_only_the_vendors_calls(http, profile_http):
    vendor = (await http.get("/api/openapi.json")).json()
    profile = (await profile_http.get("/api/openapi.json")).json()
    for _, path, _ in PROFILE_ONLY:
        assert path in profile["paths"] and path not in vendor["paths"], path
    for path in ("/api/auth/token", "/api/v3/jobs", "/api/v3/jobs/{job_id}", "/api/v3/jobs/process",
                 "/api/v3/printers/{printer_id}/jobs/release", "/api/v3/users/find"):
        assert path in vendor["paths"], path
    assert "ownerId" not in {p["name"] for p in vendor["paths"]["/api/v3/jobs"]["get"]["parameters"]}
    assert (await http.get("/api/docs")).status_code == 200
    schema = vendor["components"]["schemas"]["ErrorResponse"]
    assert schema["properties"]["data"] == {"type": "array", "maxItems": 0}
    for operations in vendor["paths"].values():
        for operation in operations.values():
            assert not {"422", "429"} & set(operation["responses"])


# --- errors: every kind with data [] ----------------------------------------------------------


async def test_errors_of_every_kind_have_empty_data(http, bearer, app, token_body, clock, monkeypatch, caplog):
    headers = await bearer(http)  # alice
    bobs = job_id(app, "Parking permit.pdf")
    assert_vendor_error(await http.patch(f"{API}/jobs/101", json={"projectId": 2}, headers=headers), 400)
    assert_vendor_error(await http.patch(f"{API}/jobs/101", json={"colour": True}, headers=headers), 400)
    assert_vendor_error(await http.post(f"{API}/jobs/process", content=b"{", headers=headers), 400)
    assert_vendor_error(await http.get(f"{API}/jobs"), 401)
    assert_vendor_error(await http.post("/api/auth/token", json=token_body(pin="0000")), 401)
    bob = await bearer(http, pin="5678")
    ids = [job_id(app, n) for n in ("Shipping labels.pdf", HANDOUT, "Parking permit.pdf")]
    assert_vendor_error(await http.post(f"{API}/jobs/process", json={"jobIds": ids, "projectId": 2}, headers=bob), 402)
    assert_vendor_error(await http.get(f"{API}/users", headers=headers), 403)
    assert_vendor_error(await http.get(f"{API}/jobs/{bobs}", headers=headers), 404)
    assert_vendor_error(await http.get("/api/v3/nowhere", headers=headers), 404)
    wrong_method = await http.put(f"{API}/jobs/101", json={}, headers=headers)
    assert_vendor_error(wrong_method, 405)
    assert "PATCH" in wrong_method.headers["Allow"]
    assert_vendor_error(await http.patch(f"{API}/jobs/109", json={"projectId": 1}, headers=headers), 409)
    too_big = await http.post(
        f"{API}/jobs/delete", content=b"[" + b"1," * 600_000 + b"1]",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert_vendor_error(too_big, 413)
    monkeypatch.setattr(jobs, "get_job", lambda *a, **k: 1 / 0)
    with caplog.at_level(logging.ERROR, logger="station.server"):
        assert_vendor_error(await http.get(f"{API}/jobs/101", headers=headers), 500)

    def busy(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(jobs, "list_jobs", busy)
    unavailable = await http.get(f"{API}/jobs", headers=headers)
    assert_vendor_error(unavailable, 503)
    assert unavailable.headers["Retry-After"] == "1"


async def test_a_401_names_no_reason_word(http, bearer, clock):
    headers = await bearer(http)
    clock.advance(seconds=1800)
    expired = await http.get(f"{API}/jobs", headers=headers)
    body = assert_vendor_error(expired, 401)
    assert "token_expired" not in expired.text and "expired" in body["message"]
    assert expired.headers["WWW-Authenticate"] == "Bearer"


async def test_a_locked_login_is_401_saying_it_is_locked(http, token_body):
    # The vendor's lock is of a named identity: a user name (an address is only slowed down).
    for _ in range(5):
        assert_vendor_error(await http.post("/api/auth/token", json=token_body(user="alice", pwd="wrong")), 401)
    locked = await http.post("/api/auth/token", json=token_body(user="alice", pwd="alice-pw"))  # the right one
    body = assert_vendor_error(locked, 401)
    assert "locked" in body["message"].lower()
    assert "Retry-After" not in locked.headers and "access_token" not in locked.text


# --- jobs in the vendor's shape ---------------------------------------------------------------


async def test_jobs_have_exactly_the_vendors_fields_and_local_times(http, bearer, app):
    headers = await bearer(http)
    listed = (await http.get(f"{API}/jobs", headers=headers)).json()
    assert set(listed) == {"jobs", "count"}  # no profileQuery
    pending = [job["id"] for job in listed["jobs"]]
    with app.state.store.read() as db:
        rows = db.all("SELECT * FROM jobs WHERE owner_id = ? AND state IN ('ready', 'paused')"
                      " ORDER BY submitted_us DESC, id DESC", (ALICE,))
    assert pending == [row["id"] for row in rows] and listed["count"] == len(rows)
    for job, row in zip(listed["jobs"], rows, strict=True):
        assert set(job) == VENDOR_JOB, job
        local = from_us(row["submitted_us"]).astimezone(ZONE)
        assert NO_OFFSET.fullmatch(job["dateTime"]), job["dateTime"]
        assert job["dateTime"] == local.strftime("%Y-%m-%dT%H:%M:%S")
        assert job["date"] == local.date().isoformat()
        assert Decimal(str(job["cost"])) == Decimal(row["cost_cents"]) / 100
    one = (await http.get(f"{API}/jobs/{pending[0]}", headers=headers)).json()
    assert one == listed["jobs"][0]


async def test_local_time_is_the_machines_without_a_zone(clock):
    app = create_app(ServerSettings(db=":memory:", seed="demo", clock=clock, api="vendor"))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            token = await http.post("/api/auth/token", json={
                "grant_type": "login_info", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "login_info": {"type": 2, "pin": "1234"}})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            job = (await http.get(f"{API}/jobs/101", headers=headers)).json()
        submitted = from_us(job_row(app, 101)["submitted_us"]).astimezone()
        assert job["dateTime"] == submitted.strftime("%Y-%m-%dT%H:%M:%S")
    finally:
        app.state.store.close()


@pytest.mark.parametrize(
    "query",
    ["state=printed", "favorite=true", f"ownerId={ALICE}", "search=Board", "sort=name", "all=true", "x=1",
     "limit=5&search=Board"],
)
async def test_any_filter_but_limit_and_start_gives_an_empty_list(http, bearer, query):
    headers = await bearer(http)
    control = (await http.get(f"{API}/jobs?limit=2&start=1", headers=headers)).json()
    assert len(control["jobs"]) == 2 and control["count"] > 2
    assert (await http.get(f"{API}/jobs?{query}", headers=headers)).json() == {"jobs": [], "count": 0}


async def test_the_profile_marks_its_list_query_and_honours_what_it_names(profile_http, bearer):
    headers = await bearer(profile_http)
    body = (await profile_http.get(f"{API}/jobs", headers=headers)).json()
    assert body["profileQuery"] == PROFILE_QUERY
    document = (await profile_http.get("/api/openapi.json")).json()
    declared = {p["name"] for p in document["paths"]["/api/v3/jobs"]["get"]["parameters"]}
    assert set(body["profileQuery"]) == declared - {"limit", "start"}
    found = (await profile_http.get(f"{API}/jobs?search=Board minutes", headers=headers)).json()
    assert [job["name"] for job in found["jobs"]] == ["Board minutes.pdf"]


async def test_patch_answers_the_vendors_job_and_list(http, bearer, app):
    headers = await bearer(http)
    one = await http.patch(f"{API}/jobs/101", json={"favorite": True, "projectId": 3}, headers=headers)
    assert one.status_code == 200, one.text
    assert set(one.json()) == VENDOR_JOB and one.json()["favorite"] is True
    assert job_row(app, 101)["project_id"] == 3
    items = [{"id": 103, "favorite": True}, {"id": 104, "favorite": True}]
    many = await http.patch(f"{API}/jobs", json={"jobs": items}, headers=headers)
    assert many.status_code == 200, many.text
    assert many.json()["count"] == 2
    assert [set(job) for job in many.json()["jobs"]] == [VENDOR_JOB, VENDOR_JOB]
    assert job_row(app, 103)["favorite"] == job_row(app, 104)["favorite"] == 1


async def test_process_is_202_with_no_body_and_charges(http, bearer, app):
    jid = job_id(app, "Board minutes.pdf")
    start = balance(app, ALICE)
    body = {"jobIds": [jid], "owner": "alice"}
    response = await http.post(f"{API}/jobs/process", json=body, headers=await bearer(http))
    assert (response.status_code, response.content) == (202, b"")
    state = await http.get(f"{API}/jobs/{jid}/state", headers=await bearer(http))
    assert state.json() == {"state": "processing"}
    assert balance(app, ALICE) == start - Decimal(job_row(app, jid)["cost_cents"]) / 100


async def test_delete_is_204_with_no_body_and_cancels(http, bearer, app):
    headers = await bearer(http)
    ids = [job_id(app, "Expense claim.xlsx"), job_id(app, "Train tickets Berlin.pdf")]
    many = await http.post(f"{API}/jobs/delete", json=ids, headers=headers)
    assert (many.status_code, many.content) == (204, b"")
    one = await http.delete(f"{API}/jobs/{job_id(app, 'Flyer.pdf')}", headers=headers)
    assert (one.status_code, one.content) == (204, b"")
    for jid in [*ids, job_id(app, "Flyer.pdf")]:
        assert (await http.get(f"{API}/jobs/{jid}/state", headers=headers)).json() == {"state": "canceled"}


async def test_script_is_204_with_no_body_and_an_answer_without_a_state_changes_nothing(http, bearer, app):
    """Vendor mode offers no dialog, so it gives out no state; an answer must carry the state its
    question came with (issue 11 item 6), so none is taken here."""
    headers = await bearer(http)
    slides = job_id(app, "Campaign slides.pptx")  # paused with the duplex question
    before = snapshot(app)
    ask = await http.post(f"{API}/jobs/{slides}/script", json={}, headers=headers)
    assert (ask.status_code, ask.content) == (204, b"")
    assert snapshot(app) == before  # asking changes nothing
    for state in ([], None):
        answer = {"-1052320151": {"duplex": True, "simplex": None}, "state": state}
        body = assert_vendor_error(await http.post(f"{API}/jobs/{slides}/script", json=answer, headers=headers), 400)
        assert "state" in body["message"]
    assert snapshot(app) == before
    job = (await http.get(f"{API}/jobs/{slides}", headers=headers)).json()
    assert job["duplex"] is False
    bad = await http.post(f"{API}/jobs/{slides}/script", json={"-1052320151": {"duplex": True, "simplex": True}},
                          headers=headers)
    assert_vendor_error(bad, 400)


async def test_client_spooling_answers_the_id(http, bearer, app):
    response = await http.post(f"{API}/jobs/client", json=spool_body(), headers=await bearer(http))
    assert response.status_code == 201, response.text
    assert set(response.json()) == {"id"}
    assert job_row(app, response.json()["id"])["name"] == "Meeting notes.pdf"


# --- sessions ---------------------------------------------------------------------------------


async def test_a_session_outlives_its_token_by_refreshing(http, login, clock):
    tokens = await login(http, pin="1234")
    assert tokens["expires_in"] == 1800 and tokens["refresh_token"]
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await http.get(f"{API}/jobs", headers=headers)).status_code == 200
    clock.advance(seconds=1799)
    assert (await http.get(f"{API}/jobs", headers=headers)).status_code == 200
    clock.advance(seconds=1)
    assert_vendor_error(await http.get(f"{API}/jobs", headers=headers), 401)
    renewed = await http.post("/api/auth/token", json={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
    })
    assert renewed.status_code == 200, renewed.text
    fresh = {"Authorization": f"Bearer {renewed.json()['access_token']}"}
    listed = await http.get(f"{API}/jobs", headers=fresh)
    assert listed.status_code == 200 and listed.json()["count"] > 0


# --- users ------------------------------------------------------------------------------------


async def test_users_list_in_the_vendors_shape(http, bearer):
    headers = await bearer(http, **HELPDESK)
    body = (await http.get(f"{API}/users?limit=2&start=1", headers=headers)).json()
    assert body["count"] == 4
    assert [(u["username"], u["fullname"], u["lang"]) for u in body["users"]] == [
        ("bob", "Bob Keller", "en"), ("carol", "Carol Nguyen", "en")]
    assert all(set(u) == {"id", "username", "fullname", "email", "lang", "code"} for u in body["users"])
    assert (await http.get(f"{API}/users?search=alice", headers=headers)).json() == {"users": [], "count": 0}


# --- the demo data works ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "username", "user_id"),
    [
        ({"pin": "1234"}, "alice", ALICE), ({"card": "04A1B2C3"}, "alice", ALICE),
        ({"user": "alice", "pwd": "alice-pw"}, "alice", ALICE), ({"card": "04A1B2C3", "pin": "1234"}, "alice", ALICE),
        ({"pin": "5678"}, "bob", BOB), ({"card": "04B0B0B0"}, "bob", BOB),
        ({"pin": "9012"}, "dave", DAVE),
    ],
)
async def test_every_demo_login_lists_jobs_accounts_and_printers(http, login, app, parts, username, user_id):
    tokens = await login(http, **parts)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    jobs_listed = (await http.get(f"{API}/jobs", headers=headers)).json()
    with app.state.store.read() as db:
        pending = db.scalar("SELECT COUNT(*) FROM jobs WHERE owner_id = ? AND state IN ('ready', 'paused')", (user_id,))
    assert jobs_listed["count"] == pending
    accounts = await http.get(f"{API}/users/{user_id}/accounts", headers=headers)
    assert accounts.status_code == 200 and accounts.json()["accounts"]
    print_all = await http.get(f"{API}/printers/2/printAll", headers=headers)
    assert print_all.status_code == 200


async def test_the_helpdesk_demo_login_finds_people(http, bearer):
    headers = await bearer(http, **HELPDESK)
    [carol] = (await http.get(f"{API}/users/find?username=carol", headers=headers)).json()["users"]
    assert carol["fullname"] == "Carol Nguyen"
    assert (await http.get(f"{API}/users/{ALICE}/accounts", headers=headers)).status_code == 200
