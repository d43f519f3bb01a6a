"""Reading jobs: a page of them (the caller's, one owner's, everyone's), one job, its state."""

from __future__ import annotations

from typing import Any

from station.api import models as m
from station.api.models import Reason
from station.server.auth import Principal
from station.server.errors import Problem, not_found
from station.server.jobs.rows import ALL_STATES, JOB_SELECT, PENDING, fetch_jobs, job_model
from station.server.jobs.rules import page, visible
from station.server.store import Store

SORTS = {
    "dateTime": "j.submitted_us ASC, j.id ASC",
    "-dateTime": "j.submitted_us DESC, j.id DESC",
    "name": "j.name COLLATE NOCASE ASC, j.id ASC",
    "-name": "j.name COLLATE NOCASE DESC, j.id DESC",
    "cost": "j.cost_cents ASC, j.id ASC",
    "-cost": "j.cost_cents DESC, j.id DESC",
}


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
    if owner_id is not None and owner_id != p.user_id and not p.may_act_for_others:
        raise Problem(403, Reason.NOT_ALLOWED, "Only the helpdesk may list another user's jobs.")
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
    limit, start = page(limit, start)
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
        row = fetch_jobs(db, [job_id]).get(job_id)
    if row is None or not visible(p, row):
        raise not_found("job", id=job_id)
    return job_model(row)


def job_state(store: Store, p: Principal, job_id: int) -> m.JobStateReply:
    return m.JobStateReply(state=get_job(store, p, job_id).state or "")
