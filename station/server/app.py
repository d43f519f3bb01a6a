"""The embedded reference server: routes of the contract (`api-contract.md`) over SQLite.

`create_app(settings)` opens the database and seeds it at once (no lifespan hook), so the app
works through `httpx.ASGITransport` as well as under uvicorn. Endpoints are `async def` doing
short synchronous SQLite work under the store's lock: requests are served one change at a time,
which makes a release and its charge atomic against any other request.

`ServerSettings.api == "vendor"` narrows the same app to what the vendor documents, in the
vendor's shapes (`vendor.install`, the last step of `create_app`).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import traceback
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import station
from station.api import models as m
from station.api.models import MAX_ID, MAX_NAME, Reason
from station.server import auth, clients, jobs, people, printers, vendor
from station.server.deps import Caller, JobIdList, Limit, Start, job_id_of, patch_items, reason_of
from station.server.errors import Problem, error_responses
from station.server.settings import ServerSettings
from station.server.shapes import ProfileJobList
from station.server.store import Store

__all__ = ["ServerSettings", "create_app"]

log = logging.getLogger("station.server")

MAX_BODY = 1_000_000


# --- errors -----------------------------------------------------------------------------------


def error_response(
    status: int, reason: Reason, message: str, *, headers: dict[str, str] | None = None,
    items: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    body = {"code": status, "message": message, "data": items or [{"reason": reason.value}]}
    return JSONResponse(body, status_code=status, headers=headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += ("." if name else "") + str(part)
    return name or "body"


def _problem_text(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field this call accepts"
    message = str(error.get("msg", "is not valid"))
    return message[:1].lower() + message[1:]


async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    items: list[dict[str, Any]] = []
    for error in exc.errors()[:20]:
        if error.get("type") == "json_invalid":
            items.append(
                {"reason": Reason.VALIDATION.value, "field": "body",
                 "problem": "is not valid JSON"}
            )
            continue
        items.append(
            {
                "reason": Reason.VALIDATION.value,
                "field": _field_name(tuple(error.get("loc", ()))),
                "problem": _problem_text(error),
            }
        )
    if not items:
        items = [{"reason": Reason.VALIDATION.value, "field": "body", "problem": "is not valid"}]
    first = items[0]
    if first["field"] == "body" and first["problem"] == "is not valid JSON":
        message = "The request body is not valid JSON."
    else:
        message = f"The request is not valid: '{first['field']}' {first['problem']}."
    if len(items) > 1:
        message += f" ({len(items)} problems in all; see data.)"
    return error_response(422, Reason.VALIDATION, message, items=items)


async def on_problem(request: Request, exc: Problem) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers or None)


async def on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    status = exc.status_code
    headers = dict(exc.headers or {})
    if status == 404:
        return error_response(404, Reason.NOT_FOUND, "There is nothing at this address.")
    if status == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
        return error_response(
            405, Reason.BAD_REQUEST,
            f"This address does not accept {request.method} requests.", headers=headers,
        )
    if status == 400:
        return error_response(400, Reason.BAD_REQUEST, "The request body could not be read.")
    reason = Reason.SERVER_ERROR if status >= 500 else Reason.BAD_REQUEST
    return error_response(status, reason, str(exc.detail)[:300], headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method a route serves at this path (Starlette names only the first route's).

    A fixed address (`/v3/jobs/delete`) is its own resource: the templated routes that its
    path also fits (`/v3/jobs/{job_id}`) do not count.
    """
    fixed: set[str] = set()
    templated: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)  # PARTIAL: the path matches, the method not
        if match != Match.NONE:
            methods = set(getattr(route, "methods", None) or ())
            (templated if "{" in getattr(route, "path", "") else fixed).update(methods)
    return sorted(fixed or templated)


