"""ASGI fronts of the tests' own before the real embedded server, for what it does not (yet) do.

- `ProfileMarker(app)`: adds `"profileQuery"` to the replies of `GET /v3/jobs`, as the profile
  server does once the vendor-server branch is merged (wire decisions). It changes nothing
  when the reply already carries it, so it can go once that branch is in.
- `Front(app)`: the real server, unless a rule says otherwise: `answer` (answer this instead),
  `rewrite` (let the real server do it, then answer this), `hang` (do it, then wait). It
  counts the requests by method and path.
- `VendorFront(app)`: a `Front` that answers as a print server with only the vendor's API (contract
  7.1) would answer: no profile endpoints (404, `data: []`), no reason words, the job list
  with `limit` and `start` only and vendor fields only, `dateTime` without an offset, empty
  202/204 bodies for process, delete and script, and the release at a printer (translated to
  the real server's `process`, the options recorded) and `printAll` for printers 1 and 2.
- `LosingWire(app)`: a transport that passes each request to the server and, for the paths
  named in `lose`, drops the answer on the way back (`httpx.ReadError`, as a reset connection),
  or (`refuse`) never sends the request (`httpx.ConnectError`).

Everything else passes through to the real server unchanged.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx

Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]

PROFILE_QUERY = ["state", "favorite", "ownerId", "search", "sort", "all"]
VENDOR_JOB_FIELDS = ("id", "name", "date", "dateTime", "favorite", "cost", "duplex", "color", "pageCount",
                     "colorCount", "copies", "paper")
PROFILE_ONLY = {("GET", "/api/v3/users/me"), ("GET", "/api/v3/projects"), ("GET", "/api/v3/audit"),
                ("POST", "/api/auth/revoke")}
PRINTER_RELEASE = re.compile(r"^/api/v3/printers/([^/]+)/jobs/release$")
PRINT_ALL = re.compile(r"^/api/v3/printers/([^/]+)/printAll$")
PRINTERS = {"1", "2"}
SCRIPT = re.compile(r"^/api/v3/jobs/\d+/script$")


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


async def _reply(send: Send, status: int, body: bytes | None = None, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    raw = body or b""
    kept = [(k, v) for k, v in (headers or []) if k.lower() not in (b"content-length", b"content-type")]
    if raw:
        kept.append((b"content-type", b"application/json"))
    kept.append((b"content-length", str(len(raw)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": kept})
    await send({"type": "http.response.body", "body": raw})


class ProfileMarker:
    """The real server, with `profileQuery` in its job lists (see the module docstring)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    @property
    def state(self) -> Any:
        return self.inner.state

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) != ("GET", "/api/v3/jobs"):
            await self.inner(scope, receive, send)
            return
        status, headers, raw = await _call(self.inner, scope, await _body(receive))
        if status == 200:
            body = json.loads(raw)
            body.setdefault("profileQuery", PROFILE_QUERY)
            raw = json.dumps(body).encode()
        await _reply(send, status, raw, headers)


