"""Who may call what: every endpoint of the OpenAPI document refuses a caller without a good
token or without the scope, another user's job is never reachable (not even by mixing it into a
list of one's own), and guessing PINs is stopped (contract 2).

The endpoint list is the server's own OpenAPI document: a new endpoint that is not in
`EXAMPLES` fails `test_the_matrix_covers_every_endpoint_of_the_document` until it is added.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import pytest
from station.server.seed import AGENDA, REPORT

from .support import API, BOB, CLIENT_ID, CLIENT_SECRET, job_id, reason, snapshot, spool_body
from .test_others_jobs import calls as others_job_calls

JOB = 101  # alice's "Board minutes.pdf", ready
CANCEL_MANY, CANCEL_ONE, RELEASE, PRINTER_RELEASE = 104, 105, 106, 107  # more of alice's ready jobs

# One well-formed request per operation of the document: with a good helpdesk token and a
# reason, each succeeds (see the control test), so a refusal below is about the token alone.
EXAMPLES: dict[tuple[str, str], tuple[str, Any]] = {
    ("GET", "/api/v3/users/me"): ("/api/v3/users/me", None),
    ("GET", "/api/v3/users"): ("/api/v3/users", None),
    ("GET", "/api/v3/projects"): ("/api/v3/projects", None),
    ("GET", "/api/v3/jobs"): ("/api/v3/jobs?ownerId=7", None),
    ("PATCH", "/api/v3/jobs"): ("/api/v3/jobs", {"jobs": [{"id": JOB, "favorite": True}]}),
    ("POST", "/api/v3/jobs/delete"): ("/api/v3/jobs/delete", [CANCEL_MANY]),
    ("POST", "/api/v3/jobs/client"): ("/api/v3/jobs/client", spool_body()),
    ("POST", "/api/v3/jobs/process"): ("/api/v3/jobs/process", {"jobIds": [RELEASE], "owner": "alice"}),
    ("GET", "/api/v3/jobs/{job_id}"): (f"/api/v3/jobs/{JOB}", None),
    ("PATCH", "/api/v3/jobs/{job_id}"): (f"/api/v3/jobs/{JOB}", {"favorite": True}),
    ("DELETE", "/api/v3/jobs/{job_id}"): (f"/api/v3/jobs/{CANCEL_ONE}", None),
    ("GET", "/api/v3/jobs/{job_id}/state"): (f"/api/v3/jobs/{JOB}/state", None),
    ("POST", "/api/v3/jobs/{job_id}/script"): (f"/api/v3/jobs/{JOB}/script", {}),
    ("GET", "/api/v3/audit"): ("/api/v3/audit", None),
    ("GET", "/api/v3/printers/{printer_id}/printAll"): ("/api/v3/printers/1/printAll", None),
    ("POST", "/api/v3/printers/{printer_id}/jobs/release"): (
        "/api/v3/printers/1/jobs/release", {"jobIds": [PRINTER_RELEASE], "releaseOptions": {"duplex": 2}},
    ),
    ("GET", "/api/v3/users/find"): ("/api/v3/users/find?username=alice", None),
    ("GET", "/api/v3/users/{user_id}/accounts"): ("/api/v3/users/7/accounts", None),
}
# A release at a printer names no owner: it releases the caller's own jobs, so its control is
# alice's (the helpdesk has neither jobs nor an account to charge).
AS_PERSON = {("POST", "/api/v3/printers/{printer_id}/jobs/release")}
# Called without a bearer token by design: logging in, and logging out (RFC 7009).
OPEN = {("POST", "/api/auth/token"), ("POST", "/api/auth/revoke")}
HELPDESK = {"user": "carol", "pwd": "carol-pw"}


def operations(app) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, ops in app.openapi()["paths"].items()
        for method in ops
    }


async def grant(http: httpx.AsyncClient, scope: str, **login: str) -> dict[str, Any]:
    info = (
        {"type": 3, "user": login["user"], "pwd": login["pwd"]} if "user" in login
        else {"type": 2, "pin": login["pin"]}
    )
    response = await http.post("/api/auth/token", json={
        "grant_type": "login_info", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "scope": scope, "login_info": info,
    })
    assert response.status_code == 200, response.text
    return response.json()


async def call(http: httpx.AsyncClient, op: tuple[str, str], headers: dict[str, str]) -> httpx.Response:
    url, body = EXAMPLES[op]
    return await http.request(op[0], url, json=body, headers=headers)


def test_the_matrix_covers_every_endpoint_of_the_document(app):
    documented = operations(app)
    assert documented - OPEN == set(EXAMPLES), "add the new endpoint to EXAMPLES"
    security = {
        (method.upper(), path): op.get("security")
        for path, ops in app.openapi()["paths"].items()
        for method, op in ops.items()
    }
    for op in EXAMPLES:
        assert security[op] == [{"bearer": []}], op  # the document says it needs a token
    for op in OPEN:
        assert security[op] is None, op


async def test_a_good_helpdesk_token_reaches_every_endpoint(http, app):
    """The control: the same requests, with a good token, are not refused."""
    names = {JOB: "Board minutes.pdf", CANCEL_MANY: "Train tickets Berlin.pdf",
             CANCEL_ONE: REPORT, RELEASE: "Expense claim.xlsx",
             PRINTER_RELEASE: AGENDA}
    assert all(job_id(app, name) == jid for jid, name in names.items())
    token = (await grant(http, "jobs users offline.access", **HELPDESK))["access_token"]
    headers = {"Authorization": f"Bearer {token}", "X-Station-Reason": "control"}
    person = {"Authorization": f"Bearer {(await grant(http, 'jobs', pin='1234'))['access_token']}"}
    for op in EXAMPLES:
        response = await call(http, op, person if op in AS_PERSON else headers)
        assert response.status_code < 300, (op, response.status_code, response.text)


async def _assert_refused(http, app, headers: dict[str, str], status: int, word: str) -> None:
    before = snapshot(app)
    wrong = []
    for op in sorted(EXAMPLES):
        response = await call(http, op, {**headers, "X-Station-Reason": "testing"})
        if response.status_code != status or reason(response) != word:
            wrong.append((op, response.status_code, response.text[:200]))
        elif status == 401 and "Bearer" not in response.headers.get("WWW-Authenticate", ""):
            wrong.append((op, "no WWW-Authenticate: Bearer"))
    assert not wrong, wrong
    assert snapshot(app) == before  # nothing changed, nothing recorded


async def test_without_a_token_every_endpoint_is_401_invalid_token(http, app):
    await _assert_refused(http, app, {}, 401, "invalid_token")


@pytest.mark.parametrize("header", ["Basic Y2Fyb2w6Y2Fyb2wtcHc=", "Bearer", "bearer  ", "Token abc"])
async def test_a_malformed_authorization_is_401_invalid_token(http, app, header):
    await _assert_refused(http, app, {"Authorization": header}, 401, "invalid_token")


async def test_a_forged_token_is_401_invalid_token(http, app):
    await _assert_refused(
        http, app, {"Authorization": f"Bearer {secrets.token_urlsafe(32)}"}, 401, "invalid_token"
    )


async def test_a_tampered_token_is_401_invalid_token(http, app):
    token = (await grant(http, "jobs users offline.access", **HELPDESK))["access_token"]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    await _assert_refused(http, app, {"Authorization": f"Bearer {tampered}"}, 401, "invalid_token")


async def test_a_refresh_token_is_not_an_access_token(http, app):
    refresh = (await grant(http, "jobs users offline.access", **HELPDESK))["refresh_token"]
    await _assert_refused(http, app, {"Authorization": f"Bearer {refresh}"}, 401, "invalid_token")


async def test_a_revoked_session_is_401_invalid_token(http, app):
    tokens = await grant(http, "jobs users offline.access", **HELPDESK)
    revoke = {"token": tokens["refresh_token"], "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    assert (await http.post("/api/auth/revoke", json=revoke)).status_code == 200
    await _assert_refused(
        http, app, {"Authorization": f"Bearer {tokens['access_token']}"}, 401, "invalid_token"
    )


async def test_an_expired_token_is_401_token_expired(http, app, clock):
    token = (await grant(http, "jobs users offline.access", **HELPDESK))["access_token"]
    clock.advance(seconds=1800)
    await _assert_refused(http, app, {"Authorization": f"Bearer {token}"}, 401, "token_expired")


@pytest.mark.parametrize("who", ["helpdesk", "user"])
async def test_a_token_without_the_scope_is_403_scope_missing(http, app, who):
    login = HELPDESK if who == "helpdesk" else {"pin": "1234"}
    tokens = await grant(http, "offline.access", **login)
    assert tokens["scope"] == "offline.access"
    await _assert_refused(
        http, app, {"Authorization": f"Bearer {tokens['access_token']}"}, 403, "scope_missing"
    )


async def test_an_application_token_without_scopes_is_403_scope_missing(http, app):
    response = await http.post("/api/auth/token", json={
        "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "scope": "offline.access",
    })
    assert response.status_code == 200 and response.json()["scope"] == ""
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    await _assert_refused(http, app, headers, 403, "scope_missing")


# --- another user's jobs ----------------------------------------------------------------------


def test_every_job_id_endpoint_is_tried_with_another_users_job(app):
    """test_others_jobs.py tries bob's jobs as alice: it must reach every call that takes a job id."""
    takes_a_job = {
        op for op in operations(app)
        if "{job_id}" in op[1] or op in {
            ("PATCH", "/api/v3/jobs"), ("POST", "/api/v3/jobs/delete"), ("POST", "/api/v3/jobs/process"),
        }
    }
    tried = set()
    for method, url, _ in others_job_calls(JOB):
        template = url.replace(f"/{JOB}", "/{job_id}")
        tried.add((method, "/api" + template if not template.startswith("/api") else template))
    assert takes_a_job <= tried, takes_a_job - tried


