"""The server's error: one exception that becomes the contract's error body, the body itself, and
how the OpenAPI document describes it."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from station.api.models import Reason


class Problem(Exception):
    """A refused request: `{"code": status, "message": message, "data": items}`.

    `items` lists one object per failing thing (each with its `reason`); when none is given,
    one object with `reason` and the `extra` fields is sent.
    """

    def __init__(
        self,
        status: int,
        reason: Reason,
        message: str,
        *,
        items: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.items = items or [{"reason": reason.value, **extra}]
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"code": self.status, "message": self.message, "data": self.items}


def not_found(what: str = "job", **extra: Any) -> Problem:
    return Problem(404, Reason.NOT_FOUND, f"There is no such {what}.", **extra)


def error_response(
    status: int, reason: Reason, message: str, *, headers: dict[str, str] | None = None,
    items: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    """The error body as an answer, for refusals made outside a route (no `Problem` raised)."""
    body = {"code": status, "message": message, "data": items or [{"reason": reason.value}]}
    return JSONResponse(body, status_code=status, headers=headers)


# --- the error body as the OpenAPI document describes it --------------------------------------


class ErrorItem(BaseModel):
    """One failing thing: its stable reason word, and whatever names it (`id`, `field`...)."""

    model_config = ConfigDict(extra="allow")

    reason: Reason


class ErrorResponse(BaseModel):
    """The body of every 4xx/5xx answer (contract section 1)."""

    model_config = ConfigDict(extra="forbid")

    code: int = Field(description="A number for the error; may differ from the HTTP status.")
    message: str = Field(min_length=1, description="A sentence for a person.")
    data: list[ErrorItem] = Field(min_length=1)


ERROR_DESCRIPTIONS = {
    400: "Bad request (e.g. `unknown_project`, `unknown_account`, `reason_required`, `bad_answer`)",
    401: "No, expired or revoked token (`invalid_token`, `token_expired`), or a bad login"
    " (`invalid_login`, `invalid_client`)",
    402: "Not enough credit (`insufficient_credit`, with `required` and `balance`)",
    403: "Not allowed (`scope_missing`, `not_allowed`)",
    404: "Not found, or another user's (`not_found`, `unknown_queue`)",
    409: "State conflict (`job_state`, `interaction_pending`, `project_required`, `stale_state`)",
    413: "The request body is over 1 MB, declared or sent in chunks (`bad_request`)",
    422: "The request is not valid (`validation`)",
    429: "Locked out after too many failed logins (`locked_out`)",
    500: "Unexpected server error (`server_error`): nothing was changed",
    503: "The server is busy or its disk is full (`unavailable`): nothing was changed; try again after"
    " `Retry-After`",
}

_SECONDS = {"type": "string", "pattern": "^[0-9]+$"}


def _header(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "schema": schema, "required": True}


_ERROR_HEADERS = {
    401: {"WWW-Authenticate": _header("Bearer, with the reason word", {"type": "string"})},
    429: {"Retry-After": _header("Seconds until the lockout ends", _SECONDS)},
    503: {"Retry-After": _header("Seconds to wait before trying again", _SECONDS)},
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a route: each error status it can answer, with the error body.

    Every route may also answer 500 and 503 (the guard middleware's last word).
    """
    documented: dict[int | str, dict[str, Any]] = {}
    for status in sorted({*statuses, 500, 503}):
        entry: dict[str, Any] = {"model": ErrorResponse, "description": ERROR_DESCRIPTIONS[status]}
        if status in _ERROR_HEADERS:
            entry["headers"] = _ERROR_HEADERS[status]
        documented[status] = entry
    return documented
