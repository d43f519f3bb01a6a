"""Error bodies everywhere: unknown routes, wrong methods, unexpected failures; OpenAPI."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from station.server import jobs

from .support import API, reason


async def test_unknown_route_not_found(http):
    response = await http.get("/api/v3/printers")
    assert response.status_code == 404
    assert reason(response) == "not_found"
    assert response.json()["code"] == 404


async def test_wrong_method_is_405_with_an_error_body(http, bearer):
    response = await http.put(f"{API}/jobs/101", json={}, headers=await bearer(http))
    assert response.status_code == 405
    assert reason(response) == "bad_request"
    assert "PUT" in response.json()["message"]


async def test_unexpected_exception_is_server_error_without_a_traceback(http, bearer, monkeypatch, caplog):
    def boom(*args, **kwargs):
        raise RuntimeError(" ".join(["secret", "internals"]))  # (the source line is in the log)

    monkeypatch.setattr(jobs, "get_job", boom)
    with caplog.at_level(logging.ERROR, logger="station.server"):
        response = await http.get(f"{API}/jobs/101", headers=await bearer(http))
    assert response.status_code == 500
    assert reason(response) == "server_error"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert any("unexpected error" in r.getMessage() for r in caplog.records)
    assert "RuntimeError" in caplog.text
    assert "secret internals" not in caplog.text  # a message could quote a secret: never logged


async def test_busy_database_is_unavailable_with_retry_after(http, bearer, monkeypatch):
    def busy(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(jobs, "list_jobs_json", busy)
    response = await http.get(f"{API}/jobs", headers=await bearer(http))
    assert response.status_code == 503
    assert reason(response) == "unavailable"
    assert response.headers["Retry-After"] == "1"


async def test_no_token_is_refused_before_the_body_is_checked(http):
    response = await http.patch(f"{API}/jobs", json={"jobs": "all"})
    assert response.status_code == 401
    assert reason(response) == "invalid_token"


async def test_openapi_is_served(http):
    response = await http.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/auth/token", "/api/auth/revoke", "/api/v3/users/me", "/api/v3/users",
                 "/api/v3/projects", "/api/v3/jobs", "/api/v3/jobs/{job_id}",
                 "/api/v3/jobs/{job_id}/state", "/api/v3/jobs/delete", "/api/v3/jobs/client",
                 "/api/v3/jobs/process", "/api/v3/jobs/{job_id}/script", "/api/v3/audit"):
        assert path in paths, path
    docs = await http.get("/api/docs")
    assert docs.status_code == 200


@pytest.mark.parametrize("path", ["/", "/api"])
async def test_root_says_what_this_is(http, path):
    response = await http.get(path)
    assert response.status_code == 200
    assert response.json()["docs"] == "/api/docs"


async def test_no_secret_is_logged(http, token_body, caplog):
    with caplog.at_level(logging.DEBUG):
        good = await http.post("/api/auth/token", json=token_body(pin="1234"))
        await http.post("/api/auth/token", json=token_body(card="04A1B2C3", pwd="alice-pw"))
        await http.get(f"{API}/jobs", headers={"Authorization": f"Bearer {good.json()['access_token']}"})
    text = caplog.text
    for secret in ("1234", "04A1B2C3", "alice-pw", good.json()["access_token"], good.json()["refresh_token"]):
        assert secret not in text