class Front:
    """The real server, unless a rule says otherwise (see the module docstring)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seen: Counter[tuple[str, str]] = Counter()
        self.rules: dict[tuple[str, str], tuple[int, Any]] = {}
        self.rewrites: dict[tuple[str, str], tuple[int, Any]] = {}
        self.hangs: dict[tuple[str, str], float] = {}

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

    def count(self, method: str, path: str) -> int:
        return self.seen[(method, f"/api{path}")]

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        self.seen[(method, path)] += 1
        body = await _body(receive)
        if (method, path) in self.rules:
            status, answer = self.rules[(method, path)]
            await _reply(send, status, answer if isinstance(answer, bytes) else json.dumps(answer).encode())
        elif not await self.special(method, path, scope, body, send):
            status, headers, raw = await _call(self.inner, scope, body)
            if (method, path) in self.hangs:
                await asyncio.sleep(self.hangs[(method, path)])
            if (method, path) in self.rewrites and status < 300:
                status, answer = self.rewrites[(method, path)]
                await _reply(send, status, answer if isinstance(answer, bytes) else json.dumps(answer).encode())
                return
            await self.reply(method, path, body, status, headers, raw, send)

    async def special(self, method: str, path: str, scope: dict[str, Any], body: bytes, send: Send) -> bool:
        """Answer a request of its own (True), or let it through (False)."""
        return False

    async def reply(self, method: str, path: str, body: bytes, status: int,
                    headers: list[tuple[bytes, bytes]], raw: bytes, send: Send) -> None:
        await _reply(send, status, raw, headers)


class VendorFront(Front):
    """The real server as a vendor-only print server (see the module docstring)."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.releases: list[dict[str, Any]] = []  # bodies of the releases at a printer
        self.job_queries: list[dict[str, str]] = []  # the query of each GET /v3/jobs

    async def special(self, method: str, path: str, scope: dict[str, Any], body: bytes, send: Send) -> bool:
        if (method, path) in PROFILE_ONLY:
            await _reply(send, 404, json.dumps({"code": 404, "message": "Not found", "data": []}).encode())
        elif method == "GET" and path == "/api/v3/jobs":
            await self._job_list(scope, body, send)
        elif method == "POST" and (match := PRINTER_RELEASE.match(path)):
            await self._release_at_printer(scope, body, send, match.group(1))
        elif method == "GET" and (match := PRINT_ALL.match(path)):
            await self._print_all(scope, send, match.group(1))
        else:
            return False
        return True

    async def _print_all(self, scope: dict[str, Any], send: Send, printer: str) -> None:
        if printer not in PRINTERS:
            await _reply(send, 404, json.dumps({"code": 404, "message": "Unknown printer", "data": []}).encode())
            return
        inner = {**scope, "path": "/api/v3/jobs", "raw_path": b"/api/v3/jobs", "query_string": b"state=ready"}
        status, _, raw = await _call(self.inner, inner, b"")
        if status >= 400:
            await _reply(send, status, json.dumps({"code": status, "message": "", "data": []}).encode())
            return
        jobs = [{"id": job["id"], "projectId": job.get("projectId", 0)} for job in json.loads(raw)["jobs"]]
        reply = {"jobs": jobs, "counters": [], "moreJobs": False, "projectSelected": False}
        await _reply(send, 200, json.dumps(reply).encode())

    async def _job_list(self, scope: dict[str, Any], body: bytes, send: Send) -> None:
        query = dict(parse_qsl(scope.get("query_string", b"").decode()))
        self.job_queries.append(query)
        if set(query) - {"limit", "start"}:  # "Incorrect or unsupported filter will return empty result."
            await _reply(send, 200, json.dumps({"jobs": [], "count": 0}).encode())
            return
        status, headers, raw = await _call(self.inner, scope, body)
        if status == 200:
            listed = json.loads(raw)
            listed.pop("profileQuery", None)
            listed["jobs"] = [vendor_job(job) for job in listed["jobs"]]
            raw = json.dumps(listed).encode()
        await self.reply("GET", "/api/v3/jobs", body, status, headers, raw, send)

    async def _release_at_printer(self, scope: dict[str, Any], body: bytes, send: Send, printer: str) -> None:
        asked = json.loads(body or b"{}")
        self.releases.append({"printer": printer, **asked})
        if printer not in PRINTERS:
            await _reply(send, 404, json.dumps({"code": 404, "message": "Unknown printer", "data": []}).encode())
            return
        process = {"jobIds": asked.get("jobIds", []), "projectId": asked.get("projectId") or 0,
                   "account": asked.get("account")}
        raw_process = json.dumps(process).encode()
        kept = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
        inner = {**scope, "path": "/api/v3/jobs/process", "raw_path": b"/api/v3/jobs/process",
                 "headers": [*kept, (b"content-length", str(len(raw_process)).encode())]}
        status, headers, raw = await _call(self.inner, inner, raw_process)
        await self.reply("POST", "/api/v3/jobs/process", body, status, headers, raw, send)

    async def reply(self, method: str, path: str, body: bytes, status: int,
                    headers: list[tuple[bytes, bytes]], raw: bytes, send: Send) -> None:
        if status >= 400:
            try:
                message = json.loads(raw).get("message", "")
            except ValueError:
                message = ""
            await _reply(send, status, json.dumps({"code": status, "message": message, "data": []}).encode())
        elif method == "POST" and path in ("/api/v3/jobs/process", "/api/v3/jobs/delete"):
            await _reply(send, 202 if path.endswith("process") else 204)
        elif method == "POST" and SCRIPT.match(path):
            await _reply(send, 204)  # the ask form gives no dialog; an answer changed the job
        elif method == "PATCH" and status == 200:
            changed = json.loads(raw)
            if "jobs" in changed:
                changed["jobs"] = [vendor_job(job) for job in changed["jobs"]]
            else:
                changed = vendor_job(changed)
            await _reply(send, 200, json.dumps(changed).encode())
        elif method == "GET" and re.match(r"^/api/v3/jobs/\d+$", path) and status == 200:
            await _reply(send, 200, json.dumps(vendor_job(json.loads(raw))).encode())
        else:
            await _reply(send, status, raw, headers)


def vendor_job(job: dict[str, Any]) -> dict[str, Any]:
    """Vendor fields only; `dateTime` in the server's local time without an offset."""
    shaped = {key: job[key] for key in VENDOR_JOB_FIELDS if key in job}
    if isinstance(shaped.get("dateTime"), str):
        shaped["dateTime"] = shaped["dateTime"][:19]
        shaped["date"] = shaped["dateTime"][:10]
    return shaped


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