class GuardMiddleware:
    """Refuses oversized bodies, and turns any unexpected exception into the error body
    (500 `server_error`, or 503 `unavailable` when the database is busy): never a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > MAX_BODY
                except ValueError:
                    too_big = False
                if too_big:
                    response = error_response(
                        413, Reason.BAD_REQUEST, "The request body is too large."
                    )
                    await response(scope, receive, send)
                    return
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if isinstance(exc, sqlite3.OperationalError) and (
                "locked" in str(exc) or "busy" in str(exc)
            ):
                log.warning("database busy on %s %s", scope.get("method"), scope.get("path"))
                response = error_response(
                    503, Reason.UNAVAILABLE, "The server is busy. Try again in a moment.",
                    headers={"Retry-After": "1"},
                )
            else:
                # The exception's type and where it happened, never its message: a message
                # (a validation error's, say) could quote a token or a PIN.
                log.error(
                    "unexpected error on %s %s: %s\n%s", scope.get("method"), scope.get("path"),
                    type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)).rstrip(),
                )
                response = error_response(
                    500, Reason.SERVER_ERROR,
                    "Something went wrong on the server. Nothing was changed; try again.",
                )
            if not started:
                await response(scope, receive, send)


# --- the profile's list query ---------------------------------------------------------------------


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


Search = Annotated[str | None, Query(max_length=MAX_NAME)]
OwnerId = Annotated[int | None, Query(alias="ownerId", ge=1, le=MAX_ID)]


# --- the app ----------------------------------------------------------------------------------


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or ServerSettings()
    store = Store(settings)
    new_client_secret = clients.ensure_one(store)
    app = FastAPI(
        title="station embedded server",
        version=station.__version__,
        description="The vendor REST API v3 for jobs as station speaks it (api-contract.md).",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.new_client_secret = new_client_secret  # shown once by `station serve`, then dropped
    app.add_exception_handler(Problem, on_problem)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http_error)  # type: ignore[arg-type]
    app.add_middleware(GuardMiddleware)

    @app.get("/", include_in_schema=False)
    @app.get("/api", include_in_schema=False)
    async def root() -> dict[str, str]:
        return {"name": "station", "version": station.__version__, "docs": "/api/docs"}

    # -- authentication ----------------------------------------------------------------------

    @app.post(
        "/api/auth/token", response_model=m.Token, response_model_exclude_none=True,
        tags=["auth"], responses=error_responses(400, 401, 413, 422, 429),
    )
    async def token(body: m.TokenRequest, request: Request, response: Response) -> dict:
        response.headers["Cache-Control"] = "no-store"
        address = request.client.host if request.client else "unknown"
        return auth.token_grant(store, body, address)

    @app.post(
        "/api/auth/revoke", tags=["auth"],
        responses=error_responses(400, 401, 413, 422, 429),
    )
    async def revoke(body: m.RevokeRequest, request: Request) -> dict:
        address = request.client.host if request.client else "unknown"
        auth.revoke(store, body, address)
        return {}

    # -- users and projects ------------------------------------------------------------------

    @app.get(
        "/api/v3/users/me", response_model=m.User, tags=["users"],
        responses=error_responses(401, 403),
    )
    async def users_me(p: Caller) -> m.User:
        p.require("jobs", "users")
        return jobs.me(store, p)

    @app.get(
        "/api/v3/users", response_model=m.UserList, tags=["users"],
        responses=error_responses(401, 403, 422),
    )
    async def users(
        p: Caller, search: Search = None, limit: Limit = 100, start: Start = 0
    ) -> m.UserList:
        return jobs.list_users(store, p, search, limit, start)

    @app.get(
        "/api/v3/projects", response_model=m.ProjectList, tags=["users"],
        responses=error_responses(401, 403, 422),
    )
    async def projects(
        p: Caller, owner_id: OwnerId = None, search: Search = None, limit: Limit = 100,
        start: Start = 0,
    ) -> m.ProjectList:
        p.require("jobs")
        return jobs.list_projects(store, p, owner_id, search, limit, start)

    # -- jobs --------------------------------------------------------------------------------

    @app.get(
        "/api/v3/jobs", response_model=ProfileJobList, tags=["jobs"],
        responses=error_responses(401, 403, 422),
    )
    async def list_jobs(
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
            store, p, states=parse_states(state), favorite=favorite, owner_id=owner_id,
            search=search, sort=sort, limit=limit, start=start, all_owners=all_owners,
        )
        return ProfileJobList(jobs=listed.jobs, count=listed.count)

    @app.patch(
        "/api/v3/jobs", response_model=m.JobList, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def patch_many(body: m.JobsPatch, request: Request, p: Caller) -> m.JobList:
        p.require("jobs")
        changed = jobs.patch_jobs(store, p, patch_items(body), reason_of(request))
        return m.JobList(jobs=changed, count=len(changed))

    @app.post(
        "/api/v3/jobs/delete", response_model=m.JobList, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def delete_many(ids: JobIdList, request: Request, p: Caller) -> m.JobList:
        p.require("jobs")
        canceled = jobs.cancel_jobs(store, p, ids, reason_of(request))
        return m.JobList(jobs=canceled, count=len(canceled))

    @app.post(
        "/api/v3/jobs/client", response_model=m.ClientJobCreated, status_code=201, tags=["jobs"],
        responses={
            200: {"description": "A job with this uuid exists: its id", "model": m.ClientJobCreated},
            **error_responses(400, 401, 403, 404, 413, 422),
        },
    )
    async def spool(
        body: m.ClientJob, request: Request, response: Response, p: Caller
    ) -> m.ClientJobCreated:
        p.require("jobs")
        try:
            info = m.JobInfo.model_validate(body.job_info)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**e, "loc": ("body", "jobInfo", *e["loc"])} for e in exc.errors()]
            ) from None
        job_id, created = jobs.spool(store, p, body, info, reason_of(request))
        if not created:
            response.status_code = 200
        return m.ClientJobCreated(id=job_id)

    @app.post(
        "/api/v3/jobs/process", response_model=m.ProcessResult, status_code=202, tags=["jobs"],
        responses=error_responses(400, 401, 402, 403, 404, 409, 413, 422),
    )
    async def process(body: m.ProcessRequest, request: Request, p: Caller) -> dict:
        p.require("jobs")
        return jobs.release(store, p, body, reason_of(request))

    @app.get(
        "/api/v3/jobs/{job_id}", response_model=m.Job, tags=["jobs"],
        responses=error_responses(401, 403, 404, 422),
    )
    async def get_job(job_id: str, p: Caller) -> m.Job:
        p.require("jobs")
        return jobs.get_job(store, p, job_id_of(job_id))

    @app.get(
        "/api/v3/jobs/{job_id}/state", response_model=m.JobStateReply, tags=["jobs"],
        responses=error_responses(401, 403, 404, 422),
    )
    async def get_job_state(job_id: str, p: Caller) -> m.JobStateReply:
        p.require("jobs")
        return jobs.job_state(store, p, job_id_of(job_id))

    @app.patch(
        "/api/v3/jobs/{job_id}", response_model=m.Job, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def patch_one(job_id: str, body: m.JobPatch, request: Request, p: Caller) -> m.Job:
        p.require("jobs")
        item = m.JobsPatchItem(
            id=job_id_of(job_id), owner_id=body.owner_id, project_id=body.project_id,
            favorite=body.favorite,
        )
        return jobs.patch_jobs(store, p, [item], reason_of(request))[0]

    @app.delete(
        "/api/v3/jobs/{job_id}", status_code=204, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 422),
    )
    async def delete_one(job_id: str, request: Request, p: Caller) -> Response:
        p.require("jobs")
        jobs.cancel_jobs(store, p, [job_id_of(job_id)], reason_of(request))
        return Response(status_code=204)

    @app.post(
        "/api/v3/jobs/{job_id}/script", response_model=m.ScriptReply, tags=["jobs"],
        responses=error_responses(400, 401, 403, 404, 409, 413, 422),
    )
    async def job_script(
        job_id: str,
        request: Request,
        p: Caller,
        body: Annotated[
            dict[str, Any] | None,
            Body(examples=[{}, {"-1052320151": {"duplex": True, "simplex": None}, "state": []}]),
        ] = None,
    ) -> m.ScriptReply:
        p.require("jobs")
        return jobs.script(store, p, job_id_of(job_id), body or {}, reason_of(request))

    # -- audit -------------------------------------------------------------------------------

    @app.get(
        "/api/v3/audit", response_model=m.AuditList, tags=["audit"],
        responses=error_responses(401, 403, 422),
    )
    async def audit(
        p: Caller, owner_id: OwnerId = None, limit: Limit = 100, start: Start = 0
    ) -> m.AuditList:
        p.require("jobs", "users")
        return jobs.list_audit(store, p, owner_id, limit, start)

    # -- the vendor's printer and user calls (both modes) --------------------------------------

    printers.add_routes(app, vendor=settings.api == "vendor")
    people.add_routes(app)
    if settings.api == "vendor":
        vendor.install(app)
    return app
