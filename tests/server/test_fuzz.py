"""Generated requests from the server's own OpenAPI document (schemathesis).

Every answer must be documented: never a 500, a status the document lists for that call, a body
that matches the documented schema (the error body included: `{code, message, data: [{reason}]}`
with a reason word of the contract), the documented headers (`WWW-Authenticate` on 401,
`Retry-After` on 429), an `Allow` header that names every method of the path on 405, and no
call that declares the bearer scheme answering 2xx without a good token (`ignored_auth`).

Tried as a person (alice) and as the helpdesk (carol, with a reason), so most rules are
reached; the examples are few to keep the run short (raise `max_examples` to search harder).
Vendor mode's own document is fuzzed the same way: its errors carry `data: []`.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from station.api.models import LoginInfo, Reason, TokenRequest
from station.server import auth
from station.server.app import ServerSettings, create_app

LOGINS = {
    "alice": LoginInfo(type=2, pin="1234"),
    "carol": LoginInfo(type=3, user="carol", pwd="carol-pw"),
}

# A request the schema calls valid may still break a rule the schema cannot say: a job named
# twice in one PATCH, an owner or queue name that does not exist, more colour pages than pages,
# a balance too small. Those answers are 400/402/422 with a reason word; everything else that a
# valid request may get is schemathesis' default list.
CONFIG = SchemathesisConfig.from_dict({
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "400", "401", "402", "403", "404", "409", "422", "429"],
        },
    },
})
# Vendor mode answers a validation error 400 and a lockout 401.
VENDOR_CONFIG = SchemathesisConfig.from_dict({
    "checks": {
        "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "402", "403", "404", "409"]},
    },
})


@pytest.fixture
def fuzzed_app(clock):
    app = create_app(ServerSettings(clock=clock))
    yield app
    app.state.store.close()


@pytest.fixture
def fuzzed_schema(fuzzed_app):
    return schemathesis.openapi.from_asgi("/api/openapi.json", fuzzed_app, config=CONFIG)


@pytest.fixture
def vendor_app(clock):
    app = create_app(ServerSettings(clock=clock, api="vendor"))
    yield app
    app.state.store.close()


@pytest.fixture
def vendor_schema(vendor_app):
    return schemathesis.openapi.from_asgi("/api/openapi.json", vendor_app, config=VENDOR_CONFIG)


def headers_of_each_login(app) -> list[dict[str, str]]:
    """Headers of each login, alice's and carol's."""
    headers = []
    for login in LOGINS.values():
        grant = TokenRequest(
            grant_type="login_info", client_id="station-demo", client_secret="station-demo-secret",
            scope="jobs users offline.access", login_info=login,
        )
        token = auth.token_grant(app.state.store, grant, "127.0.0.1")["access_token"]
        headers.append({"Authorization": f"Bearer {token}", "X-Station-Reason": "generated request"})
    return headers


@pytest.fixture
def fuzz_headers(fuzzed_app):
    return headers_of_each_login(fuzzed_app)


@pytest.fixture
def vendor_headers(vendor_app):
    return headers_of_each_login(vendor_app)


schema = schemathesis.pytest.from_fixture("fuzzed_schema")
vendor = schemathesis.pytest.from_fixture("vendor_schema")


def sent_headers(case, login: dict[str, str]) -> dict[str, str]:
    """The login's headers, unless the case breaks its headers on purpose (a missing or
    malformed Authorization): then the case's own Authorization goes out, and must be refused."""
    component = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    if component is not None and component.mode.is_negative:
        return {name: value for name, value in login.items() if name != "Authorization"}
    return login


@schema.parametrize()
@settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_get_documented_answers(case, fuzz_headers):
    for login in fuzz_headers:
        headers = sent_headers(case, login)
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.path, response.text[:300])
        case.validate_response(response, headers=headers)
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"code", "message", "data"}
            assert body["data"][0]["reason"] in set(Reason)


@vendor.parametrize()
@settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_vendor_mode_requests_get_documented_answers(case, vendor_headers):
    for login in vendor_headers:
        headers = sent_headers(case, login)
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.path, response.text[:300])
        case.validate_response(response, headers=headers)
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"code", "message", "data"} and body["data"] == []


def test_the_document_describes_every_error_body_and_the_bearer_scheme(fuzzed_app):
    """Not FastAPI's default 422 body (`detail`), which this server never sends."""
    document = fuzzed_app.openapi()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    schema_ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert schema_ref.endswith("/ErrorResponse"), (method, path, status)
            assert "500" in operation["responses"] and "503" in operation["responses"]
            if path.startswith("/api/v3/"):
                assert operation["security"] == [{"bearer": []}], (method, path)
                assert "401" in operation["responses"] and "403" in operation["responses"]
