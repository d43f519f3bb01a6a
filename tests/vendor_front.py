"""ASGI fronts and transports of the tests' own before the real embedded server, for what a real
server does not do on demand: odd bodies, slow answers, lost answers.

The server itself answers in either of its modes: the profile (`ServerSettings()`) or the
vendor's API only (`ServerSettings(api="vendor")`, fixture `vendor_app`). Nothing here pretends
to be a vendor server.

- `Front(app)`: the real server, unless a rule says otherwise: `answer` (answer this instead),
  `rewrite` (let the real server do it, then answer this), `hang` (do it, then wait), `after`
  (do it, then run this once: move a fake clock, say). It counts the requests by method and
  path, keeps what was sent (`sent`) and each answer's status and body (`answered`).
- `LosingWire(app)`: a transport that passes each request to the server and, for the paths
  named in `lose`, drops the answer on the way back (`httpx.ReadError`, as a reset connection),
  or (`refuse`) never sends the request (`httpx.ConnectError`).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx

Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Sent:
    """One request as the front received it."""

    method: str
    path: str
    query: dict[str, str]
    body: bytes


async def _call(app: Any, scope: dict[str, Any], body: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Run one request through `app` with this body; its status, headers and body."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    start: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def keep(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, keep)
    return start["status"], list(start.get("headers", [])), b"".join(chunks)


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _reply(
    send: Send, status: int, body: bytes | None = None, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    raw = body or b""
    kept = [(k, v) for k, v in (headers or []) if k.lower() not in (b"content-length", b"content-type")]
    if raw:
        kept.append((b"content-type", b"application/json"))
    kept.append((b"content-length", str(len(raw)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": kept})
    await send({"type": "http.response.body", "body": raw})


class Front:
    """The real server, unless a rule says otherwise (see the module docstring)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seen: Counter[tuple[str, str]] = Counter()
        self.sent: list[Sent] = []
        self.rules: dict[tuple[str, str], tuple[int, Any]] = {}
        self.rewrites: dict[tuple[str, str], tuple[int, Any]] = {}
        self.hangs: dict[tuple[str, str], float] = {}
        self.afters: dict[tuple[str, str], Callable[[], object]] = {}
        self.answered: list[tuple[str, str, int, bytes]] = []  # (method, path, status, body) of each answer

    @property
    def state(self) -> Any:
        return self.inner.state

    def answer(self, method: str, path: str, status: int, body: Any) -> None:
        """Always answer this (JSON, or bytes as they are) to `method /api{path}`."""
        self.rules[(method, f"/api{path}")] = (status, body)

    def rewrite(self, method: str, path: str, status: int, body: Any) -> None:
        """Let the real server do it; when it succeeds, answer this instead (bytes as they are)."""
        self.rewrites[(method, f"/api{path}")] = (status, body)

    def hang(self, method: str, path: str, seconds: float) -> None:
        """Let the real server do it, then wait `seconds` before answering."""
        self.hangs[(method, f"/api{path}")] = seconds

    def after(self, method: str, path: str, action: Callable[[], object]) -> None:
        """Let the real server answer the next `method /api{path}`, then run `action` (once)."""
        self.afters[(method, f"/api{path}")] = action

    def count(self, method: str, path: str) -> int:
        return self.seen[(method, f"/api{path}")]

    def bodies(self, method: str, path: str) -> list[Any]:
        """The JSON bodies sent to `method /api{path}`, in order."""
        return [json.loads(s.body or b"null") for s in self.sent if (s.method, s.path) == (method, f"/api{path}")]

    def queries(self, method: str, path: str) -> list[dict[str, str]]:
        """The query of each request to `method /api{path}`, in order."""
        return [s.query for s in self.sent if (s.method, s.path) == (method, f"/api{path}")]

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        body = await _body(receive)
        self.seen[(method, path)] += 1
        self.sent.append(Sent(method, path, dict(parse_qsl(scope.get("query_string", b"").decode())), body))
        if (method, path) in self.rules:
            status, answer = self.rules[(method, path)]
            await self._answer(send, method, path, status, answer)
            return
        status, headers, raw = await _call(self.inner, scope, body)
        action = self.afters.pop((method, path), None)
        if action is not None:
            action()
        if (method, path) in self.hangs:
            await asyncio.sleep(self.hangs[(method, path)])
        if (method, path) in self.rewrites and status < 300:
            status, answer = self.rewrites[(method, path)]
            await self._answer(send, method, path, status, answer)
            return
        self.answered.append((method, path, status, raw))
        await _reply(send, status, raw, headers)

    async def _answer(self, send: Send, method: str, path: str, status: int, answer: Any) -> None:
        raw = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        self.answered.append((method, path, status, raw))
        await _reply(send, status, raw)


class LosingWire(httpx.AsyncBaseTransport):
    """The in-process server behind a wire that loses answers (see the module docstring)."""

    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.lose: set[tuple[str, str]] = set()  # (method, path under /api): answer lost
        self.refuse: set[tuple[str, str]] = set()  # (method, path under /api): never sent
        self.down = False  # nothing is sent
        self.sent: Counter[tuple[str, str]] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.method, request.url.path.removeprefix("/api"))
        if self.down or key in self.refuse:
            raise httpx.ConnectError("connection refused", request=request)
        self.sent[key] += 1
        response = await self.inner.handle_async_request(request)
        if key in self.lose:
            await response.aread()
            raise httpx.ReadError("connection reset by peer", request=request)
        return response
