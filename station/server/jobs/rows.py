"""Rows of the database as contract models: a job, a user with accounts, an audit entry."""

from __future__ import annotations

import json
import sqlite3
import threading

from pydantic import TypeAdapter

from station.api import models as m
from station.server.pricing import from_cents
from station.server.store import Tx
from station.server.times import from_us

JOB_SELECT = (
    "SELECT j.*, u.username AS owner_name FROM jobs j JOIN users u ON u.id = j.owner_id"
)
"""A job row with its owner's user name (`owner_name`), as `job_model` reads it."""
PENDING = ("ready", "paused")
ALL_STATES = tuple(state.value for state in m.JobStateName)


def fetch_jobs(db: Tx, ids: list[int]) -> dict[int, sqlite3.Row]:
    """The rows of these jobs by id (missing ids are simply absent)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.all(f"{JOB_SELECT} WHERE j.id IN ({marks})", ids)
    return {row["id"]: row for row in rows}


def job_model(row: sqlite3.Row) -> m.Job:
    """The job of a row. Not validated: the server wrote the row itself (FastAPI checks what a
    route answers against its response model in any case)."""
    submitted = from_us(row["submitted_us"]).replace(microsecond=0)
    expires = row["expires_us"]
    return m.Job.model_construct(
        id=row["id"],
        name=row["name"],
        date=submitted.date().isoformat(),
        date_time=submitted,
        favorite=bool(row["favorite"]),
        cost=from_cents(row["cost_cents"]),
        duplex=bool(row["duplex"]),
        color=bool(row["color"]),
        page_count=row["page_count"],
        color_count=row["color_count"],
        copies=row["copies"],
        paper=m.Paper(state=row["paper_state"]) if row["paper_state"] is not None else None,
        state=row["state"],
        owner_id=row["owner_id"],
        owner=row["owner_name"],
        project_id=row["project_id"],
        account=row["account"],
        queue=row["queue"],
        size=row["size"],
        expires_at=(
            from_us(expires).replace(microsecond=0)
            if expires is not None and row["state"] in PENDING
            else None
        ),
        interaction=bool(row["interaction"]),
    )


_JOB = TypeAdapter(m.Job)


KEY_SELECT = "SELECT j.id, j.version, j.submitted_us FROM jobs j"
"""What names a job's JSON in `Store.job_json`: its id and version (a trigger bumps `version` on
every change of the row), and its submitted time (a reset from another process may give an id and
version to a new job)."""
JSON_KEPT = 20_000
"""Jobs whose JSON a store keeps at most (the oldest go first)."""
_keeping = threading.Lock()


def jobs_json(db: Tx, keys: list[sqlite3.Row]) -> list[bytes]:
    """The wire JSON of the jobs `keys` name (rows of `KEY_SELECT`), in that order: kept ones
    from `db.store.job_json`, the others read in this transaction, serialised once and kept."""
    kept = db.store.job_json
    wanted = [(key[0], key[1], key[2]) for key in keys]
    found = [kept.get(key) for key in wanted]
    missing = [key[0] for key, text in zip(wanted, found, strict=True) if text is None]
    if not missing:
        return found  # type: ignore[return-value]  # none is None
    made = {
        job_id: _JOB.dump_json(job_model(row), by_alias=True)
        for job_id, row in fetch_jobs(db, missing).items()
    }
    with _keeping:
        for key in wanted:
            if key[0] in made:
                kept[key] = made[key[0]]
        while len(kept) > JSON_KEPT:
            del kept[next(iter(kept))]
    return [text if text is not None else made[key[0]] for key, text in zip(wanted, found, strict=True)]


def user_model(db: Tx, row: sqlite3.Row) -> m.User:
    accounts = [
        m.Account(
            id=a["id"],
            type=a["type"],
            name=a["name"],
            balance=None if a["balance_cents"] is None else from_cents(a["balance_cents"]),
            currency=a["currency"],
        )
        for a in db.all(
            "SELECT * FROM accounts WHERE user_id = ? ORDER BY position, id", (row["id"],)
        )
    ]
    return m.User(
        id=row["id"],
        username=row["username"],
        full_name=row["full_name"],
        email=row["email"],
        language=row["language"],
        role=row["role"],
        accounting=row["accounting"],
        project_required=bool(row["project_required"]),
        default_account=row["default_account"],
        accounts=accounts,
    )


def audit_model(row: sqlite3.Row) -> m.AuditEntry:
    extra = {}
    if row["previous_owner_id"] is not None:
        extra["previousOwnerId"] = row["previous_owner_id"]
    return m.AuditEntry(
        **extra,
        id=row["id"],
        at=from_us(row["at_us"]).replace(microsecond=0),
        action=row["action"],
        actor_id=row["actor_id"],
        actor=row["actor"],
        owner_id=row["owner_id"],
        owner=row["owner"],
        job_ids=json.loads(row["job_ids"]),
        amount=None if row["amount_cents"] is None else from_cents(row["amount_cents"]),
        account=row["account"],
        project_id=row["project_id"],
        reason=row["reason"],
    )
