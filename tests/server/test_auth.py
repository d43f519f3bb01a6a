"""Authentication (contract 2): grants, login types, lockout, expiry, revoke, scopes, roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.api.models import Token
from station.server.app import ServerSettings, create_app

from .support import API, CLIENT_ID, CLIENT_SECRET, reason


@pytest.mark.parametrize(
    ("parts", "username"),
    [
        ({"card": "04A1B2C3"}, "alice"),
        ({"pin": "1234"}, "alice"),
        ({"user": "alice", "pwd": "alice-pw"}, "alice"),
        ({"card": "04A1B2C3", "pin": "1234"}, "alice"),
        ({"card": "04A1B2C3", "pwd": "alice-pw"}, "alice"),
        ({"card": "04b0b0b0"}, "bob"),
        ({"pin": "5678"}, "bob"),
        ({"user": "carol", "pwd": "carol-pw"}, "carol"),
        ({"user": "CAROL", "pwd": "carol-pw"}, "carol"),
        ({"pin": "9012"}, "dave"),
    ],
)
async def test_login_info_types_1_to_5(http, parts, username, token_body):
    response = await http.post("/api/auth/token", json=token_body(**parts))
    assert response.status_code == 200, response.text
    token = Token.model_validate(response.json())
    assert token.token_type == "Bearer"
    assert token.expires_in == 1800
    assert token.refresh_token
    me = await http.get(f"{API}/users/me", headers={"Authorization": f"Bearer {token.access_token}"})
    assert me.status_code == 200
    assert me.json()["username"] == username


async def test_token_response_has_no_refresh_token_without_offline_access(http, token_body):
    response = await http.post("/api/auth/token", json=token_body("jobs", pin="1234"))
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == "jobs"
    assert "refresh_token" not in body
    assert response.headers["cache-control"] == "no-store"


async def test_scope_not_granted_to_a_user_is_left_out(http, token_body):
    response = await http.post("/api/auth/token", json=token_body("jobs users offline.access", pin="1234"))
    assert response.status_code == 200
    assert response.json()["scope"] == "jobs offline.access"


async def test_helpdesk_is_granted_scope_users(http, token_body):
    response = await http.post(
        "/api/auth/token", json=token_body("jobs users offline.access", user="carol", pwd="carol-pw")
    )
    assert response.json()["scope"] == "jobs users offline.access"


@pytest.mark.parametrize(
    "parts",
    [
        {"pin": "0000"},
        {"card": "DEADBEEF"},
        {"user": "alice", "pwd": "wrong"},
        {"user": "nobody", "pwd": "alice-pw"},
        {"user": "bob", "pwd": "anything"},  # bob has no password
        {"card": "04A1B2C3", "pin": "5678"},  # bob's PIN with alice's card
        {"card": "04A1B2C3", "pwd": "carol-pw"},
    ],
)
async def test_invalid_login_same_message_whichever_part_was_wrong(http, parts, token_body):
    response = await http.post("/api/auth/token", json=token_body(**parts))
    assert response.status_code == 401
    assert reason(response) == "invalid_login"
    assert response.json()["message"] == "That login was not recognised. Check it and try again."


async def test_invalid_client_secret(http, token_body):
    body = token_body(pin="1234")
    body["client_secret"] = "guess"
    response = await http.post("/api/auth/token", json=body)
    assert response.status_code == 401
    assert reason(response) == "invalid_client"


async def test_invalid_client_id(http, token_body):
    body = token_body(pin="1234")
    body["client_id"] = "someone-else"
    response = await http.post("/api/auth/token", json=body)
    assert response.status_code == 401
    assert reason(response) == "invalid_client"


async def test_login_field_missing_for_its_type_is_a_validation_error(http, token_body):
    body = token_body(pin="1234")
    body["login_info"] = {"type": 4, "card": "04A1B2C3"}
    response = await http.post("/api/auth/token", json=body)
    assert response.status_code == 422
    assert reason(response) == "validation"
    assert "login_info.pin" in response.json()["message"]


async def test_client_credentials_grant_is_an_application(http):
    response = await http.post(
        "/api/auth/token",
        json={"grant_type": "client_credentials", "client_id": CLIENT_ID,
              "client_secret": CLIENT_SECRET, "scope": "jobs users offline.access"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == "jobs users"
    assert "refresh_token" not in body
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    users = await http.get(f"{API}/users", headers=headers)
    assert users.status_code == 200
    assert users.json()["count"] == 4
    me = await http.get(f"{API}/users/me", headers=headers)
    assert me.status_code == 403
    assert reason(me) == "not_allowed"


# --- lockout ----------------------------------------------------------------------------------


async def test_locked_out_after_5_failures_even_when_right(http, clock, token_body):
    for _ in range(5):  # the vendor's lock of a named identity: here alice's card
        response = await http.post("/api/auth/token", json=token_body(card="04A1B2C3", pin="0000"))
        assert response.status_code == 401
        assert reason(response) == "invalid_login"
    clock.advance(minutes=1)
    right = await http.post("/api/auth/token", json=token_body(card="04A1B2C3", pin="1234"))
    assert right.status_code == 429
    assert reason(right) == "locked_out"
    retry = int(right.headers["Retry-After"])
    assert 0 < retry <= 15 * 60
    assert retry == 14 * 60
    assert right.json()["data"][0]["retryAfter"] == retry


async def test_locked_out_ends_when_the_window_has_passed(http, clock, token_body):
    for _ in range(5):
        await http.post("/api/auth/token", json=token_body(card="04A1B2C3", pwd="wrong"))
    assert (await http.post("/api/auth/token", json=token_body(card="04A1B2C3"))).status_code == 429
    clock.advance(minutes=14, seconds=59)
    assert (await http.post("/api/auth/token", json=token_body(card="04A1B2C3"))).status_code == 429
    clock.advance(seconds=2)
    assert (await http.post("/api/auth/token", json=token_body(card="04A1B2C3"))).status_code == 200


async def test_locked_out_needs_5_failures_within_the_window(http, clock, token_body):
    for _ in range(4):
        await http.post("/api/auth/token", json=token_body(pin="0000"))
    clock.advance(minutes=16)
    await http.post("/api/auth/token", json=token_body(pin="0000"))
    assert (await http.post("/api/auth/token", json=token_body(pin="1234"))).status_code == 200


async def test_locked_out_by_user_name_from_any_address(app, clock, token_body):
    import httpx

    async def from_address(host: str, body: dict) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(host, 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://station.test") as c:
            return await c.post("/api/auth/token", json=body)

    for n in range(5):
        response = await from_address(f"10.0.0.{n}", token_body(user="alice", pwd="nope"))
        assert reason(response) == "invalid_login"
    locked = await from_address("10.0.0.99", token_body(user="alice", pwd="alice-pw"))
    assert locked.status_code == 429
    assert reason(locked) == "locked_out"
    assert "Retry-After" in locked.headers
    # Another way in for alice, from another address, is not locked: only that name is.
    assert (await from_address("10.0.0.98", token_body(pin="1234"))).status_code == 200


async def test_locked_out_by_card(app, token_body):
    import httpx

    async def from_address(host: str, body: dict) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(host, 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://station.test") as c:
            return await c.post("/api/auth/token", json=body)

    for n in range(5):
        await from_address(f"10.0.1.{n}", token_body(card="04A1B2C3", pin="0000"))
    locked = await from_address("10.0.1.50", token_body(card="04A1B2C3", pin="1234"))
    assert locked.status_code == 429
    assert reason(locked) == "locked_out"


async def test_lockout_threshold_and_window_are_settings(clock, token_body):
    import httpx

    app = create_app(ServerSettings(clock=clock, lockout_threshold=2))
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://station.test"
        ) as http:
            for _ in range(2):
                await http.post("/api/auth/token", json=token_body(user="alice", pwd="nope"))
            locked = await http.post("/api/auth/token", json=token_body(user="alice", pwd="alice-pw"))
            assert locked.status_code == 429
            assert reason(locked) == "locked_out"
    finally:
        app.state.store.close()


# --- expiry, refresh, revoke ------------------------------------------------------------------


async def test_token_expired_after_token_ttl(http, clock, token):
    tok = await token(http)
    headers = {"Authorization": f"Bearer {tok}"}
    clock.advance(seconds=1799)
    assert (await http.get(f"{API}/jobs", headers=headers)).status_code == 200
    clock.advance(seconds=1)
    response = await http.get(f"{API}/jobs", headers=headers)
    assert response.status_code == 401
    assert reason(response) == "token_expired"
    assert "Bearer" in response.headers["WWW-Authenticate"]


async def test_refresh_token_gives_a_new_access_token(http, clock, login):
    first = await login(http, pin="1234")
    clock.advance(seconds=1900)
    response = await http.post(
        "/api/auth/token",
        json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
              "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scope"] == "jobs offline.access"
    assert body["access_token"] != first["access_token"]
    me = await http.get(f"{API}/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["username"] == "alice"


async def test_refresh_token_expired_after_refresh_ttl(http, clock, login):
    first = await login(http, pin="1234")
    clock.advance(hours=12, seconds=1)
    response = await http.post(
        "/api/auth/token",
        json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
              "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    assert response.status_code == 401
    assert reason(response) == "token_expired"


async def test_revoke_makes_refresh_an_invalid_token(http, login):
    first = await login(http, pin="1234")
    revoked = await http.post("/api/auth/revoke", json={
        "token": first["refresh_token"], "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert revoked.status_code == 200
    refresh = await http.post(
        "/api/auth/token",
        json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
              "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    assert refresh.status_code == 401
    assert reason(refresh) == "invalid_token"
    # The session is over: its access token is refused too.
    jobs = await http.get(f"{API}/jobs", headers={"Authorization": f"Bearer {first['access_token']}"})
    assert jobs.status_code == 401
    assert reason(jobs) == "invalid_token"


async def test_revoke_of_an_unknown_token_is_fine(http):
    body = {"token": "not-a-token", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    assert (await http.post("/api/auth/revoke", json=body)).status_code == 200


@pytest.mark.parametrize(
    "header", [None, "", "Bearer", "Bearer ", "Basic YWxpY2U6YWxpY2UtcHc=", "Bearer not-a-token"]
)
async def test_invalid_token_without_a_good_bearer(http, header):
    headers = {} if header is None else {"Authorization": header}
    response = await http.get(f"{API}/jobs", headers=headers)
    assert response.status_code == 401
    assert reason(response) == "invalid_token"


async def test_refresh_with_a_garbage_token_is_invalid_token(http):
    response = await http.post(
        "/api/auth/token",
        json={"grant_type": "refresh_token", "refresh_token": "garbage",
              "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    assert response.status_code == 401
    assert reason(response) == "invalid_token"


# --- scopes and roles -------------------------------------------------------------------------


async def test_scope_missing_for_jobs_without_scope_jobs(http, token_body):
    tok = (await http.post("/api/auth/token", json=token_body("offline.access", pin="1234"))).json()
    assert tok["scope"] == "offline.access"
    headers = {"Authorization": f"Bearer {tok['access_token']}"}
    for path in ("/jobs", "/jobs/101", "/projects", "/users/me", "/audit"):
        response = await http.get(f"{API}{path}", headers=headers)
        assert response.status_code == 403, path
        assert reason(response) == "scope_missing", path


async def test_scope_missing_for_users_list_as_a_user(http, bearer):
    response = await http.get(f"{API}/users", headers=await bearer(http))
    assert response.status_code == 403
    assert reason(response) == "scope_missing"


async def test_scope_missing_for_helpdesk_without_scope_users(http, token_body):
    tok = await http.post("/api/auth/token", json=token_body("jobs", user="carol", pwd="carol-pw"))
    headers = {"Authorization": f"Bearer {tok.json()['access_token']}"}
    response = await http.get(f"{API}/users", headers=headers)
    assert response.status_code == 403
    assert reason(response) == "scope_missing"


async def test_no_secret_is_stored_in_plain_text(tmp_path: Path, clock, token_body):
    import httpx

    db = tmp_path / "station.db"
    app = create_app(ServerSettings(db=str(db), clock=clock))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://station.test"
    ) as http:
        tokens = []
        for parts in ({"pin": "1234"}, {"card": "04B0B0B0"}, {"user": "carol", "pwd": "carol-pw"}):
            response = await http.post("/api/auth/token", json=token_body(**parts))
            tokens += [response.json()["access_token"], response.json()["refresh_token"]]
    app.state.store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for secret in ["alice-pw", "carol-pw", "04A1B2C3", "04B0B0B0", *tokens]:
        assert secret.encode() not in raw, secret


async def test_refresh_never_outlives_the_session(http, clock, login):
    first = await login(http, pin="1234")
    clock.advance(hours=12, seconds=-600)  # 10 minutes of the session left
    response = await http.post(
        "/api/auth/token",
        json={"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
              "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    assert response.status_code == 200
    assert response.json()["expires_in"] == 600
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    clock.advance(seconds=600)
    expired = await http.get(f"{API}/jobs", headers=headers)
    assert expired.status_code == 401
    assert reason(expired) == "token_expired"
