"""Routes of jobs (contract 4) and their audit, in the profile's shapes."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from station.api import models as m
from station.api.models import Reason
from station.server import jobs
from station.server.deps import (
    Caller, JobIdList, Limit, OwnerId, Search, Start, job_id_of, patch_items, reason_of, store_of,
)
from station.server.errors import Problem, error_responses
from station.server.shapes import ProfileJobList

_STATE_WORD = "(?:" + "|".join(jobs.ALL_STATES) + ")"
STATE_LIST = f"^(?: *{_STATE_WORD} *(?:, *{_STATE_WORD} *)*)?$"
"""What `state=` accepts: a comma list of state names (the OpenAPI document says the same)."""


def parse_states(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    words = [word.strip() for word in raw.split(",") if word.strip()]
    unknown = [word for word in words if word not in jobs.ALL_STATES]
    if unknown:
        raise Problem(
            422,
            Reason.VALIDATION,
            f"The request is not valid: 'state' has the unknown state '{unknown[0][:40]}'"
            f" (known: {', '.join(jobs.ALL_STATES)}).",
            field="state",
            problem="unknown state",
        )
    if not re.fullmatch(STATE_LIST, raw):
        raise Problem(
            422,
            Reason.VALIDATION,
            "The request is not valid: 'state' is not a comma list of states"
            " (e.g. ready,paused).",
            field="state",
            problem="is not a comma list of states",
        )
    if not words:
        return None
    return list(dict.fromkeys(words))


def add_routes(app: FastAPI) -> None:
    @app.get(
        "/api/v3/jobs", response_model=ProfileJobList, tags=["jobs"],
        responses=error_responses(401, 403, 422),
    )
    def list_jobs(
        request: Request,
        p: Caller,
        state: Annotated[
            str | None,
            Query(
                max_length=200,
                description="Comma list of states; default ready,paused.",
                json_schema_extra={"pattern": STATE_LIST},
            ),
        ] = None,
        favorite: bool | None = None,
        owner_id: OwnerId = None,
        search: Search = None,
        sort: Literal["dateTime", "-dateTime", "name", "-name", "cost", "-cost"] = "-dateTime",
        limit: Limit = 100,
        start: Start = 0,
        all_owners: Annotated[
            bool,
            Query(
                alias="all",
                description="Profile: every owner's jobs (helpdesk with scope users, or an application).",
            ),
        ] = False,
    ) -> ProfileJobList:
        p.require("jobs")
        listed = jobs.list_jobs(
            store_of(request), p, states=parse_states(state), favorite=favorite, owner_id=owner_id,
            search=search, sort=sort, limit=limit, start=start, all_owners=all_owners,
        )
        return ProfileJobList(jobs=listed.jobs, count=listed.count)

    @app.patch(
        "/api/v3/jobs", response_model=m.JobList, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
    )
    def patch_many(body: m.JobsPatch, request: Request, p: Caller) -> m.JobList:
        p.require("jobs")
        changed = jobs.patch_jobs(store_of(request), p, patch_items(body), reason_of(request))
        return m.JobList(jobs=changed, count=len(changed))

    @app.post(
        "/api/v3/jobs/delete", response_model=m.JobList, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
    )
    def delete_many(ids: JobIdList, request: Request, p: Caller) -> m.JobList:
        p.require("jobs")
        canceled = jobs.cancel_jobs(store_of(request), p, ids, reason_of(request))
        return m.JobList(jobs=canceled, count=len(canceled))

    @app.post(
        "/api/v3/jobs/client", response_model=m.ClientJobCreated, status_code=201, tags=["jobs"],
        responses={
            200: {"description": "A job with this uuid exists: its id", "model": m.ClientJobCreated},
            **error_responses(400, 401, 403, 404, 413, 422),
        },
    )
    def spool(
        body: m.ClientJob, request: Request, response: Response, p: Caller
    ) -> m.ClientJobCreated:
        p.require("jobs")
        try:
            info = m.JobInfo.model_validate(body.job_info)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**e, "loc": ("body", "jobInfo", *e["loc"])} for e in exc.errors()]
            ) from None
        job_id, created = jobs.spool(store_of(request), p, body, info, reason_of(request))
        if not created:
            response.status_code = 200
        return m.ClientJobCreated(id=job_id)

    @app.post(
        "/api/v3/jobs/process", response_model=m.ProcessResult, status_code=202, tags=["jobs"],
        responses=error_responses(400, 401, 402, 403, 404, 409, 413, 422),
    )
    def process(body: m.ProcessRequest, request: Request, p: Caller) -> dict:
        p.require("jobs")
        return jobs.release(store_of(request), p, body, reason_of(request))

    @app.get(
        "/api/v3/jobs/{job_id}", response_model=m.Job, tags=["jobs"],
        responses=error_responses(401, 403, 404, 422),
    )
    def get_job(job_id: str, request: Request, p: Caller) -> m.Job:
        p.require("jobs")
        return jobs.get_job(store_of(request), p, job_id_of(job_id))

    @app.get(
        "/api/v3/jobs/{job_id}/state", response_model=m.JobStateReply, tags=["jobs"],
        responses=error_responses(401, 403, 404, 422),
    )
    def get_job_state(job_id: str, request: Request, p: Caller) -> m.JobStateReply:
        p.require("jobs")
        return jobs.job_state(store_of(request), p, job_id_of(job_id))

    @app.patch(
        "/api/v3/jobs/{job_id}", response_model=m.Job, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
    )
    def patch_one(job_id: str, body: m.JobPatch, request: Request, p: Caller) -> m.Job:
        p.require("jobs")
        item = m.JobsPatchItem(
            id=job_id_of(job_id), owner_id=body.owner_id, project_id=body.project_id,
            favorite=body.favorite,
        )
        return jobs.patch_jobs(store_of(request), p, [item], reason_of(request))[0]

    @app.delete(
        "/api/v3/jobs/{job_id}", status_code=204, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 422),
    )
    def delete_one(job_id: str, request: Request, p: Caller) -> Response:
        p.require("jobs")
        jobs.cancel_jobs(store_of(request), p, [job_id_of(job_id)], reason_of(request))
        return Response(status_code=204)

    @app.post(
        "/api/v3/jobs/{job_id}/script", response_model=m.ScriptReply, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
    )
    def job_script(
        job_id: str,
        request: Request,
        p: Caller,
        body: Annotated[
            dict[str, Any] | None,
            Body(examples=[{}, {"-1052320151": {"duplex": True, "simplex": None}, "state": []}]),
        ] = None,
    ) -> m.ScriptReply:
        p.require("jobs")
        return jobs.script(store_of(request), p, job_id_of(job_id), body or {}, reason_of(request))

    # -- audit -------------------------------------------------------------------------------

    @app.get(
        "/api/v3/audit", response_model=m.AuditList, tags=["audit"],
        responses=error_responses(401, 403, 422),
    )
    def audit(
        request: Request, p: Caller, owner_id: OwnerId = None, limit: Limit = 100, start: Start = 0
    ) -> m.AuditList:
        p.require("jobs", "users")
        return jobs.list_audit(store_of(request), p, owner_id, limit, start)
