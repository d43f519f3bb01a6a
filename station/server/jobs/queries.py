"""Reading jobs: a page of them (the caller's, one owner's, everyone's), one job, its state."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from station.api import models as m
from station.api.models import Reason
from station.server.auth import Principal
from station.server import printing
from station.server.errors import Problem, not_found
from station.server.jobs.rows import ALL_STATES, JOB_SELECT, KEY_SELECT, PENDING, fetch_jobs, job_model, jobs_json
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
_keeping = threading.Lock()


@dataclass(frozen=True)
class JobQuery:
    """What `GET /v3/jobs` asks for, parsed once (`routes/jobs.py`; a parse may be kept and
    shared by requests: hence tuples)."""

    states: tuple[str, ...] | None = None
    favorite: bool | None = None
    owner_id: int | None = None
    search: str | None = None
    sort: str = "-dateTime"
    limit: int = 100
    start: int = 0
    all_owners: bool = False
    ids: tuple[int, ...] | None = None


def list_jobs(store: Store, p: Principal, query: JobQuery) -> m.JobList:
    """A page of jobs as models (see `page_where`)."""
    clause, params, order = page_where(p, query)
    with printing.current(store) as db:
        count = db.scalar(f"SELECT COUNT(*) FROM jobs j{clause}", params)
        rows = db.all(f"{JOB_SELECT}{clause}{order}", params)
    return m.JobList(jobs=[job_model(row) for row in rows], count=count)


PAGES_KEPT = 64
"""Pages of jobs a store keeps at most (the oldest go first): a few hundred KB at 100 jobs a page."""


def list_jobs_json(
    store: Store, p: Principal, query: JobQuery, *, wait: bool = True
) -> tuple[bytes, int]:
    """A page of jobs as the wire JSON of its items (the jobs' JSON joined by commas), and the
    count; one read transaction, after printing and expiry have moved on. `wait=False`: on the
    event loop (`WouldWait` when it would have to wait).

    A page is kept by its query with the count of job changes it was read at (`jobs_changes`,
    which triggers bump on every insert, change or delete of a job, in any process): asked again
    before any job changed, it is answered without reading a job. Else each job's JSON is kept by
    id and version (`rows.jobs_json`)."""
    clause, params, order = page_where(p, query)
    key = (clause, order, *params)
    with printing.current(store, wait=wait) as db:
        changes = db.scalar("SELECT n FROM jobs_changes")
        kept = store.job_pages.get(key)
        if kept is not None and kept[0] == changes:
            return kept[1], kept[2]
        count = db.scalar(f"SELECT COUNT(*) FROM jobs j{clause}", params)
        items = b",".join(jobs_json(db, db.all(f"{KEY_SELECT}{clause}{order}", params)))
    with _keeping:
        store.job_pages[key] = (changes, items, count)
        while len(store.job_pages) > PAGES_KEPT:
            del store.job_pages[next(iter(store.job_pages))]
    return items, count


def page_where(p: Principal, query: JobQuery) -> tuple[str, list[Any], str]:
    """The WHERE clause and its parameters, and the ORDER BY and LIMIT, of a page of jobs: the
    caller's, one owner's (helpdesk), or every owner's (`all_owners`).

    Profile extension `GET /v3/jobs?all=true` (helpdesk with scope `users`, or an application):
    the jobs of all owners, with the same filters as ever; `ownerId` may not be given with it.
    Profile extension `id=1,2,3` (`ids`): only these jobs, whatever their state unless `state`
    is given; ids the caller may not see are simply absent. The default order (`-dateTime`) of
    one owner's pending list walks the partial index `jobs_pending`, across owners the index
    `jobs_submitted`, backwards, and stops after `limit` rows: a page of 100 among 10,000 jobs
    costs as much as a page of 100 among 100.
    """
    owner_id = query.owner_id
    where: list[str] = []
    params: list[Any] = []
    if query.all_owners:
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
    elif not query.all_owners and not (p.is_app and p.may_act_for_others):
        where.append("j.owner_id = ?")  # an application without `users` has no jobs to see
        params.append(p.user_id)
    if query.ids is not None:
        where.append(f"j.id IN ({','.join('?' * len(query.ids))})")
        params.extend(query.ids)
    states = query.states
    if states is None and query.ids is None:
        # The pending list; favourites (to print again) are shown in any state still there.
        states = (
            tuple(s for s in ALL_STATES if s not in ("canceled", "expired"))
            if query.favorite else PENDING
        )
    if states is not None:
        # Across owners, the newest-first page walks `jobs_submitted` (a unary + keeps the planner
        # off the state index, which would sort every pending job to return 100 of them).
        across = owner_id is None and (query.all_owners or (p.is_app and p.may_act_for_others))
        newest = query.sort in ("dateTime", "-dateTime")
        state_column = "+j.state" if across and newest else "j.state"
        # Written out, not bound: the planner picks the partial index `jobs_pending` only for
        # the literal list it was made with. The words are checked against ALL_STATES.
        if not set(states) <= set(ALL_STATES):
            raise ValueError(f"unknown job states {states!r}")
        words = ",".join(f"'{state}'" for state in states)
        where.append(f"{state_column} IN ({words})")
    if query.favorite is not None:
        where.append("j.favorite = ?")
        params.append(int(query.favorite))
    if query.search:
        where.append("instr(lower(j.name), lower(?)) > 0")
        params.append(query.search)
    limit, start = page(query.limit, query.start)
    order = f" ORDER BY {SORTS[query.sort]} LIMIT {int(limit)} OFFSET {int(start)}"
    return " WHERE " + " AND ".join(where), params, order


def get_job(store: Store, p: Principal, job_id: int) -> m.Job:
    with store.read() as db:
        row = fetch_jobs(db, [job_id]).get(job_id)
    if row is None or not visible(p, row):
        raise not_found("job", id=job_id)
    return job_model(row)


def job_state(store: Store, p: Principal, job_id: int) -> m.JobStateReply:
    return m.JobStateReply(state=get_job(store, p, job_id).state or "")
