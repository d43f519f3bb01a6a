"""Generated requests from the server's own OpenAPI document (schemathesis): never a 500.

Tried as a person (alice) and as the helpdesk (carol, with a reason), so most rules are
reached; the examples are few to keep the run short (raise `max_examples` to search harder).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from station.api.models import LoginInfo, TokenRequest
from station.server import auth
from station.server.app import ServerSettings, create_app

LOGINS = {
    "alice": LoginInfo(type=2, pin="1234"),
    "carol": LoginInfo(type=3, user="carol", pwd="carol-pw"),
}


@pytest.fixture
def fuzzed_app(clock):
    app = create_app(ServerSettings(clock=clock))
    yield app
    app.state.store.close()


@pytest.fixture
def fuzzed_schema(fuzzed_app):
    return schemathesis.openapi.from_asgi("/api/openapi.json", fuzzed_app)


@pytest.fixture
def fuzz_headers(fuzzed_app):
    """Headers of each login, alice's and carol's."""
    headers = []
    for login in LOGINS.values():
        grant = TokenRequest(
            grant_type="login_info", client_id="station-demo", client_secret="station-demo-secret",
            scope="jobs users offline.access", login_info=login,
        )
        token = auth.token_grant(fuzzed_app.state.store, grant, "127.0.0.1")["access_token"]
        headers.append({"Authorization": f"Bearer {token}", "X-Station-Reason": "generated request"})
    return headers


schema = schemathesis.pytest.from_fixture("fuzzed_schema")


@schema.parametrize()
@settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_never_get_a_server_error(case, fuzz_headers):
    for headers in fuzz_headers:
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.path, response.text[:300])
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"code", "message", "data"}
            assert body["data"][0]["reason"]
