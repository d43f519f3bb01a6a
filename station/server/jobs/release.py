"""Releasing: jobs go to print, charged once, all or nothing (contract 4.5).

Every check runs before anything changes, in the one transaction that then charges the accounts,
moves the jobs to `processing` with their print-done time, and audits one entry per account.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from station.api import models as m
from station.api.models import Reason
from station.server import printing
from station.server.auth import Principal
from station.server.errors import Problem
from station.server.jobs.audit import record
from station.server.jobs.rows import fetch_jobs, job_model
from station.server.jobs.rules import (
    ITEM_MESSAGES,
    accounts_of,
    may_charge_project,
    owner_named,
    refuse,
    require_reason,
    too_big,
)
from station.server.pricing import from_cents, prices_from
from station.server.print_options import PrintOptions, printed
from station.server.store import Store
from station.server.times import to_us


def release(
    store: Store, p: Principal, req: m.ProcessRequest, reason: str | None,
    options: Mapping[int, PrintOptions] | None = None,
) -> dict[str, Any]:
    """Release jobs: all or nothing, charged once, in one transaction.

    `options` says how some jobs print (a release at a printer): each such job is priced, charged
    and stored as it prints (sides, black and white, copies); the others print as they stand.
    """
    ids = list(dict.fromkeys(req.job_ids))
    now_us = to_us(store.settings.now())
    with store.tx() as db:
        owner = owner_named(db, p, req.owner, what="release")
        owner_id = owner["id"]
        require_reason(p, {owner_id}, reason)
        rows = fetch_jobs(db, ids)
        missing = [
            {"reason": "not_found", "id": i}
            for i in ids
            if rows.get(i) is None or rows[i]["owner_id"] != owner_id
        ]
        if missing:
            raise refuse(missing, ITEM_MESSAGES)
        if req.project_id and not may_charge_project(db, owner_id, req.project_id):
            raise Problem(
                400, Reason.UNKNOWN_PROJECT, ITEM_MESSAGES["unknown_project"][1],
                projectId=req.project_id,
            )
        accounts = accounts_of(db, owner_id)
        if req.account is not None and req.account not in accounts:
            raise Problem(
                400, Reason.UNKNOWN_ACCOUNT, ITEM_MESSAGES["unknown_account"][1],
                account=req.account[:200],
            )
        bad_state: list[dict[str, Any]] = []
        for i in ids:
            row = rows[i]
            if row["state"] == "ready" or (row["state"] == "printed" and row["favorite"]):
                continue
            if row["state"] == "paused" or row["interaction"]:
                bad_state.append({"reason": "interaction_pending", "id": i, "state": row["state"]})
            else:
                bad_state.append({"reason": "job_state", "id": i, "state": row["state"]})
        if bad_state:
            raise refuse(bad_state, ITEM_MESSAGES)
        project_of = {i: rows[i]["project_id"] or req.project_id for i in ids}
        if owner["project_required"]:
            lacking = [{"reason": "project_required", "id": i} for i in ids if not project_of[i]]
            if lacking:
                raise refuse(lacking, ITEM_MESSAGES)
        account_of: dict[int, str | None] = {
            i: req.account or rows[i]["account"] or owner["default_account"] for i in ids
        }
        unknown = [
            {"reason": "unknown_account", "id": i, "account": account_of[i]}
            for i in ids
            if account_of[i] not in accounts
        ]
        if unknown:
            messages = dict(ITEM_MESSAGES)
            messages["unknown_account"] = (
                400,
                "There is no account to charge: choose one of the owner's accounts.",
            )
            raise refuse(unknown, messages)
        prices = prices_from(store.settings)
        printed_as = {
            i: printed(
                duplex=bool(rows[i]["duplex"]), color=bool(rows[i]["color"]),
                page_count=rows[i]["page_count"], color_count=rows[i]["color_count"],
                copies=rows[i]["copies"], cost_cents=rows[i]["cost_cents"],
                options=(options or {}).get(i), prices=prices,
            )
            for i in ids
        }
        refused = too_big(
            store.settings.max_job_pages, {i: rows[i]["page_count"] * printed_as[i].copies for i in ids},
            "releaseOptions.copies" if options else "jobIds",
        )
        if refused:
            raise refused
        sums: dict[str, int] = defaultdict(int)
        for i in ids:
            account = account_of[i]
            assert account is not None  # a job without an account was refused above
            sums[account] += printed_as[i].cost_cents
        for account_id, required in sums.items():
            balance = accounts[account_id]["balance_cents"]
            if balance is not None and required > balance:
                raise Problem(
                    402,
                    Reason.INSUFFICIENT_CREDIT,
                    f"Not enough credit: this costs {from_cents(required)} "
                    f"{accounts[account_id]['currency']} and "
                    f"{accounts[account_id]['name']} holds {from_cents(balance)}.",
                    required=float(from_cents(required)),
                    balance=float(from_cents(balance)),
                    account=account_id,
                )
        # Everything checked: charge and move to processing, in this one transaction.
        for account_id, required in sums.items():
            changed = db.execute(
                "UPDATE accounts SET balance_cents = balance_cents - ? WHERE user_id = ? AND id = ?"
                " AND (balance_cents IS NULL OR balance_cents >= ?)",
                (required, owner_id, account_id, required),
            ).rowcount
            if changed != 1:  # cannot happen: checked above in this same transaction
                raise RuntimeError("the balance changed during the release")
        for i in ids:
            row, job = rows[i], printed_as[i]
            done_us = printing.schedule(db, row["queue"], row["page_count"] * job.copies, now_us)
            db.execute(
                "UPDATE jobs SET state = 'processing', project_id = ?, account = ?,"
                " duplex = ?, color = ?, color_count = ?, copies = ?, cost_cents = ?,"
                " charged_cents = ?, charged_account = ?, print_done_us = ?, interaction = 0,"
                " version = version + 1 WHERE id = ?",
                (project_of[i], account_of[i], int(job.duplex), int(job.color), job.color_count,
                 job.copies, job.cost_cents, job.cost_cents, account_of[i], done_us, i),
            )
        for account_id, required in sums.items():
            record(
                db, p, "release", owner_id=owner_id, owner=owner["username"],
                job_ids=[i for i in ids if account_of[i] == account_id], amount_cents=required,
                account=account_id, project_id=req.project_id, reason=reason,
            )
        after = fetch_jobs(db, ids)
        balances = {
            a["id"]: a["balance_cents"]
            for a in db.all("SELECT * FROM accounts WHERE user_id = ?", (owner_id,))
        }
    first_account = account_of[ids[0]]
    result: dict[str, Any] = {
        "jobs": [job_model(after[i]) for i in ids],
        "count": len(ids),
        "charged": from_cents(sum(sums.values())),
        "balance": (
            None if balances[first_account] is None else from_cents(balances[first_account])
        ),
    }
    if len(sums) > 1:
        result["charges"] = [
            {
                "account": account_id,
                "amount": float(from_cents(required)),
                "balance": (
                    None if balances[account_id] is None else float(from_cents(balances[account_id]))
                ),
            }
            for account_id, required in sums.items()
        ]
    return result