MIXED = [
    ("PATCH", "/jobs", lambda own, other: {"jobs": [{"id": own, "favorite": True}, {"id": other, "favorite": True}]}),
    ("POST", "/jobs/delete", lambda own, other: [own, other]),
    ("POST", "/jobs/process", lambda own, other: {"jobIds": [own, other]}),
]


@pytest.mark.parametrize(("method", "path", "body"), MIXED, ids=[m[1] for m in MIXED])
async def test_another_users_job_in_a_list_of_ones_own_changes_nothing(http, bearer, app, method, path, body):
    """All or nothing, and the answer is the one for a job that does not exist at all."""
    headers = await bearer(http)  # alice
    own, bobs, missing = job_id(app, "Board minutes.pdf"), job_id(app, "Parking permit.pdf"), 2_000_000_000
    before = snapshot(app)
    response = await http.request(method, f"{API}{path}", json=body(own, bobs), headers=headers)
    assert response.status_code == 404, response.text
    assert reason(response) == "not_found"
    assert response.json()["data"] == [{"reason": "not_found", "id": bobs}]
    assert snapshot(app) == before  # alice's own job did not change either
    absent = await http.request(method, f"{API}{path}", json=body(own, missing), headers=headers)
    assert response.text.replace(str(bobs), "ID") == absent.text.replace(str(missing), "ID")


