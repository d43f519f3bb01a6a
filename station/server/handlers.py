"""The exception handlers: every refusal FastAPI or Starlette makes becomes the error body.

`install(app)` adds them: a `Problem` as it says, a validation error as 422 `validation` with one
item per field, 404 and 405 (with every method the path serves in `Allow`) in words.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from station.api.models import Reason
from station.server.errors import Problem, error_response


def install(app: FastAPI) -> None:
    app.add_exception_handler(Problem, on_problem)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http_error)  # type: ignore[arg-type]


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
