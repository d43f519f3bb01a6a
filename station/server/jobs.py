"""The rules of jobs (contract section 4): reading, changing, spooling, releasing, the dialog.

Each changing function runs in one transaction and checks everything before it changes
anything, so a refused request changes nothing. Another user's job answers exactly like a
missing one (404 `not_found`) unless the caller is helpdesk (or an application).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from station.api import models as m
from station.api.models import Reason
from station.server import dialogs, printing
from station.server.auth import Principal
from station.server.errors import Problem, not_found
from station.server.pricing import from_cents, job_cost, prices_from, to_cents
from station.server.print_options import PrintOptions, printed
from station.server.store import Store, Tx, from_us, seconds, to_us

JOB_SELECT = (
    "SELECT j.*, u.username AS owner_name FROM jobs j JOIN users u ON u.id = j.owner_id"
)
PENDING = ("ready", "paused")
ALL_STATES = tuple(state.value for state in m.JobStateName)
SORTS = {
    "dateTime": "j.submitted_us ASC, j.id ASC",
    "-dateTime": "j.submitted_us DESC, j.id DESC",
    "name": "j.name COLLATE NOCASE ASC, j.id ASC",
    "-name": "j.name COLLATE NOCASE DESC, j.id DESC",
    "cost": "j.cost_cents ASC, j.id ASC",
    "-cost": "j.cost_cents DESC, j.id DESC",
}


# --- converting rows to contract models ------------------------------------------------------


def job_model(row: sqlite3.Row) -> m.Job:
    submitted = from_us(row["submitted_us"]).replace(microsecond=0)
    expires = row["expires_us"]
    return m.Job(
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


# --- helpers --------------------------------------------------------------------------------


def _now_us(store: Store) -> int:
    return to_us(store.settings.now())


def _fetch(db: Tx, ids: list[int]) -> dict[int, sqlite3.Row]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.all(f"{JOB_SELECT} WHERE j.id IN ({marks})", ids)
    return {row["id"]: row for row in rows}


def _visible(p: Principal, row: sqlite3.Row | None) -> bool:
    return row is not None and (row["owner_id"] == p.user_id or p.may_act_for_others)


def _refuse(items: list[dict[str, Any]], messages: dict[str, tuple[int, str]]) -> Problem:
    """One Problem for per-job failures: the status and message of the first one."""
    first = items[0]["reason"]
    status, message = messages[first]
    if len(items) > 1:
        message = f"{message} ({len(items)} jobs could not be changed; nothing was changed.)"
    return Problem(status, Reason(first), message, items=items)


ITEM_MESSAGES: dict[str, tuple[int, str]] = {
    "not_found": (404, "There is no such job."),
    "not_allowed": (403, "Only the helpdesk may give a job to another user."),
    "unknown_user": (400, "There is no such user to give the job to."),
    "job_state": (409, "This job cannot be changed in its current state."),
    "interaction_pending": (409, "This job waits for an answer to its question first."),
    "project_required": (409, "Choose a project first: this user must charge every job to one."),
    "unknown_project": (400, "That project cannot be charged by the job's owner."),
    "unknown_account": (400, "That account is not one of the job owner's accounts."),
}


def require_reason(p: Principal, owner_ids: set[int], reason: str | None) -> None:
    """Whoever changes another user's job (a helpdesk person, an application) must say why
    (X-Station-Reason); the audit keeps it."""
    if not reason and any(o != p.user_id for o in owner_ids):
        raise Problem(
            400,
            Reason.REASON_REQUIRED,
            "Say why you change another user's job: send the reason in the "
            f"{m.REASON_HEADER} header.",
        )


def _user(db: Tx, user_id: int) -> sqlite3.Row | None:
    return db.one("SELECT * FROM users WHERE id = ?", (user_id,))


def _accounts(db: Tx, user_id: int) -> dict[str, sqlite3.Row]:
    return {
        a["id"]: a for a in db.all("SELECT * FROM accounts WHERE user_id = ?", (user_id,))
    }


def _may_charge_project(db: Tx, user_id: int, project_id: int) -> bool:
    return bool(
        db.scalar(
            "SELECT 1 FROM user_projects WHERE user_id = ? AND project_id = ?",
            (user_id, project_id),
        )
    )


def _actor(p: Principal) -> tuple[int | None, str]:
    return p.user_id, p.username


def _page(limit: int, start: int) -> tuple[int, int]:
    return max(0, min(limit, 500)), max(0, start)


# --- reading ----------------------------------------------------------------------------------


def list_jobs(
    store: Store,
    p: Principal,
    *,
    states: list[str] | None,
    favorite: bool | None,
    owner_id: int | None,
    search: str | None,
    sort: str,
    limit: int,
    start: int,
    all_owners: bool = False,
) -> m.JobList:
    """A page of jobs: the caller's, one owner's (helpdesk), or every owner's (`all_owners`).

    Profile extension `GET /v3/jobs?all=true` (helpdesk with scope `users`, or an application):
    the jobs of all owners, with the same `state`, `favorite`, `search`, `sort`, `limit` and
    `start` as ever; `ownerId` may not be given with it. The default order (`-dateTime`) walks
    the index `jobs_submitted` backwards and stops after `limit` rows, so a page of 100 among
    10,000 jobs costs as much as a page of 100 among 100; `count` is counted over the
    `jobs_owner_state`/`jobs_state_*` indexes.
    """
    where: list[str] = []
    params: list[Any] = []
    if all_owners:
        if owner_id is not None:
            raise Problem(
                422, Reason.VALIDATION,
                "The request is not valid: give 'all' or 'ownerId', not both.", field="all",
            )
        if not p.may_act_for_others:
            raise Problem(
                403, Reason.NOT_ALLOWED, "Only the helpdesk may list every user's jobs."
            )
    if owner_id is not None and owner_id != p.user_id:
        if not p.may_act_for_others:
            raise Problem(
                403, Reason.NOT_ALLOWED, "Only the helpdesk may list another user's jobs."
            )
    if owner_id is not None:
        where.append("j.owner_id = ?")
        params.append(owner_id)
    elif not all_owners and not (p.is_app and p.may_act_for_others):
        where.append("j.owner_id = ?")  # an application without `users` has no jobs to see
        params.append(p.user_id)
    if states is None:
        # The pending list; favourites (to print again) are shown in any state still there.
        states = (
            [s for s in ALL_STATES if s not in ("canceled", "expired")] if favorite else list(PENDING)
        )
    # Across owners, the newest-first page walks `jobs_submitted` (a unary + keeps the planner
    # off the state index, which would sort every pending job to return 100 of them).
    across = owner_id is None and (all_owners or (p.is_app and p.may_act_for_others))
    state_column = "+j.state" if across and sort in ("dateTime", "-dateTime") else "j.state"
    where.append(f"{state_column} IN ({','.join('?' * len(states))})")
    params.extend(states)
    if favorite is not None:
        where.append("j.favorite = ?")
        params.append(int(favorite))
    if search:
        where.append("instr(lower(j.name), lower(?)) > 0")
        params.append(search)
    clause = " WHERE " + " AND ".join(where)
    limit, start = _page(limit, start)
    with store.read() as db:
        count = db.scalar(
            f"SELECT COUNT(*) FROM jobs j{clause}", params
        )
        rows = db.all(
            f"{JOB_SELECT}{clause} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
            [*params, limit, start],
        )
    return m.JobList(jobs=[job_model(row) for row in rows], count=count)


def get_job(store: Store, p: Principal, job_id: int) -> m.Job:
    with store.read() as db:
        row = _fetch(db, [job_id]).get(job_id)
    if not _visible(p, row):
        raise not_found("job", id=job_id)
    return job_model(row)


# --- changing ---------------------------------------------------------------------------------


def patch_jobs(
    store: Store, p: Principal, items: list[m.JobsPatchItem], reason: str | None
) -> list[m.Job]:
    """PATCH one or many jobs: all or nothing."""
    ids = [item.id for item in items]
    with store.tx() as db:
        rows = _fetch(db, ids)
        require_reason(
            p, {rows[i]["owner_id"] for i in ids if _visible(p, rows.get(i))}, reason
        )
        failures: list[dict[str, Any]] = []
        plans: list[tuple[sqlite3.Row, dict[str, Any], int | None]] = []
        for item in items:
            row = rows.get(item.id)
            if not _visible(p, row):
                failures.append({"reason": "not_found", "id": item.id})
                continue
            failure, changes, previous_owner = _plan_patch(db, p, row, item)
            if failure:
                failures.append({"id": item.id, **failure})
            elif changes:
                plans.append((row, changes, previous_owner))
        if failures:
            raise _refuse(failures, ITEM_MESSAGES)
        actor_id, actor = _actor(p)
        for row, changes, previous_owner in plans:
            sets = ", ".join(f"{column} = ?" for column in changes)
            db.execute(
                f"UPDATE jobs SET {sets}, version = version + 1 WHERE id = ?",
                [*changes.values(), row["id"]],
            )
            after = _fetch(db, [row["id"]])[row["id"]]
            db.audit(
                action="update",
                actor_id=actor_id,
                actor=actor,
                owner_id=after["owner_id"],
                owner=after["owner_name"],
                previous_owner_id=previous_owner,
                job_ids=[row["id"]],
                account=after["account"],
                project_id=after["project_id"],
                reason=reason,
            )
        after_rows = _fetch(db, ids)
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
        if _user(db, item.owner_id) is None:
            return {"reason": "unknown_user", "ownerId": item.owner_id}, {}, None
        previous_owner, owner_id = owner_id, item.owner_id
        changes["owner_id"] = owner_id
    accounts = _accounts(db, owner_id)
    if item.favorite is not None and int(item.favorite) != row["favorite"]:
        changes["favorite"] = int(item.favorite)
    if item.project_id is not None and item.project_id != row["project_id"]:
        changes["project_id"] = item.project_id
    elif previous_owner is not None and row["project_id"] and not _may_charge_project(
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
    if item.project_id and not _may_charge_project(db, owner_id, item.project_id):
        return {"reason": "unknown_project", "projectId": item.project_id}, {}, None
    if item.account is not None and item.account not in accounts:
        return {"reason": "unknown_account", "account": item.account[:200]}, {}, None
    return None, changes, previous_owner


def cancel_jobs(store: Store, p: Principal, ids: list[int], reason: str | None) -> list[m.Job]:
    """Mark jobs canceled: all or nothing. Already canceled (or expired) jobs are fine."""
    ids = list(dict.fromkeys(ids))
    with store.tx() as db:
        rows = _fetch(db, ids)
        require_reason(
            p, {rows[i]["owner_id"] for i in ids if _visible(p, rows.get(i))}, reason
        )
        failures: list[dict[str, Any]] = []
        to_cancel: list[sqlite3.Row] = []
        for job_id in ids:
            row = rows.get(job_id)
            if not _visible(p, row):
                failures.append({"reason": "not_found", "id": job_id})
            elif row["state"] in PENDING:
                to_cancel.append(row)
            elif row["state"] not in ("canceled", "expired"):
                failures.append({"reason": "job_state", "id": job_id, "state": row["state"]})
        if failures:
            messages = dict(ITEM_MESSAGES)
            messages["job_state"] = (409, "A job that is printing or printed cannot be canceled.")
            raise _refuse(failures, messages)
        by_owner: dict[int, list[sqlite3.Row]] = defaultdict(list)
        for row in to_cancel:
            db.execute(
                "UPDATE jobs SET state = 'canceled', interaction = 0, version = version + 1"
                " WHERE id = ?",
                (row["id"],),
            )
            by_owner[row["owner_id"]].append(row)
        actor_id, actor = _actor(p)
        for owner_id, owned in by_owner.items():
            db.audit(
                action="cancel",
                actor_id=actor_id,
                actor=actor,
                owner_id=owner_id,
                owner=owned[0]["owner_name"],
                job_ids=[row["id"] for row in owned],
                reason=reason,
            )
        after = _fetch(db, ids)
    return [job_model(after[i]) for i in ids]


# --- spooling ---------------------------------------------------------------------------------


def _owner_named(db: Tx, p: Principal, name: str | None, *, what: str) -> sqlite3.Row:
    """The user a request names as owner (the caller when none is named)."""
    if not name or (p.user_id is not None and name.strip().casefold() == p.username.casefold()):
        if p.user_id is None:
            raise Problem(
                400, Reason.BAD_REQUEST, f"Name the owner of the jobs to {what}.", field="owner"
            )
        return _user(db, p.user_id)
    if not p.may_act_for_others:
        raise Problem(
            403, Reason.NOT_ALLOWED, f"Only the helpdesk may {what} another user's jobs."
        )
    row = db.one("SELECT * FROM users WHERE username = ?", (name.strip(),))
    if row is None:
        raise Problem(400, Reason.UNKNOWN_USER, "There is no user of that name.", owner=name[:200])
    return row


def spool(
    store: Store, p: Principal, body: m.ClientJob, info: m.JobInfo, reason: str | None
) -> tuple[int, bool]:
    """Create a client-spooled job: (id, created). The same uuid again gives the first id."""
    settings = store.settings
    with store.tx() as db:
        owner = _owner_named(db, p, body.owner, what="spool")
        require_reason(p, {owner["id"]}, reason)
        existing = db.scalar(
            "SELECT id FROM jobs WHERE owner_id = ? AND uuid = ?", (owner["id"], body.uuid)
        )
        if existing is not None:
            return existing, False
        queue = db.one("SELECT * FROM queues WHERE name = ?", (body.queue,))
        if queue is None:
            raise Problem(
                404, Reason.UNKNOWN_QUEUE, "There is no print queue of that name.",
                queue=body.queue[:200],
            )
        page_count = info.page_count
        if "color_count" in info.model_fields_set:
            color_count = info.color_count
        else:
            color_count = page_count if info.color else 0
        if color_count > page_count:
            raise Problem(
                422, Reason.VALIDATION,
                "Field 'jobInfo.colorCount': there cannot be more colour pages than pages.",
                field="jobInfo.colorCount",
            )
        color = info.color if info.color is not None else color_count > 0
        cost = job_cost(
            prices_from(settings), page_count=page_count, color_count=color_count,
            copies=info.copies, duplex=info.duplex,
        )
        asks = queue["duplex_question_over"]
        paused = asks is not None and page_count > asks
        now = settings.now()
        cursor = db.execute(
            "INSERT INTO jobs (owner_id, name, submitted_us, favorite, duplex, color, page_count,"
            " color_count, copies, paper_state, state, project_id, account, queue, size, computer,"
            " uuid, expires_us, interaction, version, cost_cents)"
            " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, ?, ?, ?, ?, 1, ?)",
            (
                owner["id"],
                body.name,
                to_us(now),
                int(info.duplex),
                int(color),
                page_count,
                color_count,
                info.copies,
                info.paper.state if info.paper and info.paper.state is not None else 5,
                "paused" if paused else "ready",
                body.queue,
                body.size,
                body.computer,
                body.uuid,
                to_us(now) + int(seconds(settings.job_ttl) * 1_000_000),
                int(paused),
                to_cents(cost),
            ),
        )
        job_id = int(cursor.lastrowid)
        actor_id, actor = _actor(p)
        db.audit(
            action="spool",
            actor_id=actor_id,
            actor=actor,
            owner_id=owner["id"],
            owner=owner["username"],
            job_ids=[job_id],
            reason=reason,
        )
    return job_id, True


# --- releasing ------------------------------------------------------------------------------


def release(
    store: Store, p: Principal, req: m.ProcessRequest, reason: str | None,
    options: Mapping[int, PrintOptions] | None = None,
) -> dict[str, Any]:
    """Release jobs: all or nothing, charged once, in one transaction.

    `options` says how some jobs print (a release at a printer): each such job is priced, charged
    and stored as it prints (sides, black and white, copies); the others print as they stand.
    """
    ids = list(dict.fromkeys(req.job_ids))
    now_us = _now_us(store)
    with store.tx() as db:
        owner = _owner_named(db, p, req.owner, what="release")
        owner_id = owner["id"]
        require_reason(p, {owner_id}, reason)
        rows = _fetch(db, ids)
        missing = [
            {"reason": "not_found", "id": i}
            for i in ids
            if rows.get(i) is None or rows[i]["owner_id"] != owner_id
        ]
        if missing:
            raise _refuse(missing, ITEM_MESSAGES)
        if req.project_id and not _may_charge_project(db, owner_id, req.project_id):
            raise Problem(
                400, Reason.UNKNOWN_PROJECT, ITEM_MESSAGES["unknown_project"][1],
                projectId=req.project_id,
            )
        accounts = _accounts(db, owner_id)
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
            raise _refuse(bad_state, ITEM_MESSAGES)
        project_of = {i: rows[i]["project_id"] or req.project_id for i in ids}
        if owner["project_required"]:
            lacking = [{"reason": "project_required", "id": i} for i in ids if not project_of[i]]
            if lacking:
                raise _refuse(lacking, ITEM_MESSAGES)
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
            raise _refuse(unknown, messages)
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
        sums: dict[str, int] = defaultdict(int)
        for i in ids:
            sums[account_of[i]] += printed_as[i].cost_cents
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
        actor_id, actor = _actor(p)
        for account_id, required in sums.items():
            db.audit(
                action="release",
                actor_id=actor_id,
                actor=actor,
                owner_id=owner_id,
                owner=owner["username"],
                job_ids=[i for i in ids if account_of[i] == account_id],
                amount_cents=required,
                account=account_id,
                project_id=req.project_id,
                reason=reason,
            )
        after = _fetch(db, ids)
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


# --- the script dialog ----------------------------------------------------------------------


def script(
    store: Store, p: Principal, job_id: int, body: dict[str, Any], reason: str | None
) -> m.ScriptReply:
    settings = store.settings
    with store.tx() as db:
        row = _fetch(db, [job_id]).get(job_id)
        if not _visible(p, row):
            raise not_found("job", id=job_id)
        if row["state"] not in PENDING:
            raise Problem(
                409, Reason.JOB_STATE,
                f"This job is {row['state']}: its questions are closed.",
                id=job_id, state=row["state"],
            )
        is_answer, chosen = dialogs.parse_answer(body)
        if is_answer:
            require_reason(p, {row["owner_id"]}, reason)
            state = body.get("state")
            if state not in (None, []):
                dialogs.verify_state(store.secret_key, state, job_id, row["version"])
            duplex = chosen == "duplex"
            if duplex != bool(row["duplex"]) or row["state"] == "paused" or row["interaction"]:
                cost = job_cost(
                    prices_from(settings), page_count=row["page_count"],
                    color_count=row["color_count"], copies=row["copies"], duplex=duplex,
                )
                db.execute(
                    "UPDATE jobs SET duplex = ?, cost_cents = ?, state = 'ready', interaction = 0,"
                    " version = version + 1 WHERE id = ?",
                    (int(duplex), to_cents(cost), job_id),
                )
                actor_id, actor = _actor(p)
                db.audit(
                    action="duplex",
                    actor_id=actor_id,
                    actor=actor,
                    owner_id=row["owner_id"],
                    owner=row["owner_name"],
                    job_ids=[job_id],
                    project_id=row["project_id"],
                    reason=reason,
                )
            row = _fetch(db, [job_id])[job_id]
            open_dialogs: list[dict[str, Any]] = []
        else:
            open_dialogs = [dialogs.duplex_dialog(bool(row["duplex"]))]
        signed = dialogs.sign_state(store.secret_key, job_id, row["version"])
    return m.ScriptReply(
        dialogs=[m.Dialog.model_validate(d) for d in open_dialogs],
        state=signed,
        job=job_model(row),
    )


# --- users, projects, audit -------------------------------------------------------------------


def me(store: Store, p: Principal) -> m.User:
    if p.user_id is None:
        raise Problem(
            403, Reason.NOT_ALLOWED, "An application login has no user of its own."
        )
    with store.read() as db:
        row = _user(db, p.user_id)
        if row is None:
            raise not_found("user")
        return user_model(db, row)


def list_users(store: Store, p: Principal, search: str | None, limit: int, start: int) -> m.UserList:
    p.require("users")
    if not p.may_act_for_others:
        raise Problem(403, Reason.NOT_ALLOWED, "Only the helpdesk may look up users.")
    where, params = "", []
    if search:
        where = " WHERE instr(lower(username), lower(?)) > 0 OR instr(lower(full_name), lower(?)) > 0"
        params = [search, search]
    limit, start = _page(limit, start)
    with store.read() as db:
        count = db.scalar(f"SELECT COUNT(*) FROM users{where}", params)
        rows = db.all(
            f"SELECT * FROM users{where} ORDER BY username COLLATE NOCASE LIMIT ? OFFSET ?",
            [*params, limit, start],
        )
        return m.UserList(users=[user_model(db, row) for row in rows], count=count)


def list_projects(
    store: Store, p: Principal, owner_id: int | None, search: str | None, limit: int, start: int
) -> m.ProjectList:
    if owner_id is not None and owner_id != p.user_id and not p.may_act_for_others:
        raise Problem(
            403, Reason.NOT_ALLOWED, "Only the helpdesk may see another user's projects."
        )
    target = owner_id if owner_id is not None else p.user_id
    where: list[str] = []
    params: list[Any] = []
    if target is not None:
        where.append("id IN (SELECT project_id FROM user_projects WHERE user_id = ?)")
        params.append(target)
    if search:
        where.append("(instr(lower(name), lower(?)) > 0 OR instr(lower(code), lower(?)) > 0)")
        params.extend([search, search])
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    limit, start = _page(limit, start)
    with store.read() as db:
        count = db.scalar(f"SELECT COUNT(*) FROM projects{clause}", params)
        rows = db.all(
            f"SELECT * FROM projects{clause} ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
            [*params, limit, start],
        )
    return m.ProjectList(
        projects=[m.Project(id=r["id"], name=r["name"], code=r["code"]) for r in rows],
        count=count,
    )


def list_audit(
    store: Store, p: Principal, owner_id: int | None, limit: int, start: int
) -> m.AuditList:
    everyone = p.may_act_for_others  # it includes the scope `users`
    if owner_id is not None and owner_id != p.user_id and not everyone:
        if p.role in ("helpdesk", "app"):
            p.require("users")
        raise Problem(
            403, Reason.NOT_ALLOWED, "Only the helpdesk may read another user's audit entries."
        )
    if owner_id is None and not everyone:
        owner_id = p.user_id
    where, params = "", []
    if owner_id is not None:
        where = " WHERE owner_id = ? OR previous_owner_id = ?"
        params = [owner_id, owner_id]
    limit, start = _page(limit, start)
    with store.read() as db:
        count = db.scalar(f"SELECT COUNT(*) FROM audit{where}", params)
        rows = db.all(
            f"SELECT * FROM audit{where} ORDER BY id DESC LIMIT ? OFFSET ?",
            [*params, limit, start],
        )
    return m.AuditList(entries=[audit_model(row) for row in rows], count=count)


def job_state(store: Store, p: Principal, job_id: int) -> m.JobStateReply:
    return m.JobStateReply(state=get_job(store, p, job_id).state or "")


__all__ = [
    "cancel_jobs",
    "get_job",
    "job_state",
    "list_audit",
    "list_jobs",
    "list_projects",
    "list_users",
    "me",
    "patch_jobs",
    "release",
    "script",
    "spool",
]
