"""Changing jobs: a patch of one or many (favourite, project, account, owner), and cancelling.

Each runs in one transaction and checks everything before it changes anything: a refused
request changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from station.api import models as m
from station.server.auth import Principal
from station.server.jobs.audit import record
from station.server.jobs.rows import PENDING, fetch_jobs, job_model
from station.server.jobs.rules import (
    ITEM_MESSAGES,
    accounts_of,
    may_charge_project,
    refuse,
    require_reason,
    user_row,
    visible,
)
from station.server.store import Store, Tx


def patch_jobs(
    store: Store, p: Principal, items: list[m.JobsPatchItem], reason: str | None
) -> list[m.Job]:
    """PATCH one or many jobs: all or nothing."""
    ids = [item.id for item in items]
    with store.tx() as db:
        rows = fetch_jobs(db, ids)
        require_reason(
            p, {rows[i]["owner_id"] for i in ids if visible(p, rows.get(i))}, reason
        )
        failures: list[dict[str, Any]] = []
        plans: list[tuple[sqlite3.Row, dict[str, Any], int | None]] = []
        for item in items:
            row = rows.get(item.id)
            if row is None or not visible(p, row):
                failures.append({"reason": "not_found", "id": item.id})
                continue
            failure, changes, previous_owner = _plan_patch(db, p, row, item)
            if failure:
                failures.append({"id": item.id, **failure})
            elif changes:
                plans.append((row, changes, previous_owner))
        if failures:
            raise refuse(failures, ITEM_MESSAGES)
        for row, changes, previous_owner in plans:
            sets = ", ".join(f"{column} = ?" for column in changes)
            db.execute(
                f"UPDATE jobs SET {sets}, version = version + 1 WHERE id = ?",
                [*changes.values(), row["id"]],
            )
            after = fetch_jobs(db, [row["id"]])[row["id"]]
            record(
                db, p, "update", owner_id=after["owner_id"], owner=after["owner_name"],
                previous_owner_id=previous_owner, job_ids=[row["id"]], account=after["account"],
                project_id=after["project_id"], reason=reason,
            )
        after_rows = fetch_jobs(db, ids)
    return [job_model(after_rows[i]) for i in dict.fromkeys(ids)]


def _plan_patch(
    db: Tx, p: Principal, row: sqlite3.Row, item: m.JobsPatchItem
) -> tuple[dict[str, Any] | None, dict[str, Any], int | None]:
    """(failure, column changes, previous owner id) of one patch item."""
    changes: dict[str, Any] = {}
    owner_id = row["owner_id"]
    previous_owner = None
    if item.owner_id is not None and item.owner_id != owner_id:
        if not p.may_act_for_others:
            return {"reason": "not_allowed"}, {}, None
        if user_row(db, item.owner_id) is None:
            return {"reason": "unknown_user", "ownerId": item.owner_id}, {}, None
        previous_owner, owner_id = owner_id, item.owner_id
        changes["owner_id"] = owner_id
    accounts = accounts_of(db, owner_id)
    if item.favorite is not None and int(item.favorite) != row["favorite"]:
        changes["favorite"] = int(item.favorite)
    if item.project_id is not None and item.project_id != row["project_id"]:
        changes["project_id"] = item.project_id
    elif previous_owner is not None and row["project_id"] and not may_charge_project(
        db, owner_id, row["project_id"]
    ):
        changes["project_id"] = 0  # the new owner may not charge the old project
    if item.account is not None and item.account != row["account"]:
        changes["account"] = item.account
    elif previous_owner is not None and row["account"] and row["account"] not in accounts:
        changes["account"] = None  # the old owner's account: back to the new owner's default
    state = row["state"]
    if changes and (
        state in ("processing", "canceled", "expired")
        or (state in ("printed", "failed") and set(changes) - {"favorite"})
    ):
        return {"reason": "job_state", "state": state}, {}, None
    if item.project_id and not may_charge_project(db, owner_id, item.project_id):
        return {"reason": "unknown_project", "projectId": item.project_id}, {}, None
    if item.account is not None and item.account not in accounts:
        return {"reason": "unknown_account", "account": item.account[:200]}, {}, None
    return None, changes, previous_owner


def cancel_jobs(store: Store, p: Principal, ids: list[int], reason: str | None) -> list[m.Job]:
    """Mark jobs canceled: all or nothing. Already canceled (or expired) jobs are fine."""
    ids = list(dict.fromkeys(ids))
    with store.tx() as db:
        rows = fetch_jobs(db, ids)
        require_reason(
            p, {rows[i]["owner_id"] for i in ids if visible(p, rows.get(i))}, reason
        )
        failures: list[dict[str, Any]] = []
        to_cancel: list[sqlite3.Row] = []
        for job_id in ids:
            row = rows.get(job_id)
            if row is None or not visible(p, row):
                failures.append({"reason": "not_found", "id": job_id})
            elif row["state"] in PENDING:
                to_cancel.append(row)
            elif row["state"] not in ("canceled", "expired"):
                failures.append({"reason": "job_state", "id": job_id, "state": row["state"]})
        if failures:
            messages = dict(ITEM_MESSAGES)
            messages["job_state"] = (409, "A job that is printing or printed cannot be canceled.")
            raise refuse(failures, messages)
        by_owner: dict[int, list[sqlite3.Row]] = defaultdict(list)
        for row in to_cancel:
            db.execute(
                "UPDATE jobs SET state = 'canceled', interaction = 0, version = version + 1"
                " WHERE id = ?",
                (row["id"],),
            )
            by_owner[row["owner_id"]].append(row)
        for owner_id, owned in by_owner.items():
            record(
                db, p, "cancel", owner_id=owner_id, owner=owned[0]["owner_name"],
                job_ids=[row["id"] for row in owned], reason=reason,
            )
        after = fetch_jobs(db, ids)
    return [job_model(after[i]) for i in ids]
