"""The rules of jobs (contract section 4): what the routes call, one function per request.

Each changing function runs in one transaction and checks everything before it changes
anything, so a refused request changes nothing. Another user's job answers exactly like a
missing one (404 `not_found`) unless the caller is helpdesk (or an application).

- `rows.py`: database rows as contract models (job, user, audit entry).
- `rules.py`: who sees a job, who must say why, whose jobs a request names, refusals.
- `queries.py`: a page of jobs, one job, its state.
- `changes.py`: patching jobs, cancelling them.
- `spool.py`: a job sent by a client.
- `release.py`: releasing: charged once, all or nothing.
- `script.py`: the duplex question and its answer.
- `users.py`: the caller, users, projects.
- `audit.py`: the audit entry of each change (`record`), and reading the audit.

Routes call these through this package (`jobs.get_job(...)`), never a module inside it.
"""

from __future__ import annotations

from station.server.jobs.audit import list_audit
from station.server.jobs.changes import cancel_jobs, patch_jobs
from station.server.jobs.queries import JobQuery, get_job, job_state, list_jobs, list_jobs_json
from station.server.jobs.release import release
from station.server.jobs.rows import ALL_STATES, JOB_SELECT, PENDING, job_model, user_model
from station.server.jobs.script import script
from station.server.jobs.spool import spool
from station.server.jobs.users import list_projects, list_users, me

__all__ = [
    "ALL_STATES",
    "JOB_SELECT",
    "PENDING",
    "JobQuery",
    "cancel_jobs",
    "get_job",
    "job_model",
    "job_state",
    "list_audit",
    "list_jobs",
    "list_jobs_json",
    "list_projects",
    "list_users",
    "me",
    "patch_jobs",
    "release",
    "script",
    "spool",
    "user_model",
]
