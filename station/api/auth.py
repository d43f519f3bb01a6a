"""The session's token as an `httpx.Auth` that renews itself (contract 7.3, point 4).

Every authorized request goes out with `Authorization: Bearer <access token>`. The token is
renewed with the refresh token shortly before `expires_in` runs out, and once when an
authorized call answers 401 whatever the body says (a real server sends no reason word); the
call is then sent again, once. Calls in flight together renew once: the others wait for that
renewal and use its token.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator

import httpx

from station.api.errors import SessionExpired
from station.api.models import Token

# Renew this long before the token runs out: a fifth of its life, at most a minute.
RENEW_AHEAD_MAX = 60.0
RENEW_AHEAD_SHARE = 0.2

Renew = Callable[[Token], Awaitable[Token]]


class TokenAuth(httpx.Auth):
    """Holds the session's token; `renew(old)` asks the server for a new one (or raises)."""

    def __init__(self, renew: Renew, clock: Callable[[], float]) -> None:
        self._renew = renew
        self._clock = clock
        self._token: Token | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    @property
    def token(self) -> Token | None:
        return self._token

    def set(self, token: Token | None) -> None:
        """A new token from a login or a renewal (None forgets the session)."""
        self._token = token
        if token is not None:
            ahead = min(RENEW_AHEAD_MAX, token.expires_in * RENEW_AHEAD_SHARE)
            self._renew_at = self._clock() + token.expires_in - ahead

    @property
    def due(self) -> bool:
        """Time to renew: the token runs out soon, and there is a refresh token to renew it with."""
        return self._token is not None and bool(self._token.refresh_token) and self._clock() >= self._renew_at

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("TokenAuth works with httpx.AsyncClient only")

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = self._token
        if token is None:
            raise SessionExpired("Not logged in.")
        if self.due:
            token = await self.renewed(token)
        request.headers["Authorization"] = f"Bearer {token.access_token}"
        response = yield request
        if response.status_code == 401:
            token = await self.renewed(token)
            request.headers["Authorization"] = f"Bearer {token.access_token}"
            yield request

    async def renewed(self, used: Token) -> Token:
        """A token newer than `used`: renewed here, unless a call in flight together already did."""
        async with self._lock:
            current = self._token
            if current is None:
                raise SessionExpired()
            if current is not used:
                return current
            try:
                fresh = await self._renew(current)
            except SessionExpired:
                self._token = None  # refused: the session is over (no answer is not a refusal)
                raise
            self.set(fresh)
            return fresh
