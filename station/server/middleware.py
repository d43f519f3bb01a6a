"""The guard around the whole app: bodies within bounds, and no traceback ever reaches a client."""

from __future__ import annotations

import logging
import sqlite3
import traceback

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from station.api.models import Reason
from station.server.errors import error_response

log = logging.getLogger("station.server")

MAX_BODY = 1_000_000
DISK_FULL_RETRY = 60
"""Seconds a client is asked to wait when the disk is full: room is not made in a moment."""


class BodyTooLarge(Exception):
    """The request body passed `MAX_BODY` while it streamed; the 413 has been sent."""


def too_large() -> JSONResponse:
    return error_response(413, Reason.BAD_REQUEST, "The request body is too large.")


def declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class GuardMiddleware:
    """Bounds every request body, and turns any unexpected exception into the error body
    (500 `server_error`; 503 `unavailable` when the database is busy or the disk is full, with
    `Retry-After`): never a traceback. A failed request changed nothing: its transaction was
    rolled back (by SQLite itself on a full disk).

    A body is counted as it arrives, whether it declares its length or comes in chunks: past
    `MAX_BODY` the answer is 413 at once and the app reads no more of it (whatever it then does
    with `BodyTooLarge` is not sent). uvicorn discards the rest of that body as it comes.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if (declared_length(scope) or 0) > MAX_BODY:
            await too_large()(scope, receive, send)
            return
        started = refused = False
        received = 0

        async def receive_bounded() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY:
                    if not refused and not started:
                        await too_large()(scope, receive, send)
                    refused = True
                    raise BodyTooLarge
            return message

        async def send_unless_refused(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 was the answer
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive_bounded, send_unless_refused)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if refused:
                return
            if isinstance(exc, sqlite3.OperationalError) and (
                "locked" in str(exc) or "busy" in str(exc)
            ):
                log.warning("database busy on %s %s", scope.get("method"), scope.get("path"))
                response = error_response(
                    503, Reason.UNAVAILABLE, "The server is busy. Try again in a moment.",
                    headers={"Retry-After": "1"},
                )
            elif isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):  # SQLITE_FULL
                log.error("disk full on %s %s", scope.get("method"), scope.get("path"))
                response = error_response(
                    503, Reason.UNAVAILABLE,
                    "The server's disk is full: nothing was changed. Try again later.",
                    headers={"Retry-After": str(DISK_FULL_RETRY)},
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
