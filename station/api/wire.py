"""The wire under `StationClient`: one httpx.AsyncClient to one server, and the one place a
request is sent.

A 4xx/5xx answer becomes its typed `ApiError`, no answer becomes a `ServerUnreachable`, and a
2xx body is read into a model (`read`), or counted as done whatever it holds (`change`: contract
7.3, point 3). A call the server may not have goes through `optional`, which learns the
server's answer once (`capabilities.py`).

Each call is logged with its method, path and status, never a query, a body or a header: no
token, PIN, card number or password reaches a log.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from station.api.auth import TokenAuth
from station.api.capabilities import ABSENT_STATUSES, Capabilities, capabilities_of
from station.api.errors import ApiError, BadResponse, error_from_response
from station.api.models import REASON_HEADER
from station.api.tls import Verify, ssl_context
from station.api.unreachable import transport_error

log = logging.getLogger("station.api")

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

ByStatus = dict[int, type[ApiError]]


class Wire:
    """Requests to one server (`<server>/api`), with the session's token where asked."""

    def __init__(
        self,
        server: str,
        auth: TokenAuth,
        *,
        timeout: float,
        verify: Verify,
        transport: httpx.AsyncBaseTransport | None,
    ) -> None:
        self.auth = auth
        self.http = httpx.AsyncClient(
            base_url=f"{server}/api",
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            verify=ssl_context(verify),
            transport=transport,
            headers={"Accept": "application/json"},
            follow_redirects=False,
            event_hooks={"request": [self._counted]},
        )
        self.capabilities: Capabilities = capabilities_of(server, transport)
        self.requests_sent = 0  # every HTTP request, renewals and retries included (benchmarks read it)
        # Shown every answer (`station doctor` reads statuses, times and field names from them).
        self.watch: Callable[[httpx.Response], None] | None = None

    async def _counted(self, request: httpx.Request) -> None:
        self.requests_sent += 1

    async def aclose(self) -> None:
        await self.http.aclose()

    # --- sending ---------------------------------------------------------------------------------

    async def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        authorized: bool = True,
        reason: str | None = None,
        by_status: ByStatus | None = None,
    ) -> httpx.Response:
        """One request; a 2xx answer. A 4xx/5xx raises its kind (`by_status` first, when the
        body names no reason); no answer raises `ServerUnreachable`."""
        headers: dict[str, Any] = {}
        if reason:
            # UTF-8 bytes: a reason may hold any letter; control characters would break the header.
            headers[REASON_HEADER] = _header_text(reason)
        try:
            response = await self.http.request(
                method, path, json=json, params=params, headers=headers,
                auth=self.auth if authorized else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TransportError as error:
            unreachable = transport_error(error, self.http.base_url.host)
            log.info("%s %s failed: %s", method, path, type(unreachable).__name__)
            raise unreachable from None
        log.info("%s %s -> %s", method, path, response.status_code)
        if self.watch is not None:
            self.watch(response)
        if response.status_code >= 400:
            raise error_from_response(
                response.status_code, json_or_none(response), response.headers.get("Retry-After"), by_status
            )
        return response

    async def read(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        authorized: bool = True,
        reason: str | None = None,
        by_status: ByStatus | None = None,
    ) -> M:
        """A call whose answer is needed: a body that does not fit `model` raises BadResponse."""
        response = await self.send(
            method, path, json=json, params=params, authorized=authorized, reason=reason, by_status=by_status
        )
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise BadResponse(f"The print server's answer to {method} {path} was not in the expected shape.") from None

    async def change(
        self, method: str, path: str, model: type[M], *, json: Any = None, reason: str | None = None
    ) -> M | None:
        """A change: any 2xx is done (contract 7.3, point 3); what the body said, or None."""
        response = await self.send(method, path, json=json, reason=reason)
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            return None

    async def body(self, method: str, path: str, *, json: Any = None, authorized: bool = True) -> Any:
        """The 2xx answer's JSON as it is (None when empty or not JSON)."""
        response = await self.send(method, path, json=json, authorized=authorized)
        return json_or_none(response) if response.content else None

    async def optional(
        self, call: str, send: Callable[[], Awaitable[T]], *, absent: frozenset[int] = ABSENT_STATUSES
    ) -> T | None:
        """A call the server may not have: None (and not asked again) when it answers that it
        has not, or with something that does not parse."""
        if self.capabilities.lacks(call):
            return None
        try:
            result = await send()
        except BadResponse:
            self.capabilities.learn(call, present=False)
            return None
        except ApiError as error:
            if error.status in absent:
                self.capabilities.learn(call, present=False)
                return None
            raise
        self.capabilities.learn(call, present=True)
        return result

    async def diagnose(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None,
        authorized: bool = True,
    ) -> httpx.Response:
        """One call as it is, whatever its status (the doctor reads it); no answer raises as usual."""
        try:
            response = await self.http.request(
                method, path, params=params, json=json, auth=self.auth if authorized else httpx.USE_CLIENT_DEFAULT
            )
        except httpx.TransportError as error:
            raise transport_error(error, self.http.base_url.host) from None
        if self.watch is not None:
            self.watch(response)
        return response


def given(**values: Any) -> dict[str, Any]:
    """Only the fields that were given: `None` means "leave as it is"."""
    return {key: value for key, value in values.items() if value is not None}


def json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _header_text(text: str) -> bytes:
    printable = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return printable[:500].encode("utf-8")
