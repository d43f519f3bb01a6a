"""Vendor mode (`ServerSettings.api == "vendor"`): the server answers only what the vendor
documents (contract 7.1), in the vendor's shapes, as `/work/wire-decisions.md` says.

`install(app)` turns a profile app into a vendor one:
- keeps the routes that are the vendor's as they are (`SHARED`), drops every other profile
  route (a profile call answers 404; a new profile route stays out unless named here);
- adds the vendor's shapes of the rest (`add_routes`): jobs with vendor fields only and a local
  `dateTime` without offset, `GET /v3/jobs` with `limit` and `start` only, 202/204 with empty
  bodies where the vendor documents no reply, users as the vendor names them;
- answers every error as `{"code", "message", "data": []}` (`VendorErrors`);
- describes exactly that in its OpenAPI document (`vendor_document`).
"""

from __future__ import annotations

import copy
import json
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import Body, FastAPI, Request, Response
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from station.api import models as m
from station.server import jobs
from station.server.deps import Caller, JobIdList, Limit, Start, job_id_of, patch_items, reason_of, store_of
from station.server.errors import error_responses
from station.server.printers import PRINT_ALL, RELEASE
from station.server.shapes import VendorJob, VendorJobList, VendorUserList, vendor_job, vendor_user

SHARED = {
    ("GET", "/"),
    ("GET", "/api"),
    ("POST", "/api/auth/token"),
    ("GET", "/api/v3/jobs/{job_id}/state"),
    ("DELETE", "/api/v3/jobs/{job_id}"),
    ("POST", "/api/v3/jobs/client"),
    ("GET", PRINT_ALL),
    ("POST", RELEASE),
    ("GET", "/api/v3/users/find"),
    ("GET", "/api/v3/users/{user_id}/accounts"),
}
"""(method, path) of the profile app's routes that vendor mode keeps as they are."""

PAGING = {"limit", "start"}
NOTHING_FOUND = "Incorrect or unsupported filter: the vendor's API answers an empty result."
ScriptBody = Annotated[dict[str, Any] | None, Body(examples=[{}, {"-1052320151": {"duplex": True, "simplex": None}}])]


def narrow_routes(app: FastAPI) -> None:
    """Keep of `app`'s routes those the vendor documents, and add the vendor's shapes of the rest."""
    app.router.routes[:] = [
        route for route in app.router.routes
        if not isinstance(route, APIRoute) or any((method, route.path) in SHARED for method in route.methods or ())
    ]
    add_routes(app)