async def test_a_user_may_not_name_another_owner(http, bearer, app):
    headers = await bearer(http)  # alice
    before = snapshot(app)
    bobs = job_id(app, "Parking permit.pdf")
    for url, body in [
        (f"{API}/jobs/process", {"jobIds": [bobs], "owner": "bob", "projectId": 2}),
        (f"{API}/jobs/client", spool_body(owner="bob")),
    ]:
        response = await http.post(url, json=body, headers=headers)
        assert response.status_code == 403, response.text
        assert reason(response) == "not_allowed"
    for url in (f"{API}/jobs?ownerId={BOB}", f"{API}/audit?ownerId={BOB}", f"{API}/projects?ownerId={BOB}"):
        response = await http.get(url, headers=headers)
        assert response.status_code == 403, (url, response.text)
        assert reason(response) == "not_allowed"
    # Giving one's own job away is the helpdesk's job, too.
    own = job_id(app, "Board minutes.pdf")
    response = await http.patch(f"{API}/jobs/{own}", json={"ownerId": BOB}, headers=headers)
    assert response.status_code == 403 and reason(response) == "not_allowed"
    assert snapshot(app) == before


# --- brute force ----------------------------------------------------------------------------


def body_of(**login_info: Any) -> dict[str, Any]:
    return {"grant_type": "login_info", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "scope": "jobs", "login_info": login_info}


