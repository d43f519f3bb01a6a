"""What every route module of the server needs from a request: the caller, ids, the reason.

Shared by the route modules (`routes/`, `printers.py`, `people.py`, `vendor.py`), so none of them
imports another's routes.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Body, Depends, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field

from station.api import models as m
from station.api.models import MAX_ID, MAX_IDS, MAX_NAME, Reason
from station.server import auth, printing
from station.server.auth import Principal
from station.server.errors import Problem
from station.server.store import Store

MAX_REASON = 500
_ID = re.compile(r"[0-9]{1,10}", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def store_of(request: Request) -> Store:
    return request.app.state.store


# Declares the bearer scheme in the OpenAPI document; `auth.authenticate` does the checking.
_bearer = HTTPBearer(
    auto_error=False, scheme_name="bearer",
    description="An access token from POST /api/auth/token.",
)


def caller(
    request: Request,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
) -> Principal:
    """The authenticated caller; moves printing and expiry on first."""
    store = store_of(request)
    principal = auth.authenticate(store, request.headers.get("authorization"))
    printing.advance(store)
    return principal


Caller = Annotated[Principal, Depends(caller)]


async def authenticated(request: Request) -> Principal:
    """The authenticated caller, for a route that moves printing on in its own read
    (`printing.current`) and declares `BEARER` itself. A token checked a moment ago is answered
    on the event loop; any other goes to the thread pool, as every database read does."""
    store = store_of(request)
    header = request.headers.get("authorization")
    known = auth.cached_caller(store, header)
    if known is not None:
        return known
    return await run_in_threadpool(auth.authenticate, store, header)


BEARER: dict[str, Any] = {"security": [{"bearer": []}]}
"""The OpenAPI `security` of a route that calls `authenticated` itself (no dependency)."""


def reason_of(request: Request) -> str | None:
    raw = request.headers.get(m.REASON_HEADER)
    if raw is None:
        return None
    try:  # HTTP headers arrive as latin-1; clients send a reason's letters as UTF-8
        raw = raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    text = _CONTROL.sub(" ", raw).strip()[:MAX_REASON]
    return text or None


def path_id(raw: str, what: str) -> int:
    """A path id: anything that is not an id in range is simply not found."""
    if _ID.fullmatch(raw) and 1 <= int(raw) <= MAX_ID:
        return int(raw)
    raise Problem(404, Reason.NOT_FOUND, f"There is no such {what}.")


def job_id_of(raw: str) -> int:
    return path_id(raw, "job")


Limit = Annotated[int, Query(ge=0, le=500, description="Page length (max 500).")]
Search = Annotated[str | None, Query(max_length=MAX_NAME)]
OwnerId = Annotated[int | None, Query(alias="ownerId", ge=1, le=MAX_ID)]
Start = Annotated[int, Query(ge=0, le=MAX_ID, description="Offset of the first item.")]
JobIdList = Annotated[
    list[Annotated[int, Field(ge=1, le=MAX_ID)]],
    Body(min_length=1, max_length=MAX_IDS, examples=[[101, 102]]),
]


def patch_items(body: m.JobsPatch) -> list[m.JobsPatchItem]:
    """The items of a PATCH of many jobs: 422 when one job is named twice."""
    ids = [item.id for item in body.jobs]
    if len(set(ids)) != len(ids):
        raise Problem(
            422, Reason.VALIDATION,
            "The request is not valid: 'jobs' names the same job twice.", field="jobs",
        )
    return body.jobs
