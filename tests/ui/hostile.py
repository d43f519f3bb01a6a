"""A print server that misbehaves, for the things the real one never does on its own.

`Hostile(app)` is an ASGI app of the tests' own in front of the real embedded server: requests
pass through to it unless a rule for their method and path says otherwise (answer 500, send a
body that is not JSON, change the JSON on its way back, take its time). `FaultyWire` is the
wire to it: it can be cut (`down`), and it keeps the client's read timeout the way a socket
does (the in-process ASGI transport would otherwise wait for ever).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from .support import Wire

Send = Callable[[dict[str, Any]], Awaitable[None]]
Rule = Callable[[dict[str, Any], Any, Send], Awaitable[None]]


class Hostile:
    """The real server, unless a rule for (method, path) answers instead."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.rules: dict[tuple[str, str], Rule] = {}
        self.seen: Counter[tuple[str, str]] = Counter()

    @property
    def state(self) -> Any:  # tests read the store through the app: app.state.store
        return self.inner.state

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Send) -> None:
        if scope["type"] == "http":
            key = (scope["method"], scope["path"])
            self.seen[key] += 1
            rule = self.rules.get(key)
            if rule is not None:
                await rule(scope, receive, send)
                return
        await self.inner(scope, receive, send)

    # --- rules -----------------------------------------------------------------------------

    def answer(self, method: str, path: str, status: int, body: bytes | str | Any, content_type: str = "") -> None:
        """Always answer this: bytes or text as they are, anything else as JSON."""
        if isinstance(body, str):
            raw, kind = body.encode(), content_type or "text/html; charset=utf-8"
        elif isinstance(body, bytes):
            raw, kind = body, content_type or "application/octet-stream"
        else:
            raw, kind = json.dumps(body).encode(), content_type or "application/json"

        async def rule(scope: dict[str, Any], receive: Any, send: Send) -> None:
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", kind.encode()), (b"content-length", str(len(raw)).encode())]})
            await send({"type": "http.response.body", "body": raw})

        self.rules[(method, f"/api{path}")] = rule

    def change(self, method: str, path: str, edit: Callable[[Any], Any]) -> None:
        """Pass the request on, and change the JSON of the answer on its way back."""

        async def rule(scope: dict[str, Any], receive: Any, send: Send) -> None:
            start: dict[str, Any] = {}
            chunks: list[bytes] = []

            async def keep(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    start.update(message)
                else:
                    chunks.append(message.get("body", b""))

            await self.inner(scope, receive, keep)
            raw = json.dumps(edit(json.loads(b"".join(chunks)))).encode()
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(raw)).encode())]})
            await send({"type": "http.response.body", "body": raw})

        self.rules[(method, f"/api{path}")] = rule

    def slow(self, method: str, path: str, seconds: float) -> None:
        """Take `seconds` before the real server answers."""

        async def rule(scope: dict[str, Any], receive: Any, send: Send) -> None:
            await asyncio.sleep(seconds)
            await self.inner(scope, receive, send)

        self.rules[(method, f"/api{path}")] = rule

    def hold(self, method: str, path: str) -> asyncio.Event:
        """Hold each such request until the test sets the event it gets back (then the real
        server answers): a request in flight for as long as the test needs, on any machine."""
        release = asyncio.Event()

        async def rule(scope: dict[str, Any], receive: Any, send: Send) -> None:
            await release.wait()
            await self.inner(scope, receive, send)

        self.rules[(method, f"/api{path}")] = rule
        return release

    def count(self, method: str, path: str) -> int:
        return self.seen[(method, f"/api{path}")]


class FaultyWire(Wire):
    """A `Wire` (cut it with `down = True`) that gives up when the client's read timeout passes.

    `reading()` is the read timeout of each request in flight, as the client set it; `time_out()`
    lets those timeouts pass now, as they would once their seconds have gone by: a test drives
    the timeout instead of waiting for it.
    """

    def __init__(self, app: Any, delay: float = 0.0) -> None:
        super().__init__(app, delay)
        self._reading: dict[asyncio.Timeout, float | None] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout = (request.extensions.get("timeout") or {}).get("read")
        try:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
            # that arrives as the request fails (Escape on a login then went unheard).
            async with asyncio.timeout(timeout) as reading:
                self._reading[reading] = timeout
                try:
                    return await super().handle_async_request(request)
                finally:
                    del self._reading[reading]
        except TimeoutError:
            raise httpx.ReadTimeout("the server did not answer in time", request=request) from None

    def reading(self) -> list[float | None]:
        return list(self._reading.values())

    def time_out(self) -> None:
        now = asyncio.get_running_loop().time()
        for reading, seconds in self._reading.items():
            if seconds is not None:
                reading.reschedule(now)
