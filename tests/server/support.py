"""Helpers of the server tests: demo ids, reading what the server now holds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from station.api.models import script_answer
from station.server.seed import ALICE, BOB, CAROL, DAVE  # noqa: F401 - re-exported

API = "/api/v3"
CLIENT_ID = "station-demo"
CLIENT_SECRET = "station-demo-secret"
DUPLEX = "-1052320151"


def store_of(app: Any):
    return app.state.store


def snapshot(app: Any) -> dict[str, list[tuple]]:
    """Everything the data set holds (not login sessions): to prove nothing changed."""
    tables = {
        "jobs": "SELECT * FROM jobs ORDER BY id",
        "accounts": "SELECT * FROM accounts ORDER BY user_id, id",
        "audit": "SELECT * FROM audit ORDER BY id",
        "users": "SELECT * FROM users ORDER BY id",
        "user_projects": "SELECT * FROM user_projects ORDER BY user_id, project_id",
    }
    with store_of(app).read() as db:
        return {name: [tuple(row) for row in db.all(sql)] for name, sql in tables.items()}


def job_row(app: Any, job_id: int) -> dict[str, Any]:
    with store_of(app).read() as db:
        row = db.one("SELECT * FROM jobs WHERE id = ?", (job_id,))
    assert row is not None, f"job {job_id} is not in the database"
    return dict(row)


def job_id(app: Any, name: str) -> int:
    with store_of(app).read() as db:
        value = db.scalar("SELECT id FROM jobs WHERE name = ?", (name,))
    assert value is not None, f"no job named {name!r}"
    return value


def pending_ids(app: Any, owner_id: int) -> list[int]:
    with store_of(app).read() as db:
        rows = db.all(
            "SELECT id FROM jobs WHERE owner_id = ? AND state IN ('ready', 'paused') ORDER BY id",
            (owner_id,),
        )
    return [row["id"] for row in rows]


def balance(app: Any, user_id: int, account: str = "credit") -> Decimal | None:
    with store_of(app).read() as db:
        cents = db.scalar(
            "SELECT balance_cents FROM accounts WHERE user_id = ? AND id = ?", (user_id, account)
        )
    return None if cents is None else Decimal(cents) / 100


def audit_rows(app: Any, action: str | None = None) -> list[dict[str, Any]]:
    sql, params = "SELECT * FROM audit", ()
    if action:
        sql, params = sql + " WHERE action = ?", (action,)
    with store_of(app).read() as db:
        return [dict(row) for row in db.all(sql + " ORDER BY id", params)]


def reason(response: Any) -> str:
    body = response.json()
    assert set(body) == {"code", "message", "data"}, body
    assert isinstance(body["message"], str) and body["message"], body
    assert body["data"] and isinstance(body["data"], list), body
    return body["data"][0]["reason"]


def spool_body(**changes: Any) -> dict[str, Any]:
    body = {
        "queue": "direct",
        "owner": "alice",
        "computer": "PC-ALICE",
        "name": "Meeting notes.pdf",
        "size": 52_000,
        "uuid": "5f0c1e0a-0000-4000-8000-000000000001",
        "jobInfo": {"pageCount": 3, "colorCount": 1, "copies": 1, "duplex": False},
    }
    body.update(changes)
    return body


async def answer_sides(http: Any, headers: dict[str, str], job_id: int, chosen: str) -> Any:
    """Ask a job's duplex question, then answer `chosen` ("duplex" or "simplex") with the state
    the question came with, as a client must (contract 4.6). The answer's response."""
    asked = await http.post(f"{API}/jobs/{job_id}/script", json={}, headers=headers)
    assert asked.status_code == 200, asked.text
    body = script_answer(DUPLEX, ["duplex", "simplex"], chosen, asked.json()["state"])
    return await http.post(f"{API}/jobs/{job_id}/script", json=body, headers=headers)
