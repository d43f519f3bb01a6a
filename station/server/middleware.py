"""The guard around the whole app: bodies within bounds, and no traceback ever reaches a client."""

from __future__ import annotations

import logging
import sqlite3
import traceback

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from station.api.models import Reason
from station.server.errors import error_response

log = logging.getLogger("station.server")

MAX_BODY = 1_000_000


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