def install(app: FastAPI) -> None:
    """Make `app` (built by `create_app`, its routes narrowed) answer in the vendor's shapes."""
    app.add_middleware(VendorErrors)
    profile_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = vendor_document(profile_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# --- the routes in the vendor's shapes ------------------------------------------------------


def add_routes(app: FastAPI) -> None:
    @app.get(
        "/api/v3/jobs", response_model=VendorJobList, tags=["jobs"], responses=error_responses(401, 403, 422),
        description=f"The caller's pending jobs, newest first. {NOTHING_FOUND}",
    )
    def list_jobs(request: Request, p: Caller, limit: Limit = 100, start: Start = 0) -> VendorJobList:
        p.require("jobs")
        if set(request.query_params) - PAGING:
            return VendorJobList(jobs=[], count=0)
        listed = jobs.list_jobs(store_of(request), p, jobs.JobQuery(limit=limit, start=start))
        return vendor_jobs(request, listed.jobs, listed.count)

    @app.patch(
        "/api/v3/jobs", response_model=VendorJobList, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
    )
    def patch_many(body: m.JobsPatch, request: Request, p: Caller) -> VendorJobList:
        p.require("jobs")
        changed = jobs.patch_jobs(store_of(request), p, patch_items(body), reason_of(request))
        return vendor_jobs(request, changed, len(changed))

    @app.post(
        "/api/v3/jobs/delete", status_code=204, response_class=Response, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
    )
    def delete_many(ids: JobIdList, request: Request, p: Caller) -> Response:
        p.require("jobs")
        jobs.cancel_jobs(store_of(request), p, ids, reason_of(request))
        return Response(status_code=204)

    @app.post(
        "/api/v3/jobs/process", status_code=202, response_class=Response, tags=["jobs"],
        responses={
            202: {"description": "Accepted: the jobs print. No body."},
            **error_responses(400, 401, 402, 403, 404, 409, 413, 422),
        },
    )
    def process(body: m.ProcessRequest, request: Request, p: Caller) -> Response:
        p.require("jobs")
        jobs.release(store_of(request), p, body, reason_of(request))
        return Response(status_code=202)

    @app.get(
        "/api/v3/jobs/{job_id}", response_model=VendorJob, tags=["jobs"],
        responses=error_responses(401, 403, 404, 422),
    )
    def get_job(job_id: str, request: Request, p: Caller) -> VendorJob:
        p.require("jobs")
        job = jobs.get_job(store_of(request), p, job_id_of(job_id))
        return vendor_job(job, request.app.state.settings.local_zone)

    @app.patch(
        "/api/v3/jobs/{job_id}", response_model=VendorJob, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
    )
    def patch_one(job_id: str, body: m.JobPatch, request: Request, p: Caller) -> VendorJob:
        p.require("jobs")
        item = m.JobsPatchItem(
            id=job_id_of(job_id), owner_id=body.owner_id, project_id=body.project_id,
            favorite=body.favorite,
        )
        [job] = jobs.patch_jobs(store_of(request), p, [item], reason_of(request))
        return vendor_job(job, request.app.state.settings.local_zone)

    @app.post(
        "/api/v3/jobs/{job_id}/script", status_code=204, response_class=Response, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
        description="An answer changes the job; the reply has no body (no dialog is offered).",
    )
    def job_script(job_id: str, request: Request, p: Caller, body: ScriptBody = None) -> Response:
        p.require("jobs")
        jobs.script(store_of(request), p, job_id_of(job_id), body or {}, reason_of(request))
        return Response(status_code=204)

    @app.get(
        "/api/v3/users", response_model=VendorUserList, tags=["users"],
        responses=error_responses(401, 403, 422), description=f"Helpdesk only. {NOTHING_FOUND}",
    )
    def users(request: Request, p: Caller, limit: Limit = 100, start: Start = 0) -> VendorUserList:
        listed = jobs.list_users(store_of(request), p, None, limit, start)  # helpdesk only
        if set(request.query_params) - PAGING:
            return VendorUserList(users=[], count=0)
        return VendorUserList(users=[vendor_user(user) for user in listed.users], count=listed.count)


def vendor_jobs(request: Request, listed: list[m.Job], count: int) -> VendorJobList:
    zone = request.app.state.settings.local_zone
    return VendorJobList(jobs=[vendor_job(job, zone) for job in listed], count=count)


# --- errors: the vendor's body, no reason words ---------------------------------------------

VENDOR_STATUS = {429: 401, 422: 400}
"""The vendor documents no 429 (a locked login is refused as any bad login) and no 422."""


def vendor_error(status: int, body: bytes) -> tuple[int, bytes]:
    """An error answer in the vendor's shape: (status, body)."""
    try:
        message = json.loads(body).get("message")
    except (ValueError, AttributeError):
        message = None
    if not isinstance(message, str) or not message:
        message = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    if status == 429:
        message = f"This login is locked. {message}"
    status = VENDOR_STATUS.get(status, status)
    answer = {"code": status, "message": message, "data": []}
    return status, json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode()


class VendorErrors:
    """Rewrites every error answer (4xx, 5xx, whoever made it) into the vendor's body.
    `WWW-Authenticate` says only `Bearer`, and a lockout's `Retry-After` goes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        chunks: list[bytes] = []

        async def send_vendor(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start" and message["status"] >= 400:
                held = message
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            status, body = vendor_error(held["status"], b"".join(chunks))
            dropped = {b"content-length", b"content-type", b"www-authenticate"}
            if held["status"] == 429:
                dropped.add(b"retry-after")
            headers = [(name, value) for name, value in held.get("headers", []) if name.lower() not in dropped]
            headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
            if status == 401:
                headers.append((b"www-authenticate", b"Bearer"))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_vendor)


# --- the OpenAPI document of vendor mode ----------------------------------------------------

VENDOR_ERROR_SCHEMA = {
    "title": "ErrorResponse",
    "description": "The body of every 4xx/5xx answer: the vendor's, with no reason words.",
    "type": "object",
    "properties": {
        "code": {"type": "integer", "description": "A number for the error; may differ from the HTTP status."},
        "message": {"type": "string", "minLength": 1, "description": "A sentence for a person."},
        "data": {"type": "array", "maxItems": 0},
    },
    "required": ["code", "message", "data"],
    "additionalProperties": False,
}

VENDOR_DESCRIPTIONS = {
    400: "Bad request: the body or a parameter is not valid, or names something unknown",
    401: "No, expired or revoked token, or a bad or locked login",
    402: "Not enough credit",
    403: "Not allowed: the login lacks the scope or the role",
    404: "Not found, or another user's",
    409: "The job's state does not allow this",
    413: "The request body is over 1 MB, declared or sent in chunks",
    500: "Unexpected server error: nothing was changed",
    503: "The server is busy or its disk is full: nothing was changed; try again",
}


def vendor_document(profile: dict[str, Any]) -> dict[str, Any]:
    """The profile app's document as vendor mode answers: the vendor's error body, 422 folded
    into 400, no 429, no reason words."""
    document = copy.deepcopy(profile)
    document["info"]["description"] = "Only what the vendor documents (contract 7.1), in the vendor's shapes."
    schemas = document["components"]["schemas"]
    schemas["ErrorResponse"] = VENDOR_ERROR_SCHEMA
    for unused in ("ErrorItem", "Reason"):
        schemas.pop(unused, None)
    for operations in document["paths"].values():
        for operation in operations.values():
            answers = operation["responses"]
            answers.pop("429", None)
            invalid = answers.pop("422", None)
            if invalid is not None:
                answers.setdefault("400", invalid)
            for status, answer in answers.items():
                if int(status) in VENDOR_DESCRIPTIONS:
                    answer["description"] = VENDOR_DESCRIPTIONS[int(status)]
            if "401" in answers and "headers" in answers["401"]:
                answers["401"]["headers"]["WWW-Authenticate"]["description"] = "Bearer"
    return document