def from_address(app, host: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(host, 40000)), base_url="http://station.test"
    )


RIGHT_PIN = {"type": 2, "pin": "1234"}
WRONG = [
    {"type": 2, "pin": "0000"},
    {"type": 1, "card": "DEADBEEF"},
    {"type": 3, "user": "alice", "pwd": "guess"},
    {"type": 4, "card": "04A1B2C3", "pin": "0000"},
    {"type": 5, "card": "04A1B2C3", "pwd": "guess"},
]


async def test_five_failures_of_any_login_type_slow_the_address_down_but_never_lock_it(app, clock):
    async with from_address(app, "10.9.0.1") as http:
        for info in WRONG:  # one of each type, a minute apart
            response = await http.post("/api/auth/token", json=body_of(**info))
            assert response.status_code == 401 and reason(response) == "invalid_login", info
            clock.advance(minutes=1)
        # The next person at this kiosk gets in at once.
        assert (await http.post("/api/auth/token", json=body_of(**RIGHT_PIN))).status_code == 200
        # A sixth failure: now every login from here waits a second, the right one too.
        assert (await http.post("/api/auth/token", json=body_of(type=2, pin="0000"))).status_code == 401
        for info in (RIGHT_PIN, {"type": 2, "pin": "0000"}, {"type": 3, "user": "carol", "pwd": "carol-pw"}):
            waiting = await http.post("/api/auth/token", json=body_of(**info))
            assert waiting.status_code == 429, info
            assert reason(waiting) == "locked_out"
            assert waiting.headers["Retry-After"] == "1"
            assert waiting.json()["data"][0]["retryAfter"] == 1
        clock.advance(seconds=1)
        assert (await http.post("/api/auth/token", json=body_of(**RIGHT_PIN))).status_code == 200
    # Another kiosk never waited.
    async with from_address(app, "10.9.0.2") as other:
        assert (await other.post("/api/auth/token", json=body_of(**RIGHT_PIN))).status_code == 200


async def test_after_the_sixth_wrong_pin_the_next_answer_waits_and_so_does_the_right_one(app, clock):
    async with from_address(app, "10.9.1.1") as http:
        for n in range(6):
            if n:
                clock.advance(minutes=2, seconds=59)  # spread over 14:55, still one window
            assert (await http.post("/api/auth/token", json=body_of(pin="0000", type=2))).status_code == 401
        seventh = await http.post("/api/auth/token", json=body_of(pin="0000", type=2))
        assert seventh.status_code == 429 and reason(seventh) == "locked_out"
        right = await http.post("/api/auth/token", json=body_of(**RIGHT_PIN))
        assert right.status_code == 429 and reason(right) == "locked_out"
        assert "access_token" not in right.text


async def test_failures_older_than_the_window_do_not_count(app, clock):
    async with from_address(app, "10.9.2.1") as http:
        for _ in range(4):
            await http.post("/api/auth/token", json=body_of(pin="0000", type=2))
        clock.advance(minutes=15)  # the first four are now out of the window
        for _ in range(4):
            assert (await http.post("/api/auth/token", json=body_of(pin="0000", type=2))).status_code == 401
        assert (await http.post("/api/auth/token", json=body_of(**RIGHT_PIN))).status_code == 200


async def test_a_right_login_in_between_does_not_reset_the_address(app, clock):
    """Someone who knows one PIN cannot keep guessing others by logging in between guesses."""
    async with from_address(app, "10.9.3.1") as http:
        for _ in range(4):
            assert (await http.post("/api/auth/token", json=body_of(pin="0000", type=2))).status_code == 401
        assert (await http.post("/api/auth/token", json=body_of(pin="9012", type=2))).status_code == 200
        for pin in ("0001", "0002"):
            assert (await http.post("/api/auth/token", json=body_of(pin=pin, type=2))).status_code == 401
        locked = await http.post("/api/auth/token", json=body_of(pin="9012", type=2))
        assert locked.status_code == 429 and reason(locked) == "locked_out"


