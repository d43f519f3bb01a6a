"""Routes of jobs (contract 4) and their audit, in the profile's shapes."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import QueryParams

from station.api import models as m
from station.api.models import MAX_ID, MAX_IDS, MAX_NAME, Reason
from station.server import jobs
from station.server.deps import (
    BEARER, Caller, JobIdList, Limit, OwnerId, Start, authenticated, job_id_of, patch_items, reason_of, store_of,
)
from station.server.errors import Problem, error_responses
from station.server.jobs import JobQuery
from station.server.shapes import PROFILE_QUERY, ProfileJobList
from station.server.store import WouldWait

_STATE_WORD = "(?:" + "|".join(jobs.ALL_STATES) + ")"
STATE_LIST = f"^(?: *{_STATE_WORD} *(?:, *{_STATE_WORD} *)*)?$"
"""What `state=` accepts: a comma list of state names (the OpenAPI document says the same)."""


def parse_states(raw: str | None) -> tuple[str, ...] | None:
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
    return tuple(dict.fromkeys(words))


MAX_ID_LIST = 6_000
"""Characters of `id=` at most: 500 ids of up to 10 digits and their commas, with some room."""
ID_LIST = "^ *[0-9]{1,10} *(?:, *[0-9]{1,10} *)*$"
"""What `id=` accepts: a comma list of job ids (the OpenAPI document says the same)."""
_ID_ITEM = re.compile(r"[0-9]{1,10}", re.ASCII)
_PROFILE_QUERY = json.dumps(PROFILE_QUERY, separators=(",", ":")).encode()


def _bad_ids(message: str, problem: str) -> Problem:
    return Problem(
        400, Reason.BAD_REQUEST, f"The request is not valid: 'id' {message}",
        field="id", problem=problem,
    )


def parse_ids(given: list[str]) -> tuple[int, ...] | None:
    """The job ids of `id=` (profile): one comma list of 1 to MAX_IDS ids; None when not given.
    Anything else is a 400 that says what is wrong, so no filter is ever half applied."""
    if not given:
        return None
    if len(given) > 1:
        raise _bad_ids("is given more than once; send one comma list (id=101,102).", "repeated")
    raw = given[0]
    if len(raw) > MAX_ID_LIST:
        raise _bad_ids(f"is longer than {MAX_ID_LIST} characters.", "too long")
    items = [item.strip() for item in raw.split(",")]
    if len(items) > MAX_IDS:
        raise _bad_ids(f"names {len(items)} jobs; at most {MAX_IDS} at once.", "too many")
    for item in items:
        if not item:
            raise _bad_ids("has an empty item; send a comma list of job ids (id=101,102).", "empty item")
        if not _ID_ITEM.fullmatch(item) or not 1 <= int(item) <= MAX_ID:
            raise _bad_ids(f"has '{item[:20]}', which is not a job id (a whole number from 1).", "not an id")
    return tuple(dict.fromkeys(int(item) for item in items))


class JobListParams(BaseModel):
    """The query of `GET /v3/jobs`, validated in one go (`parse_list_query`); unknown
    parameters are ignored, as FastAPI does."""

    state: str | None = Field(
        default=None, max_length=200,
        description="Comma list of states; default ready,paused (with `id`: every state).",
        json_schema_extra={"pattern": STATE_LIST},
    )
    favorite: bool | None = None
    owner_id: int | None = Field(default=None, alias="ownerId", ge=1, le=MAX_ID)
    search: str | None = Field(default=None, max_length=MAX_NAME)
    sort: Literal["dateTime", "-dateTime", "name", "-name", "cost", "-cost"] = "-dateTime"
    limit: int = Field(default=100, ge=0, le=500, description="Page length (max 500).")
    start: int = Field(default=0, ge=0, le=MAX_ID, description="Offset of the first item.")
    all_owners: bool = Field(
        default=False, alias="all",
        description="Profile: every owner's jobs (helpdesk with scope users, or an application).",
    )
    ids: str | None = Field(
        default=None, alias="id",
        description=(
            f"Profile: only these jobs, in any state: one comma list of up to {MAX_IDS} ids"
            " (e.g. 101,102). Ids the caller may not see are absent. 400 on a bad list."
        ),
        json_schema_extra={"pattern": ID_LIST},
    )


KEPT_QUERY = 1_000
"""Characters of a query string at most for its parse to be kept (`_parsed`)."""


def parse_list_query(request: Request) -> JobQuery:
    """The whole query of `GET /v3/jobs` parsed at once (one pydantic call instead of FastAPI's
    walk over nine parameters); a bad value is the same 422 FastAPI would answer. A client asks
    for its list with the same query again and again: a short query's parse is kept."""
    raw: bytes = request.scope["query_string"]
    if len(raw) <= KEPT_QUERY:
        return _parsed(raw)
    return _parse(request.query_params)


@lru_cache(maxsize=128)
def _parsed(raw: bytes) -> JobQuery:
    return _parse(QueryParams(raw))  # an error is raised again each time: never kept


def _parse(params: QueryParams) -> JobQuery:
    try:
        q = JobListParams.model_validate(dict(params))
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]
        ) from None
    return JobQuery(
        states=parse_states(q.state), favorite=q.favorite, owner_id=q.owner_id, search=q.search,
        sort=q.sort, limit=q.limit, start=q.start, all_owners=q.all_owners,
        ids=parse_ids(params.getlist("id")),
    )


def query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The OpenAPI query parameters of a model's fields, as FastAPI would declare them."""
    schema = model.model_json_schema(by_alias=True)
    return [
        {"name": name, "in": "query", "required": False, "schema": field,
         **({"description": field["description"]} if "description" in field else {})}
        for name, field in schema["properties"].items()
    ]


def add_routes(app: FastAPI) -> None:
    @app.get(
        "/api/v3/jobs", response_model=ProfileJobList, tags=["jobs"],
        responses=error_responses(400, 401, 403, 422),
        openapi_extra={"parameters": query_parameters(JobListParams), **BEARER},
    )
    async def list_jobs(request: Request) -> Response:
        # No dependencies and one parse of the query: the cheapest path FastAPI has.
        p = await authenticated(request)
        p.require("jobs")
        query = parse_list_query(request)
        store = store_of(request)
        try:  # on the event loop, as long as nothing makes it wait (the usual case)
            items, count = jobs.list_jobs_json(store, p, query, wait=False)
        except WouldWait:
            items, count = await run_in_threadpool(jobs.list_jobs_json, store, p, query)
        # The jobs' JSON is kept (`jobs.list_jobs_json`); the list around it is written here,
        # byte for byte what `ProfileJobList` serialises to.
        body = b'{"jobs":[%s],"count":%d,"profileQuery":%s}' % (items, count, _PROFILE_QUERY)
        return Response(body, media_type="application/json")

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