async def test_a_locked_card_is_locked_for_every_login_type_that_uses_it(app, clock):
    for n in range(5):  # five kiosks, one wrong PIN each with alice's card
        async with from_address(app, f"10.9.4.{n}") as http:
            response = await http.post("/api/auth/token", json=body_of(type=4, card="04a1b2c3", pin="0000"))
            assert response.status_code == 401
    async with from_address(app, "10.9.4.100") as http:
        for info in ({"type": 1, "card": "04A1B2C3"}, {"type": 4, "card": "04A1B2C3", "pin": "1234"},
                     {"type": 5, "card": " 04a1b2c3 ", "pwd": "alice-pw"}):
            locked = await http.post("/api/auth/token", json=body_of(**info))
            assert locked.status_code == 429, info
        # Alice's PIN alone names no card: that way in stays open.
        assert (await http.post("/api/auth/token", json=body_of(**RIGHT_PIN))).status_code == 200


async def test_a_user_name_is_locked_whatever_its_case(app, clock):
    for n, name in enumerate(["alice", "ALICE", "Alice", " alice", "aLiCe"]):
        async with from_address(app, f"10.9.5.{n}") as http:
            assert (await http.post("/api/auth/token", json=body_of(type=3, user=name, pwd="x"))).status_code == 401
    async with from_address(app, "10.9.5.100") as http:
        locked = await http.post("/api/auth/token", json=body_of(type=3, user="alice", pwd="alice-pw"))
        assert locked.status_code == 429 and reason(locked) == "locked_out"


async def test_a_lockout_survives_nothing_but_time(app, clock, tmp_path):
    """The counts are in the database: a second app on the same data keeps the lock of the card
    and the wait of the address."""
    from station.server.app import ServerSettings, create_app

    settings = ServerSettings(db=str(tmp_path / "station.db"), clock=clock)
    first = create_app(settings)
    async with from_address(first, "10.9.6.1") as http:
        for _ in range(6):
            await http.post("/api/auth/token", json=body_of(pin="0000", type=2))
    async with from_address(first, "10.9.6.2") as http:
        for _ in range(5):
            await http.post("/api/auth/token", json=body_of(card="04A1B2C3", pin="0000", type=4))
    first.state.store.close()
    second = create_app(settings)
    try:
        async with from_address(second, "10.9.6.1") as http:
            assert (await http.post("/api/auth/token", json=body_of(**RIGHT_PIN))).status_code == 429
        async with from_address(second, "10.9.6.3") as http:
            card = body_of(card="04A1B2C3", pin="1234", type=4)
            assert (await http.post("/api/auth/token", json=card)).status_code == 429
            clock.advance(seconds=1)  # the address's wait is over; the card's lock is not
            async with from_address(second, "10.9.6.1") as kiosk:
                assert (await kiosk.post("/api/auth/token", json=body_of(**RIGHT_PIN))).status_code == 200
            assert (await http.post("/api/auth/token", json=card)).status_code == 429
    finally:
        second.state.store.close()


# --- untrusted text is kept as it was sent ----------------------------------------------------


@pytest.mark.parametrize("text", ["Ã© asked at the desk", "Zoë asked", "[bold]paid[/] \u202e", "plain"])
async def test_a_reason_is_recorded_exactly_as_sent(http, bearer, app, text):
    """The header is decoded from UTF-8 once: text that looks like mojibake stays as it is."""
    headers = await bearer(http, user="carol", pwd="carol-pw")
    headers["X-Station-Reason"] = text.encode("utf-8")
    response = await http.patch(f"{API}/jobs/{JOB}", json={"favorite": True}, headers=headers)
    assert response.status_code == 200, response.text
    entries = (await http.get(f"{API}/audit", headers=headers)).json()["entries"]
    assert entries[0]["reason"] == text
